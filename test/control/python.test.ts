// The control API from another language: test/control/control_api.py (Python, urllib only)
// against the built binary, as a Python suite would run it. Needs `npm run build` and python3.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliDirs, startServerProcess, type ServerProcess } from '../helpers/run-cli.js';

const SCRIPT = fileURLToPath(new URL('./control_api.py', import.meta.url));
const dirs = cliDirs();

function python(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // -I: isolated (no user site-packages, no PYTHON* variables): the standard library only.
    const child = spawn('python3', ['-I', SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('control API from Python (urllib, standard library only)', () => {
  let server: ServerProcess | undefined;
  after(async () => {
    await server?.stop();
    dirs.cleanup();
  });

  it('drives the clock, a fault, a misbehaviour and a login against `start --control`', async () => {
    const dir = dirs.make();
    server = await startServerProcess(['--control', '--in-memory', '--quiet', '--ready-file', 'ready.json'], { cwd: dir });
    const result = await python([join(dir, 'ready.json')]);
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0, result.stdout);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.length, 18, result.stdout);
    assert.ok(
      lines.every((l) => l.startsWith('ok ')),
      result.stdout,
    );
  });
});
