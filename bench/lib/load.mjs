// Drives one target for a fixed time with wrk (when installed) or autocannon, pinned to the
// generator core, and reports throughput, latency and both sides' CPU use.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, hasCommand, runToEnd, spawnPinned } from './proc.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
export const GENERATOR_CORE = 1;

export function pickGenerator(requested) {
  if (requested === 'wrk' || requested === 'autocannon') return requested;
  return hasCommand('wrk') ? 'wrk' : 'autocannon';
}

/**
 * spec: { url, path, headers?, flow? } where flow = { mode: 'roundtrip'|'refresh', ...luaCfg }.
 * opts: { generator, seconds, connections, serverPid, tmp }.
 */
export async function runLoad(spec, opts) {
  const before = opts.serverPid ? cpuSeconds(opts.serverPid) : undefined;
  const started = performance.now();
  const result = opts.generator === 'wrk' ? await runWrk(spec, opts) : await runAutocannon(spec, opts);
  const wall = (performance.now() - started) / 1000;
  const after = opts.serverPid ? cpuSeconds(opts.serverPid) : undefined;
  // CPU over the whole generator run (its startup is short next to the duration).
  result.serverCpu = before !== undefined && after !== undefined ? (after - before) / wall : undefined;
  return result;
}

function luaConfig(flow) {
  const lua = (v) => (typeof v === 'string' ? JSON.stringify(v) : typeof v === 'boolean' ? String(v) : v === undefined ? 'nil' : String(v));
  const entries = Object.entries({ ...flow, redirect_enc: encodeURIComponent(flow.redirect) }).map(([k, v]) => `  ${k} = ${lua(v)},`);
  return `cfg = {\n${entries.join('\n')}\n}\n`;
}

async function runWrk(spec, opts) {
  const args = ['-t1', `-c${opts.connections}`, `-d${opts.seconds}s`, '--latency', '--timeout', '10s'];
  for (const [name, value] of Object.entries(spec.headers ?? {})) args.push('-H', `${name}: ${value}`);
  if (spec.flow) {
    const script = join(opts.tmp, `flow-${process.pid}-${Date.now()}.lua`);
    writeFileSync(script, luaConfig(spec.flow) + readFileSync(join(HERE, 'flow.lua'), 'utf8'));
    args.push('-s', script);
  }
  args.push(`${spec.url}${spec.flow ? '' : spec.path}`);
  const child = spawnPinned(GENERATOR_CORE, 'wrk', args);
  const out = await runToEnd(child);
  if (out.code !== 0) throw new Error(`wrk failed (${out.code}): ${out.stderr}${out.stdout}`);
  const text = out.stdout;
  const requests = Number(/(\d+) requests in ([\d.]+)(m?s)/.exec(text)?.[1]);
  const seconds = spec.flow ? undefined : wrkSeconds(text);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const sockErr = socketErrors ? socketErrors.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  const result = {
    requests,
    seconds: seconds ?? opts.seconds,
    p50Ms: wrkLatency(text, '50%'),
    p99Ms: wrkLatency(text, '99%'),
    errors: non2xx + sockErr,
    stderr: out.stderr.trim().slice(0, 500),
  };
  if (spec.flow) {
    const counts = JSON.parse(/BENCH_COUNTS (\{.*\})/.exec(text)?.[1] ?? 'null');
    if (!counts) throw new Error(`wrk flow script printed no counts:\n${text}\n${out.stderr}`);
    result.seconds = counts.seconds;
    result.counts = counts;
    // Errors as the flow script saw them (302 is success for authorize).
    result.errors = counts.errors + sockErr;
  }
  result.rps = result.requests / result.seconds;
  return result;
}

function wrkSeconds(text) {
  const m = /\d+ requests in ([\d.]+)(m|s|ms)\b/.exec(text);
  if (!m) return undefined;
  const v = Number(m[1]);
  return m[2] === 'm' ? v * 60 : m[2] === 'ms' ? v / 1000 : v;
}

function wrkLatency(text, pct) {
  const m = new RegExp(`^\\s*${pct.replace('%', '%')}\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(text);
  if (!m) return undefined;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
}

async function runAutocannon(spec, opts) {
  const child = spawnPinned(GENERATOR_CORE, process.execPath, [
    join(HERE, 'autocannon-driver.mjs'),
    JSON.stringify({ ...spec, seconds: opts.seconds, connections: opts.connections }),
  ]);
  const out = await runToEnd(child);
  if (out.code !== 0) throw new Error(`autocannon driver failed (${out.code}): ${out.stderr}`);
  const result = JSON.parse(out.stdout.trim().split('\n').pop());
  result.rps = result.requests / result.seconds;
  return result;
}
