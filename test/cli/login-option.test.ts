// --login, OAUTH_MOCK_LOGIN and the config file's `login` (oidc profile): flag > env > file > default page.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveServerOptions, serverOptionsFromSettings } from '../../src/config/server-options.js';
import { cliDirs, runCli } from '../helpers/run-cli.js';

describe('oauth-mock --login', () => {
  const dirs = cliDirs();
  after(() => dirs.cleanup());
  let cwd: string;
  beforeEach(() => {
    cwd = dirs.make();
  });

  async function loginRow(argv: string[], env: Record<string, string> = {}): Promise<unknown> {
    const res = await runCli(['config', '--json', ...argv], { cwd, env });
    assert.equal(res.code, 0, res.stderr);
    return (JSON.parse(res.stdout) as { settings: Record<string, unknown> }).settings.login;
  }

  it('resolves flag > env > config file > default (page)', async () => {
    const file = join(cwd, 'oauth-mock.config.json');
    assert.deepEqual(await loginRow([]), { value: 'page', source: 'default' });
    writeFileSync(file, JSON.stringify({ login: 'auto' }));
    assert.deepEqual(await loginRow([]), { value: 'auto', source: 'config file', from: file });
    assert.deepEqual(await loginRow([], { OAUTH_MOCK_LOGIN: 'page' }), { value: 'page', source: 'env', from: 'OAUTH_MOCK_LOGIN' });
    assert.deepEqual(await loginRow(['--login', 'auto'], { OAUTH_MOCK_LOGIN: 'page' }), { value: 'auto', source: 'flag' });
  });

  it('an unknown mode is a usage error (exit 2) naming the modes', async () => {
    const res = await runCli(['config', '--login', 'popup'], { cwd });
    assert.equal(res.code, 2);
    assert.match(res.stderr, /^error: --login must be one of page, auto; got "popup"\n$/);
  });

  it("reaches the server options: the CLI default is page, startOAuthMock's is auto", () => {
    assert.equal(resolveServerOptions(serverOptionsFromSettings({ login: 'auto' })).login, 'auto');
    assert.equal(resolveServerOptions({}).login, undefined, 'the app defaults to page');
    assert.equal(resolveServerOptions({}, { login: 'auto' }).login, 'auto');
    assert.throws(() => resolveServerOptions({ login: 'popup' as never }), /^RangeError: login must be one of page, auto; got "popup"$/);
  });
});
