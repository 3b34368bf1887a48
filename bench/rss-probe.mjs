// Where a server's memory goes on a large store. Run after `npm run build`.
//
//   node --expose-gc bench/rss-probe.mjs <db path> [--compact] [--read-all]
//     opens the store at <db> in this process the way `start` does (through dist/) and prints
//     RSS, heap and external memory at each step, before and after a full GC. --compact also
//     writes the loaded state as a new snapshot, as a compaction does; --read-all reads every
//     grant once through read(), as a full scan (prune) does.
//   node bench/rss-probe.mjs <db path> --server [--seconds 5] [--warmup 2] [--gc] [--node-flags "..."]
//     starts `oauth-mock start` on a copy of <db> (as bench/run.mjs does), and prints its memory
//     at idle and after a round-trip run of --warmup + --seconds, by V8 heap space; --gc adds the
//     same after a full GC (the server then runs with --expose-gc), --node-flags passes flags
//     to the server's node (e.g. "--heap-growing-percent=30").
// bench/notes.md ("RSS at 100k live families") has what it showed.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';

const [db, ...flags] = process.argv.slice(2);
if (db && flags.includes('--server')) {
  await probeServer(db, flags);
  process.exit(0);
}
if (!db || typeof globalThis.gc !== 'function') {
  process.stderr.write(
    'usage: node --expose-gc bench/rss-probe.mjs <db path> [--compact] [--read-all]\n       node bench/rss-probe.mjs <db path> --server [--seconds 5] [--warmup 2] [--gc] [--node-flags "..."]\n',
  );
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

async function probeServer(template, args) {
  const { existsSync, readFileSync } = await import('node:fs');
  const { setTimeout: sleep } = await import('node:timers/promises');
  const { startOurs, mintUserToken } = await import('./lib/targets.mjs');
  const { oursFlow } = await import('./lib/scenarios.mjs');
  const { pickGenerator, runLoad } = await import('./lib/load.mjs');
  const { cpuSeconds } = await import('./lib/proc.mjs');
  const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
  const seconds = Number(option('--seconds', '5'));
  const warmup = Number(option('--warmup', '2'));
  const dir = mkdtempSync(join(tmpdir(), 'oauth-mock-rss-'));
  const path = join(dir, 'db.json');
  cpSync(template, path);
  if (existsSync(`${template}.log`)) cpSync(`${template}.log`, `${path}.log`);
  const out = join(dir, 'memory.jsonl');
  process.env.OAUTH_MOCK_MEMORY_OUT = out;
  const hook = new URL('./lib/memory-hook.mjs', import.meta.url).pathname;
  const nodeArgs = ['--import', hook, ...(args.includes('--gc') ? ['--expose-gc'] : []), ...option('--node-flags', '').split(' ').filter(Boolean)];
  const server = await startOurs({ db: path, nodeArgs });
  const samples = [];
  const take = async (step) => {
    const before = existsSync(out) ? readFileSync(out, 'utf8').split('\n').length : 1;
    process.kill(server.pid, 'SIGUSR2');
    for (let i = 0; i < 100 && (existsSync(out) ? readFileSync(out, 'utf8').split('\n').length : 1) === before; i++) await sleep(50);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    samples.push({ step, ...JSON.parse(lines[lines.length - 1]) });
  };
  try {
    await sleep(500);
    await take('idle');
    const flow = oursFlow('roundtrip', await mintUserToken(path));
    const opts = { generator: pickGenerator('auto'), connections: 32, serverPid: server.pid, tmp: dir };
    if (warmup > 0) await runLoad({ url: server.url, flow }, { ...opts, seconds: warmup });
    const cpu = cpuSeconds(server.pid);
    const result = await runLoad({ url: server.url, flow }, { ...opts, seconds });
    const used = cpuSeconds(server.pid) - cpu;
    const { ok, seconds: s } = result.counts;
    process.stdout.write(`round trips ${ok} in ${s.toFixed(1)} s: ${(ok / s).toFixed(0)}/s, ${(ok / used).toFixed(0)} per server CPU second\n`);
    await take('after the run');
  } finally {
    await server.stop();
  }
  const spaces = (x) =>
    Object.entries(x.spaces)
      .filter(([, [, size]]) => size >= 0.5)
      .map(([name, [used, size]]) => `${name} ${used}/${size}`)
      .join(', ');
  for (const { step, sample, afterGc } of samples) {
    for (const [label, x] of [
      [step, sample],
      [`${step}, after gc`, afterGc],
    ]) {
      if (x)
        process.stdout.write(
          `${label.padEnd(24)} rss ${x.rss} MB, heap used ${x.heapUsed} of ${x.heapTotal} MB, external ${x.external} MB (used/size by space: ${spaces(x)})\n`,
        );
    }
  }
}
