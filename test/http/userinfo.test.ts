// GET /oauth/userinfo: contract rules 11, 12 and 15 (OIDC Core §5.3, RFC 6750, RFC 8725).
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Data } from '../../src/core/types.js';
import { loadFixtures } from '../../src/store/fixtures.js';
import { bootstrap, decodeJwt, ISSUER, type Harness } from '../helpers/bootstrap.js';
import { assertBearerChallenge, assertError, nowSeconds, signHs, spec, unsignedJwt, userinfo } from './helpers.js';

const ALICE_PROFILE = {
  name: 'Alice Liddell',
  given_name: 'Alice',
  family_name: 'Liddell',
  preferred_username: 'alice',
  updated_at: 1767225600,
};
const ALICE_EMAIL = { email: 'alice@example.com', email_verified: true };

function withCarol(): Data {
  const data = loadFixtures();
  // Few claims, and a custom claim that is null: absent claims must be omitted, never null.
  data.users.carol = { id: 'carol', name: 'Carol', email: 'carol@example.com', claims: { dept: null, level: 3 } };
  return data;
}

describe('GET /oauth/userinfo', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await bootstrap({ data: withCarol() });
  });

  describe('rule 15: claims exactly by granted scope', () => {
    const cases: [string, Record<string, unknown>][] = [
      ['openid', { sub: 'alice', roles: ['admin', 'user'] }],
      ['openid profile', { sub: 'alice', ...ALICE_PROFILE, roles: ['admin', 'user'] }],
      ['openid email', { sub: 'alice', ...ALICE_EMAIL, roles: ['admin', 'user'] }],
      ['openid profile email', { sub: 'alice', ...ALICE_PROFILE, ...ALICE_EMAIL, roles: ['admin', 'user'] }],
    ];
    for (const [scope, expected] of cases) {
      it(`scope "${scope}" → exactly ${Object.keys(expected).join(', ')}`, async () => {
        const { access_token: at } = await h.tokens({ scope });
        const res = await userinfo(h, at as string);
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, { success: true, data: expected });
      });
    }

    it('absent claims are omitted, never null', async () => {
      const code = await h.code({ scope: 'openid profile email' }, 'carol');
      const { access_token: at } = (
        await h.agent.post('/oauth/token').send({
          grant_type: 'authorization_code',
          code,
          redirect_uri: 'https://client.example.com/callback',
          code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
          client_id: 'client_123',
          client_secret: 'client_123-secret-change-me',
        })
      ).body.data;
      const res = await userinfo(h, at);
      assert.deepEqual(res.body, { success: true, data: { sub: 'carol', name: 'Carol', email: 'carol@example.com', level: 3 } });
    });

    it('custom claims never stand in for standard or registered claims', async () => {
      await h.store.update((tx) =>
        tx.put('users', 'mallory', {
          id: 'mallory',
          claims: { email: 'fake@example.com', name: 'Fake', sub: 'someone-else', iss: 'https://evil.example', aud: 'x', scope: 'admin', team: 'red' },
        }),
      );
      const code = await h.code({ scope: 'openid' }, 'mallory');
      const { access_token: at } = (
        await h.agent.post('/oauth/token').send({
          grant_type: 'authorization_code',
          code,
          redirect_uri: 'https://client.example.com/callback',
          code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
          client_id: 'client_123',
          client_secret: 'client_123-secret-change-me',
        })
      ).body.data;
      const res = await userinfo(h, at);
      assert.deepEqual(res.body, { success: true, data: { sub: 'mallory', team: 'red' } });
      const payload = decodeJwt(at).payload;
      assert.equal(payload.sub, 'mallory');
      assert.equal(payload.iss, ISSUER);
      assert.equal(payload.aud, 'client_123');
      assert.equal(payload.scope, 'openid');
    });

    it('reflects the user as stored now (a changed name shows up)', async () => {
      const { access_token: at } = await h.tokens({ scope: 'openid profile' });
      await h.store.update((tx) => tx.put('users', 'alice', { ...h.store.read().users.alice!, name: 'Alice L.' }));
      assert.equal((await userinfo(h, at as string)).body.data.name, 'Alice L.');
    });

    it('a token without openid → 403 insufficient_scope with the scope in the challenge', async () => {
      const { access_token: at } = await h.tokens({ scope: 'profile email' });
      const res = await userinfo(h, at as string);
      assertError(res, 403, 'insufficient_scope');
      assert.equal(res.headers['www-authenticate'], 'Bearer realm="oauth-mock", error="insufficient_scope", scope="openid"');
    });
  });

  describe('bearer checks', () => {
    it('no Authorization → 401 with a bare challenge', async () => {
      const res = await userinfo(h, null);
      assertError(res, 401, 'invalid_request');
      assertBearerChallenge(res, false);
    });

    it('the token in the query string → 400 invalid_request (header only)', async () => {
      const { access_token: at } = await h.tokens();
      const res = spec('userinfo', await h.agent.get(`/oauth/userinfo?access_token=${at}`));
      assertError(res, 400, 'invalid_request');
    });

    it('the token in a form body is not read either → 401 without error=', async () => {
      const { access_token: at } = await h.tokens();
      const res = spec('userinfo', await h.agent.get('/oauth/userinfo').type('form').send({ access_token: at }));
      assertError(res, 401, 'invalid_request');
      assertBearerChallenge(res, false);
    });

    // Rule 12: every one of these is 401 invalid_token.
    const bad: [string, (h: Harness) => Promise<string> | string][] = [
      ['garbage', () => 'garbage'],
      ['alg none', async (t) => unsignedJwt({ typ: 'at+jwt' }, decodeJwt((await t.tokens()).access_token as string).payload)],
      [
        'alg none with an empty signature removed',
        async (t) => unsignedJwt({ typ: 'at+jwt' }, decodeJwt((await t.tokens()).access_token as string).payload).slice(0, -1),
      ],
      [
        'tampered signature',
        async (t) => {
          const at = (await t.tokens()).access_token as string;
          return `${at.slice(0, -4)}${at.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
        },
      ],
      [
        'tampered payload',
        async (t) => {
          const at = (await t.tokens()).access_token as string;
          const [hd, , sig] = at.split('.');
          const payload = { ...decodeJwt(at).payload, sub: 'bob' };
          return `${hd}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${sig}`;
        },
      ],
      [
        'wrong iss (trailing slash)',
        async (t) => signHs(t, { ...decodeJwt((await t.tokens()).access_token as string).payload, iss: `${ISSUER}/` }, { typ: 'at+jwt' }),
      ],
      [
        'no exp',
        async (t) => {
          const { exp: _exp, ...payload } = decodeJwt((await t.tokens()).access_token as string).payload;
          return signHs(t, payload, { typ: 'at+jwt' });
        },
      ],
      ['future nbf', async (t) => signHs(t, { ...decodeJwt((await t.tokens()).access_token as string).payload, nbf: nowSeconds(t) + 300 }, { typ: 'at+jwt' })],
      [
        'expired (fake clock +3601 s)',
        async (t) => {
          const at = (await t.tokens()).access_token as string;
          t.clock.advance(3601);
          return at;
        },
      ],
      ['an id_token', async (t) => (await t.tokens()).id_token as string],
      ['a user token', (t) => t.userToken()],
      ['a refresh token', async (t) => (await t.tokens()).refresh_token as string],
      ['an access token without typ', async (t) => signHs(t, decodeJwt((await t.tokens()).access_token as string).payload, { typ: undefined })],
      [
        'signed RS256 by a stranger (HS256 server)',
        async (t) => {
          const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
          return jwt.sign(decodeJwt((await t.tokens()).access_token as string).payload, privateKey, {
            algorithm: 'RS256',
            header: { alg: 'RS256', typ: 'at+jwt' },
          });
        },
      ],
      [
        'with a kid the server does not know',
        async (t) => signHs(t, decodeJwt((await t.tokens()).access_token as string).payload, { typ: 'at+jwt', kid: 'k1' }),
      ],
      [
        'revoked jti',
        async (t) => {
          const at = (await t.tokens()).access_token as string;
          const { jti, exp } = decodeJwt(at).payload as { jti: string; exp: number };
          await t.store.update((tx) => tx.put('denylist', jti, exp));
          return at;
        },
      ],
      [
        'for a user deleted since',
        async (t) => {
          const at = (await t.tokens()).access_token as string;
          await t.store.update((tx) => tx.delete('users', 'alice'));
          return at;
        },
      ],
    ];
    for (const [name, make] of bad) {
      it(`${name} → 401 invalid_token`, async () => {
        const res = await userinfo(h, await make(h));
        assertError(res, 401, 'invalid_token');
        assertBearerChallenge(res, true);
      });
    }

    it('a token 1 s before exp still works; 1 s later, after it verified (and was cached), it is expired', async () => {
      const { access_token: at } = await h.tokens();
      assert.equal((await userinfo(h, at as string)).status, 200);
      h.clock.advance(3599);
      assert.equal((await userinfo(h, at as string)).status, 200);
      h.clock.advance(1);
      assertError(await userinfo(h, at as string), 401, 'invalid_token', 'the token has expired');
    });

    it('a verified token is refused once its jti is revoked, and once its key is replaced', async () => {
      const { access_token: at } = await h.tokens();
      assert.equal((await userinfo(h, at as string)).status, 200);
      const { jti, exp } = decodeJwt(at as string).payload as { jti: string; exp: number };
      await h.store.update((tx) => tx.put('denylist', jti, exp));
      assertError(await userinfo(h, at as string), 401, 'invalid_token', 'the access token has been revoked');
      const { access_token: other } = await h.tokens();
      assert.equal((await userinfo(h, other as string)).status, 200);
      await h.store.update((tx) => tx.setMeta('secret', 'a-brand-new-secret-of-at-least-32-bytes!'));
      assertError(await userinfo(h, other as string), 401, 'invalid_token', 'the token signature does not verify');
    });
  });

  describe('under RS256', () => {
    it('works with RS256 tokens; an HS256 token keyed with the public key (alg confusion) → 401 invalid_token', async () => {
      const rs = await bootstrap({ alg: 'RS256' });
      const { access_token: at } = await rs.tokens();
      assert.equal(decodeJwt(at as string).header.alg, 'RS256');
      assert.equal((await userinfo(rs, at as string)).status, 200);

      const jwks = spec('jwks', await rs.agent.get('/.well-known/jwks.json')).body as { keys: (Record<string, string> & { kid: string })[] };
      const jwk = jwks.keys[0];
      assert.ok(jwk);
      const pem = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
      const { header, payload } = decodeJwt(at as string);
      const forged = signHs(rs, payload, { typ: 'at+jwt', kid: header.kid }, pem);
      const res = await userinfo(rs, forged);
      assertError(res, 401, 'invalid_token');
    });
  });
});
