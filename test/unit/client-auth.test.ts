// Client authentication in the core, every method (RFC 6749 §2.3, RFC 7523 §3): the rules the
// token, revoke and introspection endpoints share in both profiles.
import assert from 'node:assert/strict';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { authenticateClient, type ClientCredentials } from '../../src/core/client-auth.js';
import { JWT_BEARER_ASSERTION } from '../../src/core/client-methods.js';
import { emptyData, type Client } from '../../src/core/types.js';
import { OAuthError } from '../../src/errors.js';
import { validateClient } from '../../src/store/fixtures.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import type { Store } from '../../src/store/types.js';

const ISSUER = 'http://127.0.0.1:9400';
const TOKEN_URL = `${ISSUER}/oauth/token`;
const NOW = 1_767_225_600;

async function rejects(promise: Promise<unknown>, status: number, code: string, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof OAuthError, String(error));
    assert.deepEqual([error.status, error.code], [status, code], error.message);
    assert.match(error.message, message);
    return true;
  });
}

describe('core client authentication', () => {
  let store: Store;
  let key: CryptoKey;
  let otherKey: CryptoKey;
  let publicJwk: JWK;
  const auth = (creds: ClientCredentials, now = NOW) => authenticateClient({ store, now, audiences: [ISSUER, TOKEN_URL] }, creds);
  const assertion = (claims: Record<string, unknown> = {}, signWith: CryptoKey = key, header: Record<string, unknown> = {}) =>
    new SignJWT({ iss: 'jwt_client', sub: 'jwt_client', aud: ISSUER, iat: NOW, exp: NOW + 60, jti: `jti-${Math.random()}`, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1', ...header })
      .sign(signWith);
  const jwtCreds = (value: string, extra: ClientCredentials = {}): ClientCredentials => ({ assertion: value, assertionType: JWT_BEARER_ASSERTION, ...extra });

  before(async () => {
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    otherKey = (await generateKeyPair('RS256')).privateKey;
  });

  beforeEach(() => {
    const data = emptyData();
    const clients: Client[] = [
      { id: 'both', secret: 's3cret', public: false, redirect_uris: ['https://a.example/cb'], scopes: ['openid'] },
      {
        id: 'basic_only',
        secret: 's3cret',
        public: false,
        redirect_uris: ['https://a.example/cb'],
        scopes: ['openid'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
      {
        id: 'post_only',
        secret: 's3cret',
        public: false,
        redirect_uris: ['https://a.example/cb'],
        scopes: ['openid'],
        token_endpoint_auth_method: 'client_secret_post',
      },
      { id: 'spa', public: true, redirect_uris: ['https://a.example/cb'], scopes: ['openid'], token_endpoint_auth_method: 'none' },
      {
        id: 'jwt_client',
        public: false,
        redirect_uris: ['https://a.example/cb'],
        scopes: ['openid'],
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [publicJwk] },
      },
    ];
    for (const c of clients) data.clients[c.id] = validateClient(c, 'test');
    store = createMemoryStore(data);
  });

  describe('secrets and none', () => {
    it('accepts each method the client is registered for', async () => {
      assert.equal((await auth({ basic: { id: 'both', secret: 's3cret' } })).id, 'both');
      assert.equal((await auth({ clientId: 'both', clientSecret: 's3cret' })).id, 'both');
      assert.equal((await auth({ basic: { id: 'basic_only', secret: 's3cret' } })).id, 'basic_only');
      assert.equal((await auth({ clientId: 'post_only', clientSecret: 's3cret' })).id, 'post_only');
      assert.equal((await auth({ clientId: 'spa' })).id, 'spa');
    });

    it('refuses a right secret sent by a method the client is not registered for', async () => {
      await rejects(
        auth({ clientId: 'basic_only', clientSecret: 's3cret' }),
        400,
        'invalid_client',
        /registered for client_secret_basic, not client_secret_post/,
      );
      await rejects(
        auth({ basic: { id: 'post_only', secret: 's3cret' } }),
        401,
        'invalid_client',
        /registered for client_secret_post, not client_secret_basic/,
      );
    });

    it('refuses two methods in one request with invalid_request', async () => {
      await rejects(auth({ basic: { id: 'both', secret: 's3cret' }, clientSecret: 's3cret' }), 400, 'invalid_request', /not both/);
      const value = await assertion();
      await rejects(
        auth(jwtCreds(value, { clientSecret: 's3cret' })),
        400,
        'invalid_request',
        /one client authentication method per request .* not client_secret_post and private_key_jwt/,
      );
      await rejects(auth(jwtCreds(value, { basic: { id: 'jwt_client', secret: 'x' } })), 400, 'invalid_request', /not client_secret_basic and private_key_jwt/);
    });

    it('answers a wrong secret like an unknown client', async () => {
      await rejects(auth({ clientId: 'both', clientSecret: 'nope' }), 400, 'invalid_client', /^client authentication failed: unknown client or wrong secret$/);
      await rejects(
        auth({ clientId: 'ghost', clientSecret: 's3cret' }),
        400,
        'invalid_client',
        /^client authentication failed: unknown client or wrong secret$/,
      );
    });

    it('tells a private_key_jwt client that sent only its id what to send', async () => {
      await rejects(auth({ clientId: 'jwt_client' }), 400, 'invalid_client', /authenticates with private_key_jwt: send client_assertion/);
    });
  });

  describe('private_key_jwt (RFC 7523)', () => {
    it("accepts an assertion signed by a key of the client's jwks, with aud the issuer or the token endpoint", async () => {
      assert.equal((await auth(jwtCreds(await assertion()))).id, 'jwt_client');
      assert.equal((await auth(jwtCreds(await assertion({ aud: TOKEN_URL })))).id, 'jwt_client');
      assert.equal((await auth(jwtCreds(await assertion(), { clientId: 'jwt_client' }))).id, 'jwt_client');
    });

    it('makes the jti single use, remembered in the store until the assertion expires', async () => {
      const value = await assertion({ jti: 'once' });
      await auth(jwtCreds(value));
      await rejects(auth(jwtCreds(value)), 400, 'invalid_client', /jti was already used/);
      const keys = Object.keys(store.read().denylist);
      assert.equal(keys.length, 1);
      assert.match(keys[0] ?? '', /^client-assertion:/);
      assert.equal(store.read().denylist[keys[0] ?? ''], NOW + 60);
      // Pruned with the denylist once the assertion has expired.
      assert.equal(await store.prune(NOW + 60), 1);
    });

    it('lets exactly one of parallel requests with the same assertion through', async () => {
      const value = await assertion({ jti: 'race' });
      const results = await Promise.allSettled(Array.from({ length: 10 }, () => auth(jwtCreds(value))));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    });

    const cases: Array<[string, () => Promise<ClientCredentials>, number, string, RegExp]> = [
      [
        'a wrong audience',
        async () => jwtCreds(await assertion({ aud: 'https://elsewhere.example' })),
        400,
        'invalid_client',
        /aud must be one of http:\/\/127\.0\.0\.1:9400, http:\/\/127\.0\.0\.1:9400\/oauth\/token/,
      ],
      ['an expired assertion', async () => jwtCreds(await assertion({ exp: NOW - 1 })), 400, 'invalid_client', /expired/],
      ['no jti', async () => jwtCreds(await assertion({ jti: undefined })), 400, 'invalid_client', /jti claim is required/],
      ['another key', async () => jwtCreds(await assertion({}, otherKey)), 400, 'invalid_client', /signature does not verify/],
      ['an unknown kid', async () => jwtCreds(await assertion({}, key, { kid: 'k9' })), 400, 'invalid_client', /no key in the client's jwks matches/],
      ['iss other than the client', async () => jwtCreds(await assertion({ iss: 'both' })), 400, 'invalid_client', /iss must be the client_id/],
      [
        'a client registered for secrets',
        async () => jwtCreds(await assertion({ sub: 'both', iss: 'both' })),
        400,
        'invalid_client',
        /registered for client_secret_basic, client_secret_post, not private_key_jwt/,
      ],
      ['an unknown client', async () => jwtCreds(await assertion({ sub: 'ghost', iss: 'ghost' })), 400, 'invalid_client', /unknown client "ghost"/],
      [
        'client_id naming another client',
        async () => jwtCreds(await assertion(), { clientId: 'both' }),
        400,
        'invalid_client',
        /differs from the client_assertion's sub/,
      ],
      ['a garbage assertion', async () => jwtCreds('not-a-jwt'), 400, 'invalid_client', /not a JWT/],
      [
        'another assertion type',
        async () => ({ assertion: await assertion(), assertionType: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer' }),
        400,
        'invalid_client',
        /is not supported/,
      ],
      ['no assertion type', async () => ({ assertion: await assertion() }), 400, 'invalid_request', /client_assertion_type is required/],
      ['a type without an assertion', async () => ({ assertionType: JWT_BEARER_ASSERTION }), 400, 'invalid_request', /client_assertion is required/],
    ];
    for (const [name, creds, status, code, message] of cases) {
      it(`refuses ${name}`, async () => {
        await rejects(auth(await creds()), status, code, message);
        assert.deepEqual(Object.keys(store.read().denylist), [], 'nothing remembered for a refused assertion');
      });
    }

    it('refuses an HS256 assertion keyed with the public key (alg confusion)', async () => {
      const { createSecretKey } = await import('node:crypto');
      const hmacKey = createSecretKey(Buffer.from(JSON.stringify(publicJwk)));
      const forged = await new SignJWT({ jti: 'x' })
        .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
        .setIssuer('jwt_client')
        .setSubject('jwt_client')
        .setAudience(ISSUER)
        .setExpirationTime(NOW + 60)
        .sign(hmacKey);
      await rejects(auth(jwtCreds(forged)), 400, 'invalid_client', /alg is not one of|no key/);
    });
  });

  describe('client records', () => {
    const base = { id: 'c', redirect_uris: ['https://a.example/cb'], scopes: ['openid'] };
    const bad: Array<[string, Record<string, unknown>, RegExp]> = [
      [
        'an unknown method',
        { secret: 's', token_endpoint_auth_method: 'client_secret_jwt' },
        /must be one of client_secret_basic, client_secret_post, private_key_jwt, none/,
      ],
      ['none on a confidential client', { secret: 's', token_endpoint_auth_method: 'none' }, /none is for public clients/],
      [
        'a secret method on a public client',
        { public: true, token_endpoint_auth_method: 'client_secret_post' },
        /is public, so its token_endpoint_auth_method must be none/,
      ],
      ['private_key_jwt without jwks', { token_endpoint_auth_method: 'private_key_jwt' }, /needs "jwks"/],
      ['a private key in jwks', { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ kty: 'oct', k: 'abc' }] } }, /holds private members \(k\)/],
      ['an unusable key', { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ kty: 'RSA', n: 'x' }] } }, /not a usable public JWK/],
      ['jwks with a secret method', { secret: 's', jwks: { keys: [] } }, /has "jwks" but/],
      [
        'an unknown grant type',
        { secret: 's', grant_types: ['password'] },
        /"grant_types" must be a list of authorization_code, refresh_token, client_credentials/,
      ],
    ];
    for (const [name, fields, message] of bad) {
      it(`refuses ${name}`, () => assert.throws(() => validateClient({ ...base, ...fields }, 'clients.json'), { message }));
    }

    it('needs no secret for a private_key_jwt client', () => {
      const c = validateClient({ ...base, token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [publicJwk] } }, 'clients.json');
      assert.equal(c.public, false);
      assert.equal(c.secret, undefined);
    });
  });
});
