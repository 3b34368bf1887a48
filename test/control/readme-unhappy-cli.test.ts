// README "Testing the unhappy paths" must be true as written: the TypeScript block is
// readme-unhappy.test.ts, each curl line and each `oauth-mock control` line is run here in order
// against `start --control`, and the misbehaviour table is the registry's.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { MISBEHAVIOURS } from '../../src/control/misbehaviours.js';
import type { ControlStatus } from '../../src/control/controls.js';
import { cliDirs, runCli } from '../helpers/run-cli.js';
import { startInProcess, type StartedInProcess } from '../helpers/start-in-process.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = README.split(/^## Testing the unhappy paths$/m)[1]?.split(/^## /m)[0] ?? '';
const blocks = [...section.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], text: m[2] as string }));

/** `a "b c" d` → ['a', 'b c', 'd']: enough of the shell for the README's lines. */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

describe('README: Testing the unhappy paths', () => {
  const dirs = cliDirs();
  let dir: string;
  let server: StartedInProcess;
  let ready: Record<string, unknown>;
  before(async () => {
    dir = dirs.make();
    server = startInProcess(['--port', '0', '--quiet', '--control', '--alg', 'RS256'], dir);
    ready = await server.ready;
  });
  after(async () => {
    await server.stop();
    dirs.cleanup();
  });

  const status = async (): Promise<ControlStatus> => {
    const res = await fetch(`${ready.controlUrl as string}/status`, { headers: { authorization: `Bearer ${ready.controlToken as string}` } });
    return (await res.json()) as ControlStatus;
  };
  function assertAllQueued(state: ControlStatus): void {
    assert.equal(state.clock.now.slice(0, 4), '2030');
    assert.deepEqual(
      state.faults.map((f) => f.endpoint),
      ['token', 'token', 'userinfo', 'jwks', 'discovery'],
    );
    assert.deepEqual(state.misbehaviours, [{ name: 'id_token.wrong_issuer', remaining: 1 }]);
    assert.deepEqual(state.logins, [{ user: 'bob', claims: { acr: 'urn:mfa' } }]);
  }

  it('the TypeScript block is test/control/readme-unhappy.test.ts, importing from the package', () => {
    const example = readFileSync(new URL('./readme-unhappy.test.ts', import.meta.url), 'utf8');
    assert.equal(blocks[0]?.lang, 'ts');
    assert.equal(blocks[0]?.text, example.replace("from '../../src/index.js'", "from 'oauth-mock'"));
  });

  it('each curl line works as written', async () => {
    const lines = (blocks[1]?.text ?? '').split('\n').filter((l) => l.startsWith('curl '));
    assert.equal(lines.length, 12);
    const run = promisify(execFile);
    for (const line of lines) {
      const { stdout } = await run('bash', ['-c', line], {
        env: { PATH: process.env.PATH, CONTROL: ready.controlUrl as string, CONTROL_TOKEN: ready.controlToken as string },
      });
      if (line.includes('/status"')) assertAllQueued(JSON.parse(stdout) as ControlStatus);
    }
    const after = await status();
    assert.deepEqual([after.clock.offsetMs, after.faults, after.misbehaviours, after.logins], [0, [], [], []]);
  });

  it('each oauth-mock control line works as written, finding the server through the store', async () => {
    const lines = (blocks[2]?.text ?? '').split('\n').filter((l) => l.startsWith('oauth-mock control '));
    assert.equal(lines.length, 12);
    for (const line of lines) {
      const res = await runCli(words(line).slice(1), { cwd: dir });
      assert.equal(res.code, 0, `${line}: ${res.stderr}`);
      if (line.endsWith('control status')) {
        assert.match(res.stdout, /^clock {10}2030-/);
        assertAllQueued(await status());
      }
    }
    const after = await status();
    assert.deepEqual([after.clock.offsetMs, after.faults, after.misbehaviours, after.logins], [0, [], [], []]);
  });

  it('the table lists every misbehaviour with what it does and the test it mirrors', () => {
    const rows = section
      .split('\n')
      .filter((l) => l.startsWith('| `'))
      .map((l) => l.split(' | ').map((cell) => cell.replace(/^\| /, '').trim()));
    assert.deepEqual(
      rows.map((r) => [r[0], r[1], r[2]]),
      Object.entries(MISBEHAVIOURS).map(([name, m]) => [`\`${name}\``, m.does, m.mirrors]),
    );
  });
});
