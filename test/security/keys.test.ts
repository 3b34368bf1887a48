// Signing keys (RFC 7517, RFC 7518 §3.3–3.4, OIDC Discovery §3, RFC 8725 §3.1): JWKS publishes
// public members only, keys persist across restarts, rotation keeps the previous key published
// for its grace period, and a key brought with --key-file becomes the signing key.
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import supertest from 'supertest';
import { createApp } from '../../src/app.js';
import { BODY_LIMIT, DEFAULT_TTLS } from '../../src/config/defaults.js';
import { findUser } from '../../src/core/lookup.js';
import { listen } from '../../src/server.js';
import { loadFixtures } from '../../src/store/fixtures.js';
import { createStore } from '../../src/store/index.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import type { Store } from '../../src/store/types.js';
import { jwkThumbprint, parseKeyFile } from '../../src/tokens/key-import.js';
import { DEFAULT_KEY_GRACE, ensureKeys, rotateKeys, type SigningAlg } from '../../src/tokens/keys.js';
import { authorizeQuery, bootstrap, codeExchange, decodeJwt, fakeClock, ISSUER } from '../helpers/bootstrap.js';
import { assertMatchesSpec } from '../helpers/openapi.js';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];
type Jwk = Record<string, string>;

/** An app on `store`, and a helper that runs the whole code flow for alice. */
function appOn(store: Store, alg: SigningAlg, clock = fakeClock()) {
  const app = createApp({ store, clock, config: { issuer: ISSUER, basePath: '', alg, ttl: { ...DEFAULT_TTLS }, bodyLimit: BODY_LIMIT } });
  const agent = supertest(app.callback());
  async function tokens(): Promise<{ access_token: string; id_token: string }> {
    const data = store.read();
    const user = app.appContext.tokens.mintUser(data, findUser(data, 'alice') ?? { id: 'alice' }, { ttl: 3600 }).token;
    const res = await agent.get(`/oauth/authorize?${authorizeQuery()}`).set('Authorization', `Bearer ${user}`);
    const code = new URL(String(res.headers.location)).searchParams.get('code');
    const token = await agent.post('/oauth/token').send(codeExchange(code));
    assert.equal(token.status, 200, JSON.stringify(token.body));
    return token.body.data as { access_token: string; id_token: string };
  }
  const userinfo = (token: string) => agent.get('/oauth/userinfo').set('Authorization', `Bearer ${token}`);
  const jwks = async () => (await agent.get('/.well-known/jwks.json')).body as { keys: Jwk[] };
  return { app, agent, clock, tokens, userinfo, jwks };
}

/** Verifies a token the way an application would: JWKS by kid, algorithm pinned. */
function verifyLikeAnApp(token: string, jwks: { keys: Jwk[] }, alg: SigningAlg): jwt.JwtPayload {
  const { kid } = decodeJwt(token).header;
  const jwk = jwks.keys.find((k) => k.kid === kid);
  assert.ok(jwk, `kid ${String(kid)} is not in the JWKS`);
  return jwt.verify(token, createPublicKey({ key: jwk, format: 'jwk' }), {
    algorithms: [alg],
    issuer: ISSUER,
    clockTimestamp: Math.floor(Date.UTC(2026, 0, 1) / 1000),
  }) as jwt.JwtPayload;
}

describe('security: signing keys', () => {
  describe('JWKS and discovery', () => {
    it('HS256 publishes no key (the secret is never a JWK)', async () => {
      const h = await bootstrap();
      const res = await h.agent.get('/.well-known/jwks.json');
      assert.deepEqual(res.body, { keys: [] });
      assertMatchesSpec('jwks', 200, res.body);
      assert.deepEqual((await h.agent.get('/.well-known/openid-configuration')).body.id_token_signing_alg_values_supported, ['HS256']);
      assert.equal(decodeJwt((await h.tokens()).access_token as string).header.kid, undefined);
    });

    const shapes: Array<[SigningAlg, (jwk: Jwk) => void]> = [
      [
        'RS256',
        (jwk) => {
          assert.equal(jwk.kty, 'RSA');
          assert.equal(Buffer.from(jwk.n ?? '', 'base64url').length * 8, 2048);
          assert.equal(jwk.e, 'AQAB');
        },
      ],
      [
        'ES256',
        (jwk) => {
          assert.equal(jwk.kty, 'EC');
          assert.equal(jwk.crv, 'P-256');
          assert.equal(Buffer.from(jwk.x ?? '', 'base64url').length, 32);
          assert.equal(Buffer.from(jwk.y ?? '', 'base64url').length, 32);
        },
      ],
    ];
    for (const [alg, shape] of shapes) {
      it(`${alg}: public members only, with kid, use "sig" and alg; tokens verify against it like an app would`, async () => {
        const h = await bootstrap({ alg });
        const res = await h.agent.get('/.well-known/jwks.json');
        assertMatchesSpec('jwks', 200, res.body);
        const keys = res.body.keys as Jwk[];
        assert.equal(keys.length, 1);
        const jwk = keys[0] as Jwk;
        for (const member of PRIVATE_MEMBERS) assert.equal(Object.hasOwn(jwk, member), false, `JWKS leaks ${member}`);
        assert.equal(typeof jwk.kid, 'string');
        assert.equal(jwk.use, 'sig');
        assert.equal(jwk.alg, alg);
        shape(jwk);
        assert.deepEqual((await h.agent.get('/.well-known/openid-configuration')).body.id_token_signing_alg_values_supported, [alg]);
        const t = await h.tokens();
        for (const token of [t.access_token, t.id_token] as string[]) {
          assert.equal(decodeJwt(token).header.alg, alg);
          assert.equal(verifyLikeAnApp(token, res.body, alg).sub, 'alice');
        }
      });
    }
  });

  describe('persistence and rotation', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'oauth-mock-keys-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('an RS256 store restarted keeps the same kid, and tokens issued before still verify', async () => {
      const path = join(dir, 'db.json');
      const clock = fakeClock();
      let store = await createStore({ path, seed: () => loadFixtures() });
      await ensureKeys(store, { alg: 'RS256' }, Math.floor(clock.now() / 1000));
      const before = appOn(store, 'RS256', clock);
      const { access_token: access } = await before.tokens();
      const kid = (await before.jwks()).keys[0]?.kid;
      await store.close();

      store = await createStore({ path, seed: () => loadFixtures() });
      try {
        await ensureKeys(store, { alg: 'RS256' }, Math.floor(clock.now() / 1000));
        const after = appOn(store, 'RS256', clock);
        assert.deepEqual(
          (await after.jwks()).keys.map((k) => k.kid),
          [kid],
        );
        assert.equal((await after.userinfo(access)).status, 200);
        assert.equal(decodeJwt((await after.tokens()).access_token).header.kid, kid);
      } finally {
        await store.close();
      }
    });

    it('rotation: new tokens use the new kid, old ones verify until the grace period ends, then fail', async () => {
      const h = await bootstrap({ alg: 'ES256' });
      const old = (await h.tokens()).access_token as string;
      const oldKid = decodeJwt(old).header.kid;
      const longUserToken = h.userToken('alice', { ttl: 3 * DEFAULT_KEY_GRACE });
      const now = Math.floor(h.clock.now() / 1000);
      const rotated = await rotateKeys(h.store, { alg: 'ES256', now });
      assert.deepEqual(rotated.retired, [{ kid: oldKid, drop_at: now + DEFAULT_KEY_GRACE }]);

      const jwks = (await h.agent.get('/.well-known/jwks.json')).body as { keys: Jwk[] };
      assert.deepEqual(jwks.keys.map((k) => k.kid).sort(), [oldKid, rotated.kid].sort());
      const fresh = (await h.tokens()).access_token as string;
      assert.equal(decodeJwt(fresh).header.kid, rotated.kid);
      assert.equal((await h.agent.get('/oauth/userinfo').set('Authorization', `Bearer ${old}`)).status, 200);

      // Past the grace period the running server stops publishing and accepting the old key,
      // even for a (long-lived) token it signed; the next start drops it from the store.
      h.clock.advance(DEFAULT_KEY_GRACE);
      const after = (await h.agent.get('/.well-known/jwks.json')).body as { keys: Jwk[] };
      assert.deepEqual(
        after.keys.map((k) => k.kid),
        [rotated.kid],
      );
      const res = await h.agent.get(`/oauth/authorize?${authorizeQuery()}`).set('Authorization', `Bearer ${longUserToken}`);
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'invalid_token');
      assert.match(res.body.error.message, /key this server does not know/);
      assert.equal(h.store.read().meta.keys?.length, 2);
      await ensureKeys(h.store, { alg: 'ES256' }, now + DEFAULT_KEY_GRACE);
      assert.deepEqual(
        h.store.read().meta.keys?.map((k) => k.kid),
        [rotated.kid],
      );
    });

    it('a second rotation drops keys whose grace has passed and keeps the others', async () => {
      const store = createMemoryStore(loadFixtures());
      await ensureKeys(store, { alg: 'RS256' }, 1000);
      const first = store.read().meta.keys?.[0]?.kid;
      const second = await rotateKeys(store, { alg: 'RS256', now: 2000, grace: 100 });
      const third = await rotateKeys(store, { alg: 'RS256', now: 2100, grace: 100 });
      const keys = store.read().meta.keys ?? [];
      assert.deepEqual(
        keys.map((k) => k.kid),
        [second.kid, third.kid],
      );
      assert.ok(!keys.some((k) => k.kid === first));
      assert.deepEqual(
        keys.map((k) => k.retired_at),
        [2100, undefined],
      );
    });

    it('rotating HS256 replaces the secret: earlier tokens stop verifying', async () => {
      const h = await bootstrap();
      const old = (await h.tokens()).access_token as string;
      const result = await rotateKeys(h.store, { alg: 'HS256', now: 0 });
      assert.equal(result.secretReplaced, true);
      assert.equal((await h.agent.get('/oauth/userinfo').set('Authorization', `Bearer ${old}`)).status, 401);
      assert.equal((await h.agent.get('/oauth/userinfo').set('Authorization', `Bearer ${(await h.tokens()).access_token}`)).status, 200);
    });
  });

  describe('bring your own key (--key-file)', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = (key: KeyObject, type: 'pkcs8' | 'pkcs1' | 'sec1' | 'spki') => key.export({ type, format: 'pem' } as never).toString();

    it('a server started with a PEM key signs with it, and keeps it after a restart without the flag', async () => {
      const store = createMemoryStore(loadFixtures());
      const key = parseKeyFile(pem(rsa.privateKey, 'pkcs1'));
      assert.equal(key.alg, 'RS256');
      assert.equal(key.kid, jwkThumbprint(rsa.privateKey));
      let server = await listen({ store, port: 0, host: '127.0.0.1', alg: 'RS256', key });
      try {
        const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: Jwk[] };
        assert.deepEqual(
          jwks.keys.map((k) => k.kid),
          [key.kid],
        );
        assert.equal(jwks.keys[0]?.n, rsa.publicKey.export({ format: 'jwk' }).n);
      } finally {
        await server.close();
      }
      server = await listen({ store, port: 0, host: '127.0.0.1', alg: 'RS256' });
      try {
        const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: Jwk[] };
        assert.deepEqual(
          jwks.keys.map((k) => k.kid),
          [key.kid],
        );
      } finally {
        await server.close();
      }
    });

    it('importing a key over a generated one retires the generated one (still published for its grace)', async () => {
      const store = createMemoryStore(loadFixtures());
      await ensureKeys(store, { alg: 'ES256' }, 1000);
      const generated = store.read().meta.keys?.[0]?.kid;
      const key = parseKeyFile(JSON.stringify({ ...ec.privateKey.export({ format: 'jwk' }), kid: 'my-key' }));
      assert.deepEqual([key.alg, key.kid], ['ES256', 'my-key']);
      await ensureKeys(store, { alg: 'ES256', imported: key }, 2000);
      const keys = store.read().meta.keys ?? [];
      assert.deepEqual(
        keys.map((k) => [k.kid, k.retired_at]),
        [
          [generated, 2000],
          ['my-key', undefined],
        ],
      );
      // Starting again with the same file changes nothing.
      await ensureKeys(store, { alg: 'ES256', imported: key }, 3000);
      assert.deepEqual(store.read().meta.keys, keys);
      const { app } = appOn(store, 'ES256');
      assert.equal(app.appContext.keys(store.read()).signing.kid, 'my-key');
    });

    const refused: Array<[string, () => string, RegExp]> = [
      ['a public key PEM', () => pem(rsa.publicKey, 'spki'), /public key/],
      ['a public JWK', () => JSON.stringify(rsa.publicKey.export({ format: 'jwk' })), /private member "d"/],
      ['a 1024-bit RSA key', () => pem(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey, 'pkcs8'), /at least 2048/],
      ['an EC key on P-384', () => pem(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey, 'sec1'), /P-256/],
      ['an Ed25519 key', () => pem(generateKeyPairSync('ed25519').privateKey, 'pkcs8'), /cannot sign/],
      ['garbage', () => 'hello', /neither a private-key PEM nor a JWK/],
      ['broken JSON', () => '{"kty":', /not valid JSON/],
      ['a JWK whose alg disagrees', () => JSON.stringify({ ...ec.privateKey.export({ format: 'jwk' }), alg: 'RS256' }), /says alg RS256/],
    ];
    for (const [name, text, message] of refused) {
      it(`refuses ${name}`, () => {
        assert.throws(() => parseKeyFile(text()), message);
      });
    }

    it('refuses a key for another algorithm than --alg', () => {
      assert.throws(() => parseKeyFile(pem(ec.privateKey, 'pkcs8'), 'RS256'), /--alg is RS256, but the key file holds a key for ES256/);
      return assert.rejects(ensureKeys(createMemoryStore(loadFixtures()), { alg: 'HS256', imported: parseKeyFile(pem(ec.privateKey, 'pkcs8')) }, 0), /HS256/);
    });
  });
});
