// clients add|update --post-logout-redirect-uri: where end_session may send the browser back.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cliDirs, runCli } from '../helpers/run-cli.js';

describe('oauth-mock clients --post-logout-redirect-uri', () => {
  const dirs = cliDirs();
  after(() => dirs.cleanup());
  let db: string;
  let cwd: string;
  const cli = (...argv: string[]) => runCli([...argv, '--db', db], { cwd });
  beforeEach(() => {
    cwd = dirs.make();
    db = join(cwd, 'db.json');
  });

  it('registers, shows and replaces the list', async () => {
    const add = await cli(
      'clients',
      'add',
      'web',
      '--redirect-uri',
      'http://localhost:4000/cb',
      '--post-logout-redirect-uri',
      'http://localhost:4000/bye',
      '--post-logout-redirect-uri',
      'http://localhost:4000/bye',
    );
    assert.equal(add.code, 0, add.stderr);
    const shown = JSON.parse((await cli('clients', 'show', 'web', '--json')).stdout) as Record<string, unknown>;
    assert.deepEqual(shown.post_logout_redirect_uris, ['http://localhost:4000/bye']);
    assert.match((await cli('clients', 'show', 'web')).stdout, /\npost-logout: +http:\/\/localhost:4000\/bye\n/);
    assert.equal((await cli('clients', 'update', 'web', '--post-logout-redirect-uri', 'https://app.example/out')).code, 0);
    const updated = JSON.parse((await cli('clients', 'show', 'web', '--json')).stdout) as Record<string, unknown>;
    assert.deepEqual(updated.post_logout_redirect_uris, ['https://app.example/out']);
  });

  it('refuses a relative URI with exit 2', async () => {
    const res = await cli('clients', 'add', 'web', '--redirect-uri', 'http://localhost:4000/cb', '--post-logout-redirect-uri', '/bye');
    assert.equal(res.code, 2);
    assert.match(res.stderr, /--post-logout-redirect-uri/);
  });
});
