// A real redis-server for one test file: its own port and temp dir, stopped (and the dir
// removed) by `stop()`, which every caller runs in an `after` hook.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface TestRedis {
  readonly port: number;
  /** redis://127.0.0.1:<port>/<db> */
  url(db?: number): string;
  /** Sends one command (inline protocol) and returns the raw reply. */
  command(...args: string[]): Promise<string>;
  /** SIGKILL: no shutdown save; with AOF on, what was acknowledged is on disk. */
  kill(): Promise<void>;
  /** Starts it again on the same port and dir (after `kill`). */
  start(): Promise<void>;
  /** Kills it and removes its dir. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (picked by the OS, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts redis-server with AOF on and fsync on every write (`appendfsync always`). */
export async function startRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'oauth-mock-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const command = (...args: string[]): Promise<string> =>
    new Promise((resolve, reject) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      let reply = '';
      socket.setTimeout(5_000, () => socket.destroy(new Error('redis command timed out')));
      socket.on('connect', () => socket.write(`${args.map((a) => JSON.stringify(a)).join(' ')}\r\nQUIT\r\n`));
      socket.on('data', (chunk: Buffer) => (reply += chunk.toString()));
      socket.on('close', () => resolve(reply.replace(/\+OK\r\n$/, '')));
      socket.on('error', reject);
    });

  const start = async (): Promise<void> => {
    const proc = spawn(
      'redis-server',
      [
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
        'always',
        '--protected-mode',
        'no',
        '--loglevel',
        'warning',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    child = proc;
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    // Bounded: up to ~10 s for it to answer PING (it may be loading its AOF).
    for (let i = 0; i < 200; i++) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}`);
      try {
        if ((await command('PING')).startsWith('+PONG')) return;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    throw new Error('redis-server did not start within 10 s');
  };

  const kill = async (): Promise<void> => {
    child?.kill('SIGKILL');
    await exited;
    child = undefined;
  };

  await start();
  return {
    port,
    url: (db = 0) => `redis://127.0.0.1:${port}/${db}`,
    command,
    kill,
    start,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
