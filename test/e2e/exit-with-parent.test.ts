// start --exit-with-parent, on the built binary, under a real parent process: the server
// ends when its parent is killed with SIGKILL, is on by default under npm exec, and a
// detached start with --no-exit-with-parent outlives its parent.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDirs } from '../helpers/temp-dirs.js';

const BIN = fileURLToPath(new URL('../../bin/oauth-mock.js', import.meta.url));
const dirs = tempDirs('oauth-mock-parent-');

/** A parent process that starts the server; `detach` makes it exit right after (as `nohup … &` would). */
const PARENT = `
const { spawn } = require('node:child_process');
const [bin, detach, ...args] = process.argv.slice(1);
const child = spawn(process.execPath, [bin, 'start', ...args], { stdio: 'ignore', detached: detach === 'detach' });
if (detach === 'detach') child.unref(); else setInterval(() => {}, 60_000);
`;

interface Ready {
  url: string;
  pid: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Whether the process still runs. An exited orphan stays a zombie until its new parent (init,
 * or whatever this machine runs as pid 1) reaps it, which is not the server's doing: a zombie
 * runs no code and holds no port, so it counts as gone.
 */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return true; // no /proc (macOS): kill(pid, 0) is all there is
  }
}

/** Waits (bounded) for the ready file and reads it. */
async function readyFrom(file: string): Promise<Ready> {
  for (let i = 0; i < 600 && !existsSync(file); i += 1) await pause(50);
  return JSON.parse(readFileSync(file, 'utf8')) as Ready;
}

/** Polls until the pid is gone, for at most `ms`; true if it went. */
async function goneWithin(pid: number, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await pause(50)) if (!isRunning(pid)) return true;
  return !isRunning(pid);
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('start --exit-with-parent (the built binary under a real parent)', function () {
  this.timeout(60_000);
  const parents: ChildProcess[] = [];
  const servers: number[] = [];

  function startUnderParent(args: string[], env: Record<string, string>, detach = false): { parent: ChildProcess; readyFile: string } {
    const dir = dirs.make();
    const readyFile = join(dir, 'ready.json');
    const parent = spawn(
      process.execPath,
      ['-e', PARENT, BIN, detach ? 'detach' : 'stay', '--port', '0', '--in-memory', '--quiet', '--ready-file', readyFile, ...args],
      {
        cwd: dir,
        stdio: 'ignore',
        env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
      },
    );
    parents.push(parent);
    return { parent, readyFile };
  }

  after(async () => {
    for (const parent of parents) if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
    for (const pid of servers) if (isRunning(pid)) process.kill(pid, 'SIGTERM');
    for (const pid of servers) await goneWithin(pid, 5_000);
    dirs.cleanup();
  });

  it('ends cleanly when its parent is killed with SIGKILL: the process is gone, the port free, the ready file removed', async () => {
    const { parent, readyFile } = startUnderParent(['--exit-with-parent'], {});
    const ready = await readyFrom(readyFile);
    servers.push(ready.pid);
    assert.equal((await fetch(`${ready.url}/.well-known/openid-configuration`)).status, 200);
    parent.kill('SIGKILL');
    assert.equal(await goneWithin(ready.pid, 3_000), true, 'the server outlived its parent');
    assert.equal(await portFree(Number(new URL(ready.url).port)), true);
    // Removed by the clean shutdown, not left behind by a crash.
    assert.equal(existsSync(readyFile), false);
  });

  it('is on by default when npm exec started it (npm_command=exec)', async () => {
    const { parent, readyFile } = startUnderParent([], { npm_command: 'exec', npm_lifecycle_event: 'npx' });
    const ready = await readyFrom(readyFile);
    servers.push(ready.pid);
    parent.kill('SIGKILL');
    assert.equal(await goneWithin(ready.pid, 3_000), true, 'the server outlived its parent');
    assert.equal(existsSync(readyFile), false);
  });

  it('a detached start with --no-exit-with-parent outlives its parent, even under npm exec', async () => {
    const { parent, readyFile } = startUnderParent(['--no-exit-with-parent'], { npm_command: 'exec', npm_lifecycle_event: 'npx' }, true);
    const ready = await readyFrom(readyFile);
    servers.push(ready.pid);
    await new Promise((resolve) => (parent.exitCode === null ? parent.once('exit', resolve) : resolve(undefined)));
    // Several of the watch's polls (250 ms each) later, it still serves.
    await pause(2_000);
    assert.equal(isRunning(ready.pid), true);
    assert.equal((await fetch(`${ready.url}/.well-known/openid-configuration`)).status, 200);
    process.kill(ready.pid, 'SIGTERM');
    assert.equal(await goneWithin(ready.pid, 10_000), true);
  });

  it('is off by default otherwise: a detached start outlives its parent', async () => {
    const { parent, readyFile } = startUnderParent([], {}, true);
    const ready = await readyFrom(readyFile);
    servers.push(ready.pid);
    await new Promise((resolve) => (parent.exitCode === null ? parent.once('exit', resolve) : resolve(undefined)));
    await pause(2_000);
    assert.equal((await fetch(`${ready.url}/.well-known/openid-configuration`)).status, 200);
  });

  it('SIGTERM still stops it while the parent lives', async () => {
    const { parent, readyFile } = startUnderParent(['--exit-with-parent'], {});
    const ready = await readyFrom(readyFile);
    servers.push(ready.pid);
    process.kill(ready.pid, 'SIGTERM');
    assert.equal(await goneWithin(ready.pid, 10_000), true);
    assert.equal(existsSync(readyFile), false);
    assert.equal(parent.exitCode, null);
  });
});
