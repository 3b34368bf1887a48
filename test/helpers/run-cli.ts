// Runs the CLI in-process with a captured Io, as bin/oauth-mock.js would with a real process.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli/main.js';
import { tempDirs } from './temp-dirs.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Working directory; every test passes a temp dir so nothing lands in the repository. */
  cwd: string;
  /** The whole environment the CLI sees (default empty, so the caller's OAUTH_MOCK_* never leak in). */
  env?: Record<string, string | undefined>;
  interactive?: boolean;
  color?: boolean;
  confirm?: (question: string) => Promise<boolean>;
}

export async function runCli(argv: string[], opts: CliOptions): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env: opts.env ?? {},
    cwd: opts.cwd,
    color: opts.color ?? false,
    interactive: opts.interactive ?? false,
    stopSignal: new AbortController().signal,
    pid: process.pid,
    ...(opts.confirm ? { confirm: opts.confirm } : {}),
  });
  return { code, stdout, stderr };
}

/** Temp dirs for one test file, removed in `after`. */
export const cliDirs = () => tempDirs('oauth-mock-cli-');

const BIN = fileURLToPath(new URL('../../bin/oauth-mock.js', import.meta.url));

/** The caller's environment without OAUTH_MOCK_* (so a developer's shell cannot change a test), and no colour. */
function childEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OAUTH_MOCK_'))), NO_COLOR: '1', ...extra };
}

/** Runs the built binary (`npm run build` first) to completion. */
export function spawnCli(argv: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...argv], { cwd: opts.cwd, env: childEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Spawns `oauth-mock start --port 0 ...` and resolves once it listens: from a machine-readable
 * ready line on stdout (`{"url": ...}`) when the server prints one, else from the banner.
 */
export function startServerProcess(args: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<ServerProcess> {
  const child = spawn(process.execPath, [BIN, 'start', '--port', '0', ...args], { cwd: opts.cwd, env: childEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let done = false;
    const check = () => {
      if (done) return;
      const ready = stdout
        .split('\n')
        .map(readyUrl)
        .find((u) => u !== undefined);
      const url = ready ?? /listening on (http:\/\/\S+)/.exec(stderr)?.[1];
      if (url === undefined) return;
      done = true;
      resolve({
        url,
        child,
        output: () => ({ stdout, stderr }),
        stop: () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout.on('data', (chunk: Buffer) => ((stdout += chunk.toString()), check()));
    child.stderr.on('data', (chunk: Buffer) => ((stderr += chunk.toString()), check()));
    void exited.then((code) => {
      if (!done) reject(new Error(`oauth-mock start exited ${code} before listening: ${stderr}`));
    });
  });
}

function readyUrl(line: string): string | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as { url?: unknown };
    return typeof value.url === 'string' ? value.url : undefined;
  } catch {
    return undefined;
  }
}
