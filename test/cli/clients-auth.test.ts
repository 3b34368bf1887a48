// `clients add|update` for the oidc profile's client records: the authentication method, the
// public keys of a private_key_jwt client (from a JWKS file), and the grant types.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { cliDirs, runCli } from '../helpers/run-cli.js';

describe('oauth-mock clients: authentication methods and grant types', () => {
  const dirs = cliDirs();
  after(() => dirs.cleanup());
  let cwd: string;
  let db: string;
  let publicJwk: Record<string, unknown>;
  const cli = (...argv: string[]) => runCli([...argv, '--db', db], { cwd });
  const showJson = async (id: string) => JSON.parse((await cli('clients', 'show', id, '--json', '--show-secrets')).stdout) as Record<string, unknown>;

  before(async () => {
    const { publicKey } = await generateKeyPair('ES256');
    publicJwk = { ...(await exportJWK(publicKey)), kid: 'signer-1' };
  });
  beforeEach(() => {
    cwd = dirs.make();
    db = join(cwd, 'db.json');
  });

  it('adds a private_key_jwt client from a JWK Set file, with no secret', async () => {
    writeFileSync(join(cwd, 'signer.jwks.json'), JSON.stringify({ keys: [publicJwk] }));
    const res = await cli(
      'clients',
      'add',
      'signer',
      '--auth-method',
      'private_key_jwt',
      '--jwks',
      'signer.jwks.json',
      '--redirect-uri',
      'http://localhost:4000/cb',
    );
    assert.deepEqual([res.code, res.stdout, res.stderr], [0, '', `✔ added confidential client signer to ${db}\n`]);
    assert.deepEqual(await showJson('signer'), {
      id: 'signer',
      public: false,
      redirect_uris: ['http://localhost:4000/cb'],
      scopes: ['openid', 'profile', 'email'],
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [publicJwk] },
    });
    const shown = await cli('clients', 'show', 'signer');
    assert.match(shown.stdout, /\nauth method: +private_key_jwt\njwks: +signer-1\n$/);
  });

  it('takes a file holding a single JWK too', async () => {
    writeFileSync(join(cwd, 'one.jwk.json'), JSON.stringify(publicJwk));
    const res = await cli(
      'clients',
      'add',
      'signer',
      '--auth-method',
      'private_key_jwt',
      '--jwks',
      'one.jwk.json',
      '--redirect-uri',
      'http://localhost:4000/cb',
    );
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual((await showJson('signer')).jwks, { keys: [publicJwk] });
  });

  it('adds a client_secret_post client with a generated secret, and a none client as public', async () => {
    const post = await cli('clients', 'add', 'poster', '--auth-method', 'client_secret_post', '--redirect-uri', 'http://localhost:4000/cb');
    assert.equal(post.code, 0, post.stderr);
    const record = await showJson('poster');
    assert.deepEqual([record.token_endpoint_auth_method, record.secret, record.public], ['client_secret_post', post.stdout.trim(), false]);
    const none = await cli('clients', 'add', 'spa2', '--auth-method', 'none', '--redirect-uri', 'http://localhost:5173/cb');
    assert.deepEqual([none.code, none.stdout], [0, '']);
    const spa = await showJson('spa2');
    assert.deepEqual([spa.public, spa.token_endpoint_auth_method, Object.hasOwn(spa, 'secret')], [true, 'none', false]);
  });

  it('adds a client_credentials client without a redirect URI', async () => {
    const res = await cli('clients', 'add', 'worker', '--grant-type', 'client_credentials', '--scope', 'api:read', '--secret', 'worker-secret');
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(await showJson('worker'), {
      id: 'worker',
      public: false,
      secret: 'worker-secret',
      redirect_uris: [],
      scopes: ['api:read'],
      grant_types: ['client_credentials'],
    });
  });

  it('switches an existing client to private_key_jwt with update', async () => {
    writeFileSync(join(cwd, 'k.json'), JSON.stringify({ keys: [publicJwk] }));
    const res = await cli('clients', 'update', 'client_123', '--auth-method', 'private_key_jwt', '--jwks', 'k.json');
    assert.equal(res.code, 0, res.stderr);
    const record = await showJson('client_123');
    assert.deepEqual([record.token_endpoint_auth_method, record.jwks], ['private_key_jwt', { keys: [publicJwk] }]);
  });

  const failures: [string, () => string[], number, RegExp][] = [
    [
      'an unknown method',
      () => ['add', 'x', '--auth-method', 'client_secret_jwt', '--redirect-uri', 'https://a.example/cb'],
      2,
      /^error: option '--auth-method <method>' argument 'client_secret_jwt' is invalid\. Allowed choices are client_secret_basic, client_secret_post, private_key_jwt, none\./,
    ],
    [
      'private_key_jwt without --jwks',
      () => ['add', 'x', '--auth-method', 'private_key_jwt', '--redirect-uri', 'https://a.example/cb'],
      1,
      /^error: clients add: private_key_jwt client x needs "jwks"/,
    ],
    [
      'a missing JWKS file',
      () => ['add', 'x', '--auth-method', 'private_key_jwt', '--jwks', 'nope.json', '--redirect-uri', 'https://a.example/cb'],
      1,
      /^error: cannot read --jwks .*nope\.json: it does not exist\n$/,
    ],
    [
      '--jwks for a secret client',
      () => ['add', 'x', '--jwks', 'k.json', '--redirect-uri', 'https://a.example/cb'],
      1,
      /has "jwks" but its token_endpoint_auth_method is not private_key_jwt/,
    ],
    [
      'an unknown grant type',
      () => ['add', 'x', '--grant-type', 'password', '--redirect-uri', 'https://a.example/cb'],
      1,
      /"grant_types" must be a list of authorization_code, refresh_token, client_credentials/,
    ],
    [
      'a secret method on a public client',
      () => ['add', 'x', '--public', '--auth-method', 'client_secret_basic', '--redirect-uri', 'https://a.example/cb'],
      1,
      /is public, so its token_endpoint_auth_method must be none/,
    ],
  ];
  for (const [name, argv, code, message] of failures) {
    it(`refuses ${name} (exit ${code})`, async () => {
      writeFileSync(join(cwd, 'k.json'), JSON.stringify({ keys: [publicJwk] }));
      const res = await cli('clients', ...argv());
      assert.deepEqual([res.code, res.stdout], [code, '']);
      assert.match(res.stderr, message);
      assert.equal((await cli('clients', 'show', 'x')).code, 1, 'nothing was added');
    });
  }

  it('refuses a JWKS holding a private key, saying to register the public one', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    writeFileSync(join(cwd, 'private.json'), JSON.stringify({ keys: [await exportJWK(privateKey)] }));
    const res = await cli('clients', 'add', 'x', '--auth-method', 'private_key_jwt', '--jwks', 'private.json', '--redirect-uri', 'https://a.example/cb');
    assert.equal(res.code, 1);
    assert.match(res.stderr, /jwks key 0 holds private members \(d, p, q, dp, dq, qi\); register the public key only\n$/);
  });
});
