// Where a server's memory goes on a large store: opens the store at <db> the way `start` does
// (through dist/), and prints RSS, heap and external memory at each step, before and after a
// full GC. Run with --expose-gc, after `npm run build`:
//   node --expose-gc bench/rss-probe.mjs <db path> [--compact] [--read-all]
// --compact also writes the loaded state as a new snapshot, as a compaction does;
// --read-all reads every grant once through read(), as a full scan (prune) does.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';

const [db, ...flags] = process.argv.slice(2);
if (!db || typeof globalThis.gc !== 'function') {
  process.stderr.write('usage: node --expose-gc bench/rss-probe.mjs <db path> [--compact] [--read-all]\n');
  process.exit(2);
}
const mb = (n) => (n / 1024 / 1024).toFixed(1).padStart(6);
const rows = [];
function sample(step) {
  const m = process.memoryUsage();
  const h = getHeapStatistics();
  rows.push({
    step,
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    malloced: h.malloced_memory,
  });
}
function sampleBoth(step) {
  sample(step);
  globalThis.gc();
  sample(`${step}, after gc`);
}

// Work on a copy: opening may repair, and --compact writes.
const dir = mkdtempSync(join(tmpdir(), 'oauth-mock-rss-'));
const path = join(dir, 'db.json');
cpSync(db, path);
try {
  cpSync(`${db}.log`, `${path}.log`);
} catch {
  // A store without a journal: the open creates one.
}

sampleBoth('boot');
await import('../dist/index.js');
const { createStore } = await import('../dist/store/index.js');
sampleBoth('imported');
const t0 = performance.now();
const store = await createStore({ path });
const loadMs = performance.now() - t0;
sampleBoth('store loaded');
const grants = store.read().grants;
let count = 0;
if (flags.includes('--read-all')) {
  for (const [, grant] of Object.entries(grants)) if (grant.expires_at > 0) count++;
  sampleBoth('every grant read');
} else count = Object.keys(grants).length;
let compactMs;
if (flags.includes('--compact')) {
  const { writeGeneration } = await import('../dist/store/snapshot.js');
  const t1 = performance.now();
  await writeGeneration(join(dir, 'copy.json'), store.read(), 1);
  compactMs = performance.now() - t1;
  sampleBoth('snapshot written');
}
await store.close();

process.stdout.write(`grants ${count}, load ${loadMs.toFixed(0)} ms${compactMs === undefined ? '' : `, rewrite ${compactMs.toFixed(0)} ms`}\n`);
process.stdout.write('step                            rss   heapUsed heapTotal external arrayBuf malloced (MB)\n');
for (const r of rows) {
  process.stdout.write(
    `${r.step.padEnd(28)} ${mb(r.rss)}   ${mb(r.heapUsed)}   ${mb(r.heapTotal)}   ${mb(r.external)}   ${mb(r.arrayBuffers)}   ${mb(r.malloced)}\n`,
  );
}
