// Cold starts, pinned to the server core: `node -e ""` (the floor), `tokens mint`, and
// `start` until its first discovery response. Interleaved; medians of wall time in ms.
import { freePort, waitForHttp, BIN, SERVER_CORE } from './targets.mjs';
import { median, runToEnd, spawnPinned, stop } from './proc.mjs';

async function timeExit(args) {
  const t0 = performance.now();
  const out = await runToEnd(spawnPinned(SERVER_CORE, process.execPath, args));
  if (out.code !== 0) throw new Error(`${args.join(' ')} failed: ${out.stderr}`);
  return performance.now() - t0;
}

async function timeFirstResponse(db) {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawnPinned(SERVER_CORE, process.execPath, [BIN, 'start', '--port', String(port), '--db', db, '--quiet']);
  child.stdout.resume();
  child.stderr.resume();
  try {
    // Connection refusals cost microseconds, so a tight poll adds at most ~2 ms.
    await waitForHttp(`http://127.0.0.1:${port}/.well-known/openid-configuration`, child, { everyMs: 2 });
    return performance.now() - t0;
  } finally {
    await stop(child);
  }
}

export async function measureColdStarts({ db, log, runs = 10 }) {
  const samples = { node: [], mint: [], start: [] };
  // One unmeasured pass warms the page cache for node, dist/ and the store.
  await timeExit(['-e', '']);
  await timeExit([BIN, 'tokens', 'mint', '--user', 'alice', '--db', db]);
  for (let i = 0; i < runs; i++) {
    samples.node.push(await timeExit(['-e', '']));
    samples.mint.push(await timeExit([BIN, 'tokens', 'mint', '--user', 'alice', '--db', db]));
    if (i % 2 === 0) samples.start.push(await timeFirstResponse(db));
  }
  const result = { nodeMs: median(samples.node), mintMs: median(samples.mint), startMs: median(samples.start), samples };
  log(
    `cold start: node -e "" ${result.nodeMs.toFixed(0)} ms, tokens mint ${result.mintMs.toFixed(0)} ms, start→first response ${result.startMs.toFixed(0)} ms`,
  );
  return result;
}
