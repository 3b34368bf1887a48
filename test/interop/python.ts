// A throwaway Python virtualenv for the interop tests that drive a Python client library.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Venv {
  dir: string;
  python: string;
  /** Runs `python script args...`; resolves with stdout, rejects with stderr on a non-zero exit. */
  run(script: string, args: readonly string[], timeoutMs?: number): Promise<string>;
  remove(): void;
}

/** The python3 on PATH, or undefined when there is none (the caller skips). */
export function findPython(): string | undefined {
  const probe = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? 'python3' : undefined;
}

function exec(cmd: string, args: readonly string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1', PYTHONDONTWRITEBYTECODE: '1' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${err || out}`));
    });
  });
}

/**
 * Makes a venv in a temp dir and pip-installs `packages` into it (from PyPI). For quicker local
 * reruns, OAUTH_MOCK_TEST_VENV may name an existing venv that already holds them; it is kept.
 */
export async function createVenv(python: string, packages: readonly string[], timeoutMs = 240_000): Promise<Venv> {
  const reuse = process.env.OAUTH_MOCK_TEST_VENV;
  if (reuse) {
    const venvPython = join(reuse, 'bin', 'python');
    return { dir: reuse, python: venvPython, remove: () => {}, run: (script, args, ms = 60_000) => exec(venvPython, [script, ...args], ms) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'oauth-mock-venv-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    await exec(python, ['-m', 'venv', dir], 60_000);
    const bin = join(dir, process.platform === 'win32' ? 'Scripts' : 'bin');
    const venvPython = join(bin, 'python');
    await exec(venvPython, ['-m', 'pip', 'install', '--quiet', ...packages], timeoutMs);
    return { dir, python: venvPython, remove, run: (script, args, ms = 60_000) => exec(venvPython, [script, ...args], ms) };
  } catch (error) {
    remove();
    throw error;
  }
}

/** What the authlib tests install: authlib and the HTTP client its requests integration uses. */
export const AUTHLIB_PACKAGES = ['authlib>=1.3,<2', 'requests>=2.31,<3'] as const;

const shared = new Map<string, Promise<Venv>>();

/**
 * One venv per package list for the whole mocha run, so every test file that drives a Python
 * library pays pip's install once. Callers never remove it: it is removed when the process exits.
 */
export function sharedVenv(python: string, packages: readonly string[]): Promise<Venv> {
  const key = `${python}\0${[...packages].sort().join('\0')}`;
  let venv = shared.get(key);
  if (venv === undefined) {
    venv = createVenv(python, packages);
    // A failed install is not cached: the next file tries again and reports its own error.
    venv.then(
      (made) => process.once('exit', () => made.remove()),
      () => shared.delete(key),
    );
    shared.set(key, venv);
  }
  return venv;
}
