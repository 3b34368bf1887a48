// --profile, OAUTH_MOCK_PROFILE and the config file's `profile`: flag > env > file > default,
// resolved once; an unknown profile is a usage error (exit 2) with a clear message.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliDirs, runCli } from '../helpers/run-cli.js';

describe('oauth-mock --profile', () => {
  const dirs = cliDirs();
  after(() => dirs.cleanup());
  let cwd: string;
  beforeEach(() => {
    cwd = dirs.make();
  });

  async function profileRow(argv: string[], env: Record<string, string> = {}): Promise<unknown> {
    const res = await runCli(['config', '--json', ...argv], { cwd, env });
    assert.equal(res.code, 0, res.stderr);
    return (JSON.parse(res.stdout) as { settings: Record<string, unknown> }).settings.profile;
  }

  it('resolves flag > env > config file > default', async () => {
    const file = join(cwd, 'oauth-mock.config.json');
    assert.deepEqual(await profileRow([]), { value: 'spec', source: 'default' });
    writeFileSync(file, JSON.stringify({ profile: 'oidc' }));
    assert.deepEqual(await profileRow([]), { value: 'oidc', source: 'config file', from: file });
    assert.deepEqual(await profileRow([], { OAUTH_MOCK_PROFILE: 'spec' }), { value: 'spec', source: 'env', from: 'OAUTH_MOCK_PROFILE' });
    assert.deepEqual(await profileRow(['--profile', 'oidc'], { OAUTH_MOCK_PROFILE: 'spec' }), { value: 'oidc', source: 'flag' });
  });

  it('defaults the algorithm to RS256 under oidc, unless one is given', async () => {
    const alg = async (argv: string[], env: Record<string, string> = {}) => {
      const res = await runCli(['config', '--json', ...argv], { cwd, env });
      return (JSON.parse(res.stdout) as { settings: Record<string, unknown> }).settings.alg;
    };
    assert.deepEqual(await alg([]), { value: 'HS256', source: 'default' });
    assert.deepEqual(await alg(['--profile', 'oidc']), { value: 'RS256', source: 'default' });
    assert.deepEqual(await alg([], { OAUTH_MOCK_PROFILE: 'oidc' }), { value: 'RS256', source: 'default' });
    assert.deepEqual(await alg(['--profile', 'oidc', '--alg', 'ES256']), { value: 'ES256', source: 'flag' });
  });

  const cases: [string, string[], Record<string, string>, string | undefined, RegExp][] = [
    ['an unknown --profile', ['--profile', 'saml'], {}, undefined, /^error: --profile must be one of spec, oidc; got "saml"\n/],
    ['an unknown OAUTH_MOCK_PROFILE', [], { OAUTH_MOCK_PROFILE: 'OIDC' }, undefined, /^error: OAUTH_MOCK_PROFILE must be one of spec, oidc; got "OIDC"\n/],
    ['a non-string profile in the config file', [], {}, '{"profile": true}', /^error: "profile" in the config file must be a string\n/],
  ];
  for (const [name, argv, env, fileText, message] of cases) {
    it(`start with ${name} exits 2 before opening a store`, async () => {
      if (fileText !== undefined) writeFileSync(join(cwd, 'oauth-mock.config.json'), fileText);
      const res = await runCli(['start', '--port', '0', ...argv], { cwd, env });
      assert.equal(res.code, 2);
      assert.match(res.stderr, message);
      assert.equal(res.stdout, '');
      assert.equal(existsSync(join(cwd, '.oauth-mock')), false);
    });
  }

  it('config answers an unknown profile with exit 2', async () => {
    const res = await runCli(['config', '--profile', 'saml'], { cwd });
    assert.equal(res.code, 2);
    assert.match(res.stderr, /^error: --profile must be one of spec, oidc; got "saml"\n$/);
  });
});
