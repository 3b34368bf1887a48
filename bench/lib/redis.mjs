// A redis-server for the Redis-store scenarios: its own port and temp dir, pinned to the server
// core (the whole server side of a round trip, Node and Redis, shares one core, as the file store's
// file-system work does), AOF on with Redis's default fsync once a second: like the file store's
// journal, an acknowledged write survives the process being killed (not the machine crashing).
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnPinned, stop, waitForOutput } from './proc.mjs';
import { freePort, SERVER_CORE } from './targets.mjs';

export async function startBenchRedis(tmp) {
  const dir = mkdtempSync(join(tmp, 'redis-'));
  const port = await freePort();
  const child = spawnPinned(SERVER_CORE, 'redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '',
    '--appendonly', 'yes', '--appendfsync', 'everysec', '--protected-mode', 'no',
  ]);
  await waitForOutput(child, /Ready to accept connections/);
  child.stdout.resume();
  child.stderr.resume();
  return {
    url: `redis://127.0.0.1:${port}/0`,
    pid: child.pid,
    async stop() {
      await stop(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
