// What a test suite feels, against oauth2-mock-server 9.3, pinned to the server core and
// interleaved: a fresh process's import + start + first discovery response (medians of wall
// time), and mock.reset() + one full round trip on one connection (p50), plus the RSA ceiling.
import { fileURLToPath } from 'node:url';
import { median, runToEnd, spawnPinned } from './proc.mjs';
import { SERVER_CORE } from './targets.mjs';

const LIBRARY = fileURLToPath(new URL('../targets/library.mjs', import.meta.url));
const CEILING = fileURLToPath(new URL('../targets/rsa-ceiling.mjs', import.meta.url));

async function runJson(args) {
  const out = await runToEnd(spawnPinned(SERVER_CORE, process.execPath, args));
  if (out.code !== 0) throw new Error(`${args.join(' ')} failed (${out.code}): ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop());
}

/** { cold: {oursMs, peerMs, samples}, latency: {oursP50Ms, peerP50Ms, samples} } */
export async function measureSuite({ log, coldRuns = 10, latencyRuns = 3, iterations = 200 }) {
  const cold = { ours: [], peer: [] };
  const latency = { ours: [], peer: [] };
  // One unmeasured pass each warms the page cache.
  for (const who of ['ours', 'peer']) await runJson([LIBRARY, who, 'cold']);
  for (let i = 0; i < coldRuns; i++) {
    for (const who of ['ours', 'peer']) cold[who].push((await runJson([LIBRARY, who, 'cold'])).ms);
  }
  for (let i = 0; i < latencyRuns; i++) {
    for (const who of ['ours', 'peer']) latency[who].push((await runJson([LIBRARY, who, 'latency', String(iterations)])).p50Ms);
  }
  const result = {
    cold: { oursMs: median(cold.ours), peerMs: median(cold.peer), samples: cold },
    latency: { oursP50Ms: median(latency.ours), peerP50Ms: median(latency.peer), iterations, samples: latency },
  };
  log(
    `library: import+start+discovery ours ${result.cold.oursMs.toFixed(0)} ms, 9.3 ${result.cold.peerMs.toFixed(0)} ms; ` +
      `reset+round trip p50 ours ${result.latency.oursP50Ms.toFixed(2)} ms, 9.3 round trip ${result.latency.peerP50Ms.toFixed(2)} ms`,
  );
  return result;
}

/** RSA-2048 PKCS#1 v1.5 SHA-256 signatures per second on the server core; the ceiling is half. */
export async function measureRsaCeiling({ log, seconds = 2 }) {
  const { signsPerSecond } = await runJson([CEILING, String(seconds)]);
  log(`RSA-2048 signatures/s on one core: ${signsPerSecond.toFixed(0)} → two-signature ceiling ${(signsPerSecond / 2).toFixed(0)} round trips/s`);
  return { signsPerSecond, roundTripsPerSecond: signsPerSecond / 2 };
}
