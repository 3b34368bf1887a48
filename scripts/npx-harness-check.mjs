// Run by pack-test.sh inside the directory where the packed tarball is installed: what a test
// harness does with `spawn('npx', ['oauth-mock', 'start', ...])` and then `child.kill()`.
// npm exits without passing the signal on; the server must still end, within 3 s, port freed.
// With --no-exit-with-parent it must outlive npx (the detached use). Exits non-zero on failure.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { get } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';

const work = process.argv[2];
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * Whether the process still runs. An exited orphan stays a zombie until its new parent (init,
 * or whatever this machine runs as pid 1) reaps it, which can take a while and is not the
 * server's doing: a zombie runs no code and holds no port, so it counts as gone.
 */
const running = (pid) => {
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
};
const portFree = (port) =>
  new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
/** GET over https trusting only the server's own CA. */
const status = (url, ca) =>
  new Promise((resolve, reject) => {
    get(url, { ca }, (res) => {
      res.resume();
      resolve(res.statusCode);
    }).once('error', reject);
  });

async function startWithNpx(name, extra) {
  const readyFile = join(work, `${name}.json`);
  const child = spawn('npx', ['oauth-mock', 'start', '--port', '0', '--in-memory', '--https', '--quiet', '--ready-file', readyFile, ...extra], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  for (let i = 0; i < 600 && !existsSync(readyFile); i += 1) {
    if (child.exitCode !== null) throw new Error(`npx exited ${child.exitCode} before the server was ready: ${stderr}`);
    await pause(100);
  }
  const ready = JSON.parse(readFileSync(readyFile, 'utf8'));
  const code = await status(`${ready.url}/.well-known/openid-configuration`, ready.ca);
  if (code !== 200) throw new Error(`discovery over https answered ${code}`);
  return { child, ready, readyFile };
}

const ended = await startWithNpx('default', []);
const killedAt = Date.now();
ended.child.kill();
let gone = false;
// Up to 3 s for the server to notice and shut down; only a server still there afterwards fails.
for (let i = 0; i < 30 && !gone; i += 1) {
  await pause(100);
  gone = !running(ended.ready.pid);
}
if (!gone) {
  process.kill(ended.ready.pid, 'SIGKILL');
  throw new Error('the server started with npx was still running 3 s after child.kill()');
}
if (!(await portFree(Number(new URL(ended.ready.url).port)))) throw new Error('the port was still taken after the server ended');
if (existsSync(ended.readyFile)) throw new Error('the ready file was left behind: the server did not shut down cleanly');
console.log(`pack test: npx start, then child.kill(): the server ended and freed its port (seen gone after ~${Date.now() - killedAt} ms)`);

const kept = await startWithNpx('kept', ['--no-exit-with-parent']);
kept.child.kill();
await pause(2_000);
const survived = running(kept.ready.pid);
if (survived) process.kill(kept.ready.pid, 'SIGTERM');
if (!survived) throw new Error('--no-exit-with-parent: the server ended with npx');
console.log('pack test: with --no-exit-with-parent it outlived npx');
