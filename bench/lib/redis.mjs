// A redis-server for the Redis-store scenarios: its own port and temp dir, pinned to the server
// core (the whole server side of a round trip, Node and Redis, shares one core, as the file store's
// file-system work does), AOF on with Redis's default fsync once a second: like the file store's
// journal, an acknowledged write survives the process being killed (not the machine crashing).
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { spawnPinned, stop, waitForOutput } from './proc.mjs';
import { freePort, SERVER_CORE } from './targets.mjs';

export async function startBenchRedis(tmp) {
  const dir = mkdtempSync(join(tmp, 'redis-'));
  const port = await freePort();
  const child = spawnPinned(SERVER_CORE, 'redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--protected-mode',
    'no',
  ]);
  await waitForOutput(child, /Ready to accept connections/);
  child.stdout.resume();
  child.stderr.resume();
  return {
    url: `redis://127.0.0.1:${port}/0`,
    pid: child.pid,
    /** Script calls so far and the microseconds Redis spent in them (INFO commandstats). */
    async stats() {
      const info = await command(port, 'INFO commandstats');
      const calls = (name) => {
        const m = new RegExp(`cmdstat_${name}:calls=(\\d+),usec=(\\d+)`).exec(info);
        return m ? { calls: Number(m[1]), usec: Number(m[2]) } : { calls: 0, usec: 0 };
      };
      const [sha, full] = [calls('evalsha'), calls('eval')];
      return { calls: sha.calls + full.calls, usec: sha.usec + full.usec };
    },
    async stop() {
      await stop(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One inline command over a fresh connection; resolves with the raw reply. */
function command(port, line) {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    socket.on('connect', () => socket.end(`${line}\r\nQUIT\r\n`));
    socket.on('data', (chunk) => (reply += chunk));
    socket.on('close', () => resolve(reply));
    socket.on('error', reject);
  });
}
