// Spawning the built binary (`npm run build` first) for the process-level tests: bounded
// waits only, and every child killed in `after` through `killAll`.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/oauth-mock.js', import.meta.url));

export interface Child {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code, or `signal:<name>` when killed by a signal. */
  exited: Promise<number | string>;
  /** Resolves once `pattern` shows on stdout or stderr; rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
}

const children: ChildProcess[] = [];

/** The caller's environment without OAUTH_MOCK_* and without colour. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OAUTH_MOCK_'))), NO_COLOR: '1', ...extra };
}

/** Spawns `oauth-mock ...args`; with `command` (e.g. setpriv ...), runs node under it. */
export function spawnBin(args: string[], opts: { cwd: string; env?: Record<string, string>; prefix?: string[] }): Child {
  const argv = [...(opts.prefix ?? []), process.execPath, BIN, ...args];
  const child = spawn(argv[0] as string, argv.slice(1), { cwd: opts.cwd, env: cleanEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  const poke = () => waiters.forEach((w) => w());
  child.stdout?.on('data', (chunk: Buffer) => ((out += chunk.toString()), poke()));
  child.stderr?.on('data', (chunk: Buffer) => ((err += chunk.toString()), poke()));
  const exited = new Promise<number | string>((resolve) => child.once('close', (code, signal) => resolve(code ?? `signal:${signal}`)));
  return {
    child,
    exited,
    stdout: () => out,
    stderr: () => err,
    waitFor(pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(out) ?? pattern.exec(err);
          if (match) {
            waiters.delete(check);
            resolve(match);
          }
        };
        waiters.add(check);
        check();
        void exited.then((code) => {
          if (waiters.delete(check)) reject(new Error(`exited ${code} before ${pattern}: ${err}`));
        });
      });
    },
  };
}

/** For `after` hooks: SIGKILL whatever is still running. */
export function killAll(): void {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Whether something accepts connections on 127.0.0.1:port. */
export function portOpen(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(true));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
