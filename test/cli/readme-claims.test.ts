// README statements that are not code blocks, held to what the program does: the flags each
// command takes, the start-flag table, and what the default profile is.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startOAuthMock } from '../../src/index.js';
import { cliDirs, runCli } from '../helpers/run-cli.js';

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

function section(heading: string): string {
  const start = README.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `README has ${heading}`);
  const next = README.indexOf('\n## ', start + heading.length + 2);
  return README.slice(start, next < 0 ? undefined : next);
}

/** The long options `--help` lists for a command. */
async function longOptions(argv: string[], cwd: string): Promise<Set<string>> {
  const help = await runCli([...argv, '--help'], { cwd });
  assert.equal(help.code, 0);
  const options = help.stdout.slice(help.stdout.indexOf('Options:'), help.stdout.indexOf('Examples:'));
  return new Set([...options.matchAll(/^ {2}(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1] as string).filter((o) => o !== '--help'));
}

describe('README claims', () => {
  const dirs = cliDirs();
  after(() => dirs.cleanup());

  it('the start-flag table lists every option of oauth-mock start', async () => {
    const table = section('## Starting the server');
    const rows = new Set([...table.matchAll(/^\| `(--[a-z-]+)` \|/gm)].map((m) => m[1] as string));
    const options = await longOptions(['start'], dirs.make());
    assert.deepEqual(
      [...options].filter((o) => !rows.has(o)),
      [],
      'options missing from the table',
    );
    assert.deepEqual(
      [...rows].filter((o) => !options.has(o)),
      [],
      'table rows that are no option',
    );
  });

  it('"From the terminal": every command but init takes --db/--in-memory and --config; every one takes --json', async () => {
    const text = section('## From the terminal');
    assert.match(
      text.replace(/\s+/g, ' '),
      /Every command below but `init` takes `--db PATH` \/ `--in-memory` and `--config PATH`, as `start` does; every one takes `--json`/,
    );
    const block = /```sh\n([\s\S]*?)```/.exec(text)?.[1] ?? '';
    const commands = new Set([...block.matchAll(/npx oauth-mock ((?:users|clients|tokens) \w+|\w+)/g)].map((m) => m[1] as string));
    assert.ok(commands.size >= 15);
    const cwd = dirs.make();
    for (const command of commands) {
      const options = await longOptions(command.split(' '), cwd);
      assert.ok(options.has('--json'), `${command} --json`);
      if (command === 'init') continue;
      for (const flag of ['--db', '--in-memory', '--config']) assert.ok(options.has(flag), `${command} ${flag}`);
    }
    const start = await longOptions(['start'], cwd);
    for (const flag of ['--db', '--in-memory', '--config']) assert.ok(start.has(flag), `start ${flag}`);
    const init = await longOptions(['init'], cwd);
    assert.deepEqual([...init].sort(), ['--db', '--force', '--json']);
  });

  it('defines "the seed\'s API" in one sentence before first using it', () => {
    const definition = README.indexOf('"the seed\'s API" below means its wire format');
    assert.ok(definition > 0, 'the definition is there');
    const firstUse = README.search(/the seed's (API|JSON API|example)/i);
    assert.ok(firstUse > definition, "no use of the seed's API comes before its definition");
  });

  it('does not send standard OIDC clients to --alg RS256: the default profile refuses their form-encoded requests whatever the algorithm', async () => {
    assert.doesNotMatch(README, /use `--alg RS256` for standard OIDC clients/);
    const mock = await startOAuthMock({ alg: 'RS256' });
    try {
      const res = await fetch(`${mock.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=authorization_code&code=x&redirect_uri=https%3A%2F%2Fclient.example.com%2Fcallback&client_id=client_123&client_secret=client_123-secret-change-me',
      });
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'invalid_request');
    } finally {
      await mock.stop();
    }
  });
});
