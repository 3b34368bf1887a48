// Loaded into a server under test with `node --import` by bench/rss-probe.mjs --server: on
// SIGUSR2 it appends one JSON line of the process's memory (RSS, V8 heap by space, external)
// to the file named by OAUTH_MOCK_MEMORY_OUT, then (with --expose-gc) the same after a full GC.
import { appendFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';

const out = process.env.OAUTH_MOCK_MEMORY_OUT;
const MB = 1024 * 1024;
const round = (n) => Math.round((n / MB) * 10) / 10;

function sample(gcFirst) {
  if (gcFirst) globalThis.gc();
  const m = process.memoryUsage();
  const spaces = Object.fromEntries(
    getHeapSpaceStatistics().map((s) => [s.space_name.replace(/_space$/, ''), [round(s.space_used_size), round(s.space_size)]]),
  );
  return { rss: round(m.rss), heapUsed: round(m.heapUsed), heapTotal: round(m.heapTotal), external: round(m.external), spaces };
}

if (out) {
  process.on('SIGUSR2', () => {
    const line = { sample: sample(false), ...(typeof globalThis.gc === 'function' ? { afterGc: sample(true) } : {}) };
    appendFileSync(out, `${JSON.stringify(line)}\n`);
  });
}
