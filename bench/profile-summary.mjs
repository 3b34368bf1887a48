// Summarizes a `node --cpu-prof` profile: where the time goes, by function (self time), by
// module, and by named stage of a request (inclusive time).
// Usage: node bench/profile-summary.mjs FILE.cpuprofile [--top 20]
// A frame in a non-minified esbuild bundle is attributed to the source file it came from (the
// `// node_modules/koa/lib/context.js` comments esbuild writes before each module), so a
// profile of a readable bundle names packages and oauth-mock's own directories.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

// Per bundle file: [first line (0-based), source path] of each module in it, in order.
const bundleModules = new Map();
function modulesOf(url) {
  if (!bundleModules.has(url)) {
    let starts = [];
    const path = url.startsWith('file://') ? fileURLToPath(url) : url;
    if (/\/dist\/[^/]+\.js$/.test(path) && existsSync(path)) {
      readFileSync(path, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const m = /^\/\/ ((?:node_modules|dist|src)\/\S+\.(?:js|cjs|mjs|json|ts))$/.exec(line);
          if (m) starts.push([i, m[1]]);
        });
    }
    bundleModules.set(url, starts);
  }
  return bundleModules.get(url);
}
/** The source file of a frame: its own URL, or in a readable bundle the module it lies in. */
function sourceOf(cf) {
  const starts = cf.url ? modulesOf(cf.url) : [];
  let found;
  for (const [line, path] of starts) {
    if (line > cf.lineNumber) break;
    found = path;
  }
  return found ? `/${found}` : cf.url;
}

const shortUrl = (url) => {
  const path = url.replace(/^file:\/\//, '');
  // A package's files are named with the package (`@koa/router/index.mjs`), oauth-mock's by their last two segments.
  const inPackage = path.split('node_modules/').at(-1);
  if (inPackage !== path) {
    const parts = inPackage.split('/');
    const name = parts.slice(0, parts[0].startsWith('@') ? 2 : 1).join('/');
    return `${name}/${parts.at(-1)}`;
  }
  return path.split('/').slice(-2).join('/');
};
const moduleOf = (url) =>
  url.includes('node_modules/')
    ? url
        .split('node_modules/')
        .at(-1)
        .split('/')
        .slice(0, url.split('node_modules/').at(-1).startsWith('@') ? 2 : 1)
        .join('/')
    : url.startsWith('node:')
      ? 'node core'
      : url
        ? `oauth-mock ${url.split(/\/(?:dist|src)\//)[1]?.split('/')[0] ?? ''}`
        : '(native / runtime)';

// Koa and the packages it and its middleware (@koa/router, @koa/bodyparser, @koa/cors) run per request.
const KOA_STACK = new Set(
  'koa koa-compose @koa/router @koa/bodyparser @koa/cors delegates on-finished ee-first type-is mime-types mime-db media-typer content-type accepts negotiator vary escape-html encodeurl statuses http-errors parseurl co-body raw-body inflation iconv-lite @hapi/bourne bytes debug ms path-to-regexp cache-content-type fresh content-disposition only destroy http-assert unpipe lodash.merge safer-buffer depd setprototypeof toidentifier inherits'.split(
    ' ',
  ),
);
const groupOf = (module) =>
  KOA_STACK.has(module)
    ? 'Koa and its middleware packages'
    : module.startsWith('oauth-mock')
      ? 'oauth-mock'
      : module.includes(' ') || module.startsWith('(')
        ? module
        : 'other packages';

const self = new Map();
const byGroup = new Map();
const byModule = new Map();
const inclusive = new Map();
const add = (map, key, t) => map.set(key, (map.get(key) ?? 0) + t);
for (const [id, t] of sampled) {
  const { callFrame: cf } = nodes.get(id);
  const url = sourceOf(cf);
  add(self, `${cf.functionName || '(anonymous)'} ${shortUrl(url)}`, t);
  add(byModule, moduleOf(url), t);
  add(byGroup, groupOf(moduleOf(url)), t);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parentOf.get(cur)) {
    const frame = nodes.get(cur).callFrame;
    const key = `${frame.functionName || '(anonymous)'} ${shortUrl(sourceOf(frame))}`;
    if (!seen.has(key)) add(inclusive, key, t);
    seen.add(key);
  }
}

const table = (title, map, n) => {
  const rows = [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
  return [`${title}`, ...rows.map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(6)}%  ${k}`)].join('\n');
};
process.stdout.write(
  `${(total / 1e6).toFixed(1)} s sampled\n\n${table('self time by function', self, top)}\n\n${table('self time by group', byGroup, top)}\n\n${table('self time by module', byModule, top)}\n\n${table('inclusive time', inclusive, top * 2)}\n`,
);
