// Summarizes a `node --cpu-prof` profile: where the time goes, by function (self time), by
// module, and by named stage of a request (inclusive time).
// Usage: node bench/profile-summary.mjs FILE.cpuprofile [--top 20]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '20' } } });
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
const top = Number(values.top);

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map();
for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
const sampled = new Map();
profile.samples.forEach((id, i) => sampled.set(id, (sampled.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...sampled.values()].reduce((a, b) => a + b, 0);

const shortUrl = (url) =>
  url
    .replace(/^file:\/\//, '')
    .replace(/^.*node_modules\//, '')
    .split('/')
    .slice(-2)
    .join('/');
const moduleOf = (url) =>
  url.includes('node_modules/')
    ? url.split('node_modules/')[1].split('/')[0]
    : url.startsWith('node:')
      ? 'node core'
      : url
        ? `oauth-mock ${url.split('/dist/')[1]?.split('/')[0] ?? ''}`
        : '(native / runtime)';

const self = new Map();
const byModule = new Map();
const inclusive = new Map();
const add = (map, key, t) => map.set(key, (map.get(key) ?? 0) + t);
for (const [id, t] of sampled) {
  const { callFrame: cf } = nodes.get(id);
  add(self, `${cf.functionName || '(anonymous)'} ${shortUrl(cf.url)}`, t);
  add(byModule, moduleOf(cf.url), t);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parentOf.get(cur)) {
    const frame = nodes.get(cur).callFrame;
    const key = `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}`;
    if (!seen.has(key)) add(inclusive, key, t);
    seen.add(key);
  }
}

const table = (title, map, n) => {
  const rows = [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
  return [`${title}`, ...rows.map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(6)}%  ${k}`)].join('\n');
};
process.stdout.write(
  `${(total / 1e6).toFixed(1)} s sampled\n\n${table('self time by function', self, top)}\n\n${table('self time by module', byModule, top)}\n\n${table('inclusive time', inclusive, top * 2)}\n`,
);
