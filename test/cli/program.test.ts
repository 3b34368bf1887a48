import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildProgram } from '../../src/cli/main.js';
import { cliDirs, runCli } from '../helpers/run-cli.js';

describe('oauth-mock (the program)', () => {
  const dirs = cliDirs();
  after(() => dirs.cleanup());

  it('groups the commands in --help with one-line descriptions', async () => {
    const res = await runCli(['--help'], { cwd: dirs.make() });
    assert.equal(res.code, 0);
    for (const group of ['Server:', 'Users and clients:', 'Tokens and keys:', 'Setup:']) assert.match(res.stdout, new RegExp(`\\n${group}\\n`));
    assert.match(res.stdout, /\nServer:\n {2}start \[options\] +run the mock authorization server\n/);
    assert.match(res.stdout, /\nUsers and clients:\n {2}users +list, add, change and remove users\n {2}clients +list, add, change and remove OAuth clients\n/);
    assert.match(res.stdout, /\n {2}tokens +mint, decode, verify, revoke and list tokens\n/);
    assert.match(
      res.stdout,
      /\nSetup:\n {2}init \[options\] \[dir\] +write a starter config file and fixtures\/ to edit\n {2}config \[options\] +show the effective settings and where each comes from\n {2}reset \[options\] +reseed the store from fixtures \(keeps the signing keys\)\n/,
    );
  });

  it('prints the version package.json holds for --version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const res = await runCli(['--version'], { cwd: dirs.make() });
    assert.deepEqual([res.code, res.stdout, res.stderr], [0, `${version}\n`, '']);
  });

  const commands = [
    ['start'],
    ['init'],
    ['config'],
    ['reset'],
    ['users', 'list'],
    ['users', 'show'],
    ['users', 'add'],
    ['users', 'update'],
    ['users', 'remove'],
    ['clients', 'list'],
    ['clients', 'show'],
    ['clients', 'add'],
    ['clients', 'update'],
    ['clients', 'remove'],
    ['tokens', 'mint'],
    ['tokens', 'decode'],
    ['tokens', 'verify'],
    ['tokens', 'revoke'],
    ['tokens', 'list'],
    ['tls', 'ca'],
  ];
  for (const argv of commands) {
    it(`${argv.join(' ')} --help shows an example (and the store flags where it reads the store)`, async () => {
      const res = await runCli([...argv, '--help'], { cwd: dirs.make() });
      assert.equal(res.code, 0);
      assert.match(res.stdout, /\nExamples:\n {2}\$ .*oauth-mock /);
      if (argv[0] !== 'init') assert.match(res.stdout, /--db <path>[\s\S]*--in-memory/);
      if (argv[0] !== 'start') assert.match(res.stdout, /--json/);
    });
  }

  it('a run builds only the command it names: each, built alone, is the one the whole program holds', () => {
    const io = { stdout: () => {}, stderr: () => {}, env: {}, cwd: '/', color: false, interactive: false, stopSignal: new AbortController().signal, pid: 1 };
    const whole = buildProgram(io);
    assert.equal(whole.commands.length, 10);
    for (const command of whole.commands) {
      const alone = buildProgram(io, command.name());
      assert.deepEqual(
        alone.commands.map((c) => c.name()),
        [command.name()],
      );
      assert.equal(alone.commands[0]?.helpInformation(), command.helpInformation());
    }
  });

  it('answers an unknown command or option with exit 2', async () => {
    const cmd = await runCli(['frobnicate'], { cwd: dirs.make() });
    assert.equal(cmd.code, 2);
    assert.match(cmd.stderr, /^error: unknown command 'frobnicate'/);
    const opt = await runCli(['users', 'list', '--frob'], { cwd: dirs.make() });
    assert.equal(opt.code, 2);
    assert.match(opt.stderr, /^error: unknown option '--frob'/);
  });

  it('answers no command at all with the overview on stderr and exit 2 (a usage error)', async () => {
    const res = await runCli([], { cwd: dirs.make() });
    assert.equal(res.code, 2);
    assert.equal(res.stdout, '');
    assert.match(res.stderr, /^Usage: oauth-mock \[options\] \[command\]\n/);
  });

  it('names the flag that holds a bad duration (keys rotate --grace)', async () => {
    const res = await runCli(['keys', 'rotate', '--grace', '5x', '--in-memory'], { cwd: dirs.make() });
    assert.deepEqual([res.code, res.stderr], [2, 'error: --grace 5x is not a duration; use e.g. 90s, 15m, 2h or 1d\n']);
  });

  it('prints a failure as one red line when colour is on, and none under --json on stdout', async () => {
    const cwd = dirs.make();
    const res = await runCli(['users', 'show', 'zed', '--in-memory', '--json'], { cwd, color: true });
    assert.equal(res.code, 1);
    assert.equal(res.stdout, '');
    assert.equal(res.stderr, '\u001b[31merror: no user "zed" in the store (known: alice, bob)\u001b[39m\n');
  });
});
