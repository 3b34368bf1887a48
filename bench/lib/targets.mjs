// Starting the servers the bench compares, each pinned to the server core.
import { writeFileSync } from 'node:fs';
import { createServer, get as httpGet } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runToEnd, spawnPinned, stop, waitForOutput } from './proc.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'oauth-mock.js');
export const SERVER_CORE = 0;

const READY = /"event"\s*:\s*"ready"[^\n]*"url"\s*:\s*"([^"]+)"/;

function running(child, url) {
  return { child, pid: child.pid, url: url.replace('//localhost:', '//127.0.0.1:'), stop: () => stop(child) };
}

/** A port that was free a moment ago (the server binds it right after). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once GET `url` answers 200, polling every `everyMs`; rejects if the child dies. */
export async function waitForHttp(url, child, { everyMs = 20, timeoutMs = 20_000 } = {}) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}) before answering ${url}`);
    const status = await new Promise((resolve) => {
      const req = httpGet(url, { agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      });
      req.on('error', () => resolve(0));
      // A poll that hangs (a connection accepted mid-startup) must not stall the bench.
      req.setTimeout(1_000, () => req.destroy());
    });
    if (status === 200) return;
    if (performance.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * oauth-mock via its CLI on the store at `db` (which may be pre-populated). --quiet, as a
 * deployment under load would run it: the request log costs a stderr write per request.
 */
export async function startOurs({ db, store, issuer, alg = 'HS256', nodeArgs = [] }) {
  const port = await freePort();
  const where = store ? ['--store', store, '--issuer', issuer] : ['--db', db];
  const child = spawnPinned(SERVER_CORE, process.execPath, [...nodeArgs, BIN, 'start', '--port', String(port), ...where, '--alg', alg, '--quiet']);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.resume();
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/.well-known/openid-configuration`, child, { timeoutMs: 60_000 });
  } catch (error) {
    await stop(child);
    throw new Error(`${error.message}\n${stderr}`);
  }
  return running(child, url);
}

export async function startRaw(bodies, tmp) {
  const file = join(tmp, 'raw-bodies.json');
  writeFileSync(file, JSON.stringify(bodies));
  const child = spawnPinned(SERVER_CORE, process.execPath, [join(ROOT, 'bench', 'targets', 'raw-http.mjs'), file]);
  const match = await waitForOutput(child, READY);
  return running(child, match[1]);
}

/** oauth2-mock-server: version '9' (9.3, the peer the targets are against) or '8' (8.2.3). */
export async function startPeer(version = '9') {
  const child = spawnPinned(SERVER_CORE, process.execPath, [join(ROOT, 'bench', 'targets', 'peer.mjs'), version]);
  const match = await waitForOutput(child, READY);
  child.stderr.resume();
  return running(child, match[1]);
}

/** A user token for authorize, minted by the CLI against the running server's store (a file, or `{ store, issuer }`). */
export async function mintUserToken(db, user = 'alice') {
  const where = typeof db === 'string' ? ['--db', db] : ['--store', db.store, '--issuer', db.issuer];
  const out = await runToEnd(spawnPinned(undefined, process.execPath, [BIN, 'tokens', 'mint', '--user', user, '--ttl', '1d', ...where]));
  if (out.code !== 0) throw new Error(`tokens mint failed: ${out.stderr}`);
  return out.stdout.trim();
}
