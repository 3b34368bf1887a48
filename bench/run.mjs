// `npm run bench`: oauth-mock against the raw node:http ceiling and the peer
// (oauth2-mock-server), each server pinned to core 0 and the load generator to core 1,
// repeated and interleaved; writes results.json, BENCHMARKS.md and chart.svg.
//
//   node bench/run.mjs [--seconds 8] [--warmup 2] [--repeats 3] [--only a,b] [--targets ours,raw]
//                      [--generator wrk|autocannon] [--out DIR] [--no-cold] [--no-report]
//   node bench/run.mjs --profile DIR     also writes a --cpu-prof profile of every oauth-mock run to DIR
//                                        (summarize one with node bench/profile-summary.mjs FILE)
//   node bench/run.mjs --report-only     re-renders BENCHMARKS.md and chart.svg from results.json
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureColdStarts } from './lib/cold-start.mjs';
import { pickGenerator, runLoad } from './lib/load.mjs';
import { cpuSeconds, hasCommand, hasTaskset, memoryMb, runToEnd, spawnPinned } from './lib/proc.mjs';
import { writeReport } from './lib/report.mjs';
import { DISCOVERY, JWKS, SCENARIOS } from './lib/scenarios.mjs';
import { startOurs } from './lib/targets.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    repeats: { type: 'string', default: '3' },
    only: { type: 'string' },
    targets: { type: 'string' },
    generator: { type: 'string', default: 'auto' },
    out: { type: 'string', default: join(ROOT, 'bench') },
    'no-cold': { type: 'boolean', default: false },
    'no-report': { type: 'boolean', default: false },
    connections: { type: 'string', default: '64' },
    'flow-connections': { type: 'string', default: '32' },
    'report-only': { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
});

if (args['report-only']) {
  const results = JSON.parse(readFileSync(join(args.out, 'results.json'), 'utf8'));
  const { mdPath } = writeReport(results, { root: ROOT, out: args.out });
  process.stderr.write(`wrote ${mdPath}\n`);
  process.exit(0);
}

const seconds = Number(args.seconds);
const warmup = Number(args.warmup);
const repeats = Number(args.repeats);
const generator = pickGenerator(args.generator);
const only = args.only?.split(',');
const onlyTargets = args.targets?.split(',');
const missing = [...new Set(SCENARIOS.map((s) => s.needs).filter((cmd) => cmd && !hasCommand(cmd)))];
if (missing.length > 0) process.stderr.write(`skipping the scenarios that need ${missing.join(', ')} (not installed)\n`);
const scenarios = SCENARIOS.filter((s) => (!only || only.includes(s.name)) && !missing.includes(s.needs));
if (only && scenarios.length === 0 && !only.includes('cold-start')) throw new Error(`no scenario named ${args.only}`);
if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run npm run build first');

const tmp = mkdtempSync(join(tmpdir(), 'oauth-mock-bench-'));
const log = (line) => process.stderr.write(`${line}\n`);

// Stores with N live families are built once per size, then copied fresh for every run.
const templates = new Map();
async function templateDb(families) {
  if (!templates.has(families)) {
    const path = join(tmp, `template-${families}`, 'db.json');
    mkdirSync(join(tmp, `template-${families}`));
    const out = await runToEnd(spawnPinned(undefined, process.execPath, [join(ROOT, 'bench', 'lib', 'populate.mjs'), path, String(families)]));
    if (out.code !== 0) throw new Error(`populate failed: ${out.stderr}`);
    templates.set(families, path);
  }
  return templates.get(families);
}
let runId = 0;
async function freshDb(families) {
  const template = await templateDb(families);
  const dir = join(tmp, `run-${++runId}`);
  mkdirSync(dir);
  cpSync(template, join(dir, 'db.json'));
  if (existsSync(`${template}.log`)) cpSync(`${template}.log`, join(dir, 'db.json.log'));
  return join(dir, 'db.json');
}

const profileArgs = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : [];
let bodies;
const ctx = {
  tmp,
  db: freshDb,
  startOurs: async (opts) => ({ ...(await startOurs({ ...opts, nodeArgs: profileArgs })), db: opts.db }),
  // The raw ceiling serves exactly what oauth-mock serves (HS256 store).
  async ourBodies() {
    if (!bodies) {
      const server = await ctx.startOurs({ db: await freshDb(100) });
      try {
        bodies = {};
        for (const path of [DISCOVERY, JWKS]) bodies[path] = await (await fetch(`${server.url}${path}`)).text();
      } finally {
        await server.stop();
      }
    }
    return bodies;
  },
};

const runs = [];
const started = Date.now();
try {
  for (let repeat = 1; repeat <= repeats; repeat++) {
    for (const scenario of scenarios) {
      for (const [target, start] of Object.entries(scenario.targets)) {
        if (onlyTargets && !onlyTargets.includes(target)) continue;
        const { server, path, headers, flow, replicas = [], sidecars = [] } = await start(ctx);
        try {
          // Replicas (Redis store) each get their share of the connections and their own generator.
          const servers = [server, ...replicas];
          const connections = Math.max(1, Math.floor(Number(flow ? args['flow-connections'] : args.connections) / servers.length));
          const load = (s) =>
            Promise.all(servers.map((srv) => runLoad({ url: srv.url, path, headers, flow }, { generator, connections, serverPid: srv.pid, tmp, seconds: s })));
          if (warmup > 0) await load(warmup);
          const sidecarBefore = sidecars.map((c) => cpuSeconds(c.pid));
          const statsBefore = await Promise.all(sidecars.map((c) => c.stats?.()));
          const wallStart = performance.now();
          const result = combine(await load(seconds));
          const wall = (performance.now() - wallStart) / 1000;
          // A sidecar's CPU (redis-server) over the same window: where the rest of the time goes.
          for (const [i, c] of sidecars.entries()) result[`${c.name}Cpu`] = (cpuSeconds(c.pid) - sidecarBefore[i]) / wall;
          // Script calls per round trip and Redis's own time per call, over the measured window.
          for (const [i, c] of sidecars.entries()) {
            const [before, after] = [statsBefore[i], await c.stats?.()];
            if (before && after && result.counts?.ok) {
              result[`${c.name}CallsPerOk`] = (after.calls - before.calls) / result.counts.ok;
              result[`${c.name}UsecPerCall`] = (after.usec - before.usec) / Math.max(1, after.calls - before.calls);
            }
          }
          const memory = memoryMb(server.pid);
          const rate = flow ? flowRate(scenario.kind, result) : result.rps;
          runs.push({
            scenario: scenario.name,
            target,
            repeat,
            rate,
            unit: scenario.unit,
            replicas: servers.length,
            ...result,
            ...(memory ? { rssMb: memory.rss, peakRssMb: memory.peak } : {}),
          });
          log(
            `${scenario.name.padEnd(22)} ${target.padEnd(5)} #${repeat}  ${rate.toFixed(0).padStart(7)} ${scenario.unit}  p99 ${result.p99Ms?.toFixed(1)} ms  errors ${result.errors}  server cpu ${pct(result.serverCpu)}${sidecars.map((c) => `  ${c.name} cpu ${pct(result[`${c.name}Cpu`])}`).join('')}${memory ? `  rss ${memory.rss.toFixed(0)} MB` : ''}`,
          );
        } finally {
          await Promise.all([server, ...replicas].map((s) => s.stop()));
          await Promise.all(sidecars.map((c) => c.stop()));
        }
      }
    }
  }
  const cold = !args['no-cold'] && (!only || only.includes('cold-start')) ? await measureColdStarts({ tmp, db: await freshDb(100), log }) : undefined;
  const results = {
    date: new Date().toISOString(),
    elapsedSeconds: Math.round((Date.now() - started) / 1000),
    settings: {
      seconds,
      warmup,
      repeats,
      generator,
      taskset: hasTaskset(),
      connections: Number(args.connections),
      flowConnections: Number(args['flow-connections']),
    },
    machine: await machine(),
    runs,
    ...(cold ? { coldStart: cold } : {}),
  };
  mkdirSync(args.out, { recursive: true });
  writeFileSync(join(args.out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  if (!args['no-report']) writeReport(results, { root: ROOT, out: args.out });
  log(`done in ${results.elapsedSeconds} s: ${join(args.out, 'results.json')}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

/** One result from the loads run at once on several replicas: counts add up, latency is the worst. */
function combine(results) {
  if (results.length === 1) return results[0];
  const sum = (f) => results.reduce((a, r) => a + (f(r) ?? 0), 0);
  const seconds = Math.max(...results.map((r) => r.seconds));
  const counts = results[0].counts
    ? { ...results[0].counts, authorize: sum((r) => r.counts.authorize), ok: sum((r) => r.counts.ok), errors: sum((r) => r.counts.errors), seconds }
    : undefined;
  return {
    requests: sum((r) => r.requests),
    seconds,
    rps: sum((r) => r.rps),
    p50Ms: Math.max(...results.map((r) => r.p50Ms ?? 0)),
    p99Ms: Math.max(...results.map((r) => r.p99Ms ?? 0)),
    errors: sum((r) => r.errors),
    serverCpu: sum((r) => r.serverCpu),
    ...(counts ? { counts } : {}),
  };
}

/** Round trips/s count completed token responses; refreshes/s the 200s beyond them. */
function flowRate(kind, result) {
  const { authorize, ok, seconds: s } = result.counts;
  return kind === 'refresh' ? (ok - authorize) / s : ok / s;
}

function pct(v) {
  return v === undefined ? '?' : `${(v * 100).toFixed(0)}%`;
}

async function machine() {
  const os = await import('node:os');
  return { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, platform: `${os.platform()} ${os.release()}` };
}
