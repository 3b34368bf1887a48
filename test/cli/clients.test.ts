import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cliDirs, runCli } from '../helpers/run-cli.js';

describe('oauth-mock clients', () => {
  const dirs = cliDirs();
  after(() => dirs.cleanup());
  let cwd: string;
  let db: string;
  const cli = (...argv: string[]) => runCli([...argv, '--db', db], { cwd });
  const showJson = async (id: string, ...more: string[]) => JSON.parse((await cli('clients', 'show', id, '--json', ...more)).stdout) as Record<string, unknown>;
  beforeEach(() => {
    cwd = dirs.make();
    db = join(cwd, 'db.json');
  });

  it('lists clients with secrets masked unless --show-secrets', async () => {
    const table = await cli('clients', 'list');
    assert.equal(table.code, 0);
    assert.match(
      table.stdout,
      /^ID +TYPE +SCOPES +REDIRECT URIS\nclient_123 +confidential +openid profile email +https:\/\/client\.example\.com\/callback http:\/\/localhost:3000\/callback\nspa_public +public /,
    );
    const json = JSON.parse((await cli('clients', 'list', '--json')).stdout) as { id: string; secret?: string }[];
    assert.deepEqual(
      json.map((c) => [c.id, c.secret]),
      [
        ['client_123', '********'],
        ['spa_public', undefined],
      ],
    );
    const shown = JSON.parse((await cli('clients', 'list', '--json', '--show-secrets')).stdout) as { secret?: string }[];
    assert.equal(shown[0]?.secret, 'client_123-secret-change-me');
  });

  it('adds a confidential client, printing its generated secret once on stdout', async () => {
    const res = await cli(
      'clients',
      'add',
      'web',
      '--redirect-uri',
      'http://localhost:4000/cb',
      '--redirect-uri',
      'http://localhost:4000/cb2',
      '--scope',
      'openid profile',
      '--resource',
      'https://api.example.com',
      '--name',
      'Web',
    );
    assert.equal(res.code, 0, res.stderr);
    const secret = res.stdout.trim();
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(res.stderr, `✔ added confidential client web to ${db}; its generated secret is on stdout and is not shown again\n`);
    assert.deepEqual(await showJson('web', '--show-secrets'), {
      id: 'web',
      name: 'Web',
      public: false,
      secret,
      redirect_uris: ['http://localhost:4000/cb', 'http://localhost:4000/cb2'],
      scopes: ['openid', 'profile'],
      resources: ['https://api.example.com'],
    });
    const shown = await cli('clients', 'show', 'web');
    assert.match(shown.stdout, /^id: +web\nname: +Web\ntype: +confidential\nsecret: +\*{8}\n/);
  });

  it('adds a public client with default scopes and no secret; --json shows the record', async () => {
    const res = await cli('clients', 'add', 'spa', '--public', '--redirect-uri', 'http://localhost:5173/cb', '--no-refresh', '--json');
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(JSON.parse(res.stdout), {
      id: 'spa',
      public: true,
      redirect_uris: ['http://localhost:5173/cb'],
      scopes: ['openid', 'profile', 'email'],
      refresh: false,
    });
  });

  it('keeps a given secret and prints nothing on stdout', async () => {
    const res = await cli('clients', 'add', 'svc', '--secret', 's3cret-s3cret', '--redirect-uri', 'https://svc.example/cb');
    assert.deepEqual([res.code, res.stdout], [0, '']);
    assert.equal((await showJson('svc', '--show-secrets')).secret, 's3cret-s3cret');
  });

  it('updates lists by replacing them, rotates a secret, and turns a client public', async () => {
    const upd = await cli('clients', 'update', 'client_123', '--redirect-uri', 'https://app.example/cb', '--scope', 'openid');
    assert.deepEqual([upd.code, upd.stderr], [0, '✔ updated client client_123\n']);
    const after = await showJson('client_123', '--show-secrets');
    assert.deepEqual([after.redirect_uris, after.scopes, after.secret], [['https://app.example/cb'], ['openid'], 'client_123-secret-change-me']);

    const rotated = await cli('clients', 'update', 'client_123', '--rotate-secret');
    assert.equal(rotated.code, 0);
    assert.equal((await showJson('client_123', '--show-secrets')).secret, rotated.stdout.trim());
    assert.notEqual(rotated.stdout.trim(), 'client_123-secret-change-me');

    const pub = await cli('clients', 'update', 'client_123', '--public');
    assert.equal(pub.code, 0);
    const publicNow = await showJson('client_123');
    assert.deepEqual([publicNow.public, Object.hasOwn(publicNow, 'secret')], [true, false]);
  });

  it('never turns a public client confidential by the way: --secret or --rotate-secret needs --confidential (exit 2)', async () => {
    for (const argv of [['--secret', 'abc'], ['--rotate-secret']]) {
      const res = await cli('clients', 'update', 'spa_public', ...argv);
      assert.deepEqual(
        [res.code, res.stdout, res.stderr],
        [
          2,
          '',
          'error: client spa_public is public and has no secret; to make it confidential, add --confidential (with --secret, or without to generate one)\n',
        ],
      );
      const still = await showJson('spa_public', '--show-secrets');
      assert.deepEqual([still.public, Object.hasOwn(still, 'secret')], [true, false]);
    }
    const given = await cli('clients', 'update', 'spa_public', '--confidential', '--secret', 'a-chosen-secret');
    assert.equal(given.code, 0, given.stderr);
    const confidential = await showJson('spa_public', '--show-secrets');
    assert.deepEqual([confidential.public, confidential.secret], [false, 'a-chosen-secret']);
    // Already confidential: --confidential alone changes nothing (no silent rotation).
    assert.equal((await cli('clients', 'update', 'spa_public', '--confidential')).code, 0);
    assert.equal((await showJson('spa_public', '--show-secrets')).secret, 'a-chosen-secret');
    assert.equal((await cli('clients', 'update', 'spa_public', '--public')).code, 0);
    const generated = await cli('clients', 'update', 'spa_public', '--confidential');
    assert.equal(generated.code, 0);
    assert.match(generated.stdout, /^[\w-]{43}\n$/);
    assert.equal((await showJson('spa_public', '--show-secrets')).secret, generated.stdout.trim());
  });

  it('removes a client', async () => {
    const res = await cli('clients', 'remove', 'spa_public', '--json');
    assert.equal(res.code, 0);
    assert.equal((JSON.parse(res.stdout) as { id: string }).id, 'spa_public');
    const ids = (JSON.parse((await cli('clients', 'list', '--json')).stdout) as { id: string }[]).map((c) => c.id);
    assert.deepEqual(ids, ['client_123']);
  });

  for (const argv of [
    ['show', 'nope'],
    ['update', 'nope', '--name', 'x'],
    ['remove', 'nope'],
  ]) {
    it(`clients ${argv[0]} of an unknown client names those that exist (exit 1)`, async () => {
      const res = await cli('clients', ...argv);
      assert.deepEqual([res.code, res.stdout, res.stderr], [1, '', `error: no client "nope" in ${db} (known: client_123, spa_public)\n`]);
    });
  }

  it('refuses a duplicate id (exit 1)', async () => {
    const res = await cli('clients', 'add', 'client_123', '--redirect-uri', 'https://x.example/cb');
    assert.deepEqual([res.code, res.stderr], [1, 'error: client "client_123" already exists; change it with: oauth-mock clients update client_123\n']);
  });

  const usage: [string, string[], RegExp][] = [
    ['no redirect URI', ['add', 'x'], /^error: a client needs at least one --redirect-uri\n$/],
    ['a relative redirect URI', ['add', 'x', '--redirect-uri', '/cb'], /^error: --redirect-uri \/cb is not an absolute URI\n$/],
    [
      'a redirect URI with a fragment',
      ['add', 'x', '--redirect-uri', 'https://a.example/cb#x'],
      /^error: --redirect-uri https:\/\/a\.example\/cb#x must not contain a fragment\n$/,
    ],
    [
      '--public with --secret',
      ['add', 'x', '--public', '--secret', 'abc', '--redirect-uri', 'https://a.example/cb'],
      /^error: option '--public' cannot be used with option '--secret <secret>'/,
    ],
    [
      'a bad scope character',
      ['add', 'x', '--redirect-uri', 'https://a.example/cb', '--scope', 'a"b'],
      /^error: --scope a"b has a character RFC 6749 §3\.3 does not allow\n$/,
    ],
    ['update with nothing to change', ['update', 'client_123'], /^error: nothing to change/],
  ];
  for (const [name, argv, message] of usage) {
    it(`answers ${name} with a usage error (exit 2)`, async () => {
      const res = await cli('clients', ...argv);
      assert.equal(res.code, 2);
      assert.equal(res.stdout, '');
      assert.match(res.stderr, message);
    });
  }
});
