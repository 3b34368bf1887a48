// POST /oauth/token, grant_type=authorization_code: contract rules 9 and 11
// (RFC 6749 §4.1.3, §5; RFC 7636 §4.6; RFC 9068; OIDC Core §2, §3.1.3.6).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { digestKey } from '../../src/core/random.js';
import { bootstrap, decodeJwt, ISSUER, PUBLIC_CLIENT, SEED, type Harness } from '../helpers/bootstrap.js';
import { assertError, assertNoStore, authorize, redeem, redirectParams, refresh, token, userinfo } from './helpers.js';

describe('POST /oauth/token (authorization_code)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await bootstrap();
  });

  it('redeems a code: 200 envelope with Bearer token, expires_in, refresh_token, id_token, scope; no-store', async () => {
    const res = await redeem(h, await h.code());
    assert.equal(res.status, 200);
    assertNoStore(res);
    assert.match(res.headers['content-type'] as string, /^application\/json/);
    assert.deepEqual(Object.keys(res.body).sort(), ['data', 'success']);
    assert.equal(res.body.success, true);
    const { data } = res.body;
    assert.deepEqual(Object.keys(data).sort(), ['access_token', 'expires_in', 'id_token', 'refresh_token', 'scope', 'token_type']);
    assert.equal(data.token_type, 'Bearer');
    assert.equal(data.expires_in, 3600);
    assert.equal(data.scope, 'openid profile email');
  });

  describe('rule 9: the code', () => {
    it('unknown code → invalid_grant, and the message does not echo the code', async () => {
      const res = await redeem(h, 'not-a-real-code-0123456789abcdef');
      assertError(res, 400, 'invalid_grant');
      assert.doesNotMatch(JSON.stringify(res.body), /not-a-real-code/);
    });

    it('still redeems 59 s after issue', async () => {
      const code = await h.code();
      h.clock.advance(59);
      assert.equal((await redeem(h, code)).status, 200);
    });

    it('expires after 60 s (fake clock +61 s) → invalid_grant', async () => {
      const code = await h.code();
      h.clock.advance(61);
      assertError(await redeem(h, code), 400, 'invalid_grant', 'the authorization code is invalid or has expired');
    });

    it("another client's code → invalid_grant", async () => {
      const code = await h.code({ client_id: PUBLIC_CLIENT.clientId, redirect_uri: PUBLIC_CLIENT.redirectUri });
      assertError(await redeem(h, code, { redirect_uri: PUBLIC_CLIENT.redirectUri }), 400, 'invalid_grant');
    });

    const redirectCases: [string, string | undefined][] = [
      ['omitted', undefined],
      ['trailing slash', `${SEED.redirectUri}/`],
      ['another registered one', 'http://localhost:3000/callback'],
    ];
    for (const [name, redirectUri] of redirectCases) {
      it(`redirect_uri ${name} → invalid_grant`, async () => {
        assertError(await redeem(h, await h.code(), { redirect_uri: redirectUri }), 400, 'invalid_grant');
      });
    }

    const verifierCases: [string, string | undefined][] = [
      ['missing', undefined],
      ['wrong', 'x'.repeat(43)],
      ['the challenge itself (S256)', SEED.challenge],
      ['42 characters', SEED.verifier.slice(0, 42)],
      ['129 characters', `${SEED.verifier}${'a'.repeat(86)}`],
      ['with a bad character', `${SEED.verifier.slice(0, 42)}+`],
    ];
    for (const [name, verifier] of verifierCases) {
      it(`code_verifier ${name} → invalid_grant`, async () => {
        assertError(await redeem(h, await h.code(), { code_verifier: verifier }), 400, 'invalid_grant');
      });
    }

    it('code_verifier sent for a code issued without a challenge (downgrade) → invalid_grant', async () => {
      const code = await h.code({ code_challenge: undefined, code_challenge_method: undefined });
      assertError(await redeem(h, code), 400, 'invalid_grant');
      assert.equal((await redeem(h, code, { code_verifier: undefined })).status, 200, 'without a verifier it redeems');
    });

    it('plain: the verifier equals the challenge', async () => {
      const challenge = 'plain-challenge-plain-challenge-plain-challenge';
      const code = await h.code({ code_challenge: challenge, code_challenge_method: 'plain' });
      assertError(await redeem(h, code, { code_verifier: SEED.verifier }), 400, 'invalid_grant');
      assert.equal((await redeem(h, code, { code_verifier: challenge })).status, 200);
    });

    it('a public client redeems with client_id only and the verifier', async () => {
      const code = await h.code({ client_id: PUBLIC_CLIENT.clientId, redirect_uri: PUBLIC_CLIENT.redirectUri });
      const res = await token(h, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: PUBLIC_CLIENT.redirectUri,
        code_verifier: SEED.verifier,
        client_id: PUBLIC_CLIENT.clientId,
      });
      assert.equal(res.status, 200);
      assert.equal(decodeJwt(res.body.data.access_token).payload.client_id, PUBLIC_CLIENT.clientId);
    });

    it('a second use → invalid_grant, and the tokens from the first use are revoked', async () => {
      const code = await h.code();
      const first = await redeem(h, code);
      assert.equal(first.status, 200);
      const { access_token: at, refresh_token: rt } = first.body.data;
      assert.equal((await userinfo(h, at)).status, 200);

      assertError(await redeem(h, code), 400, 'invalid_grant');
      assert.notEqual(h.store.read().codes[digestKey(code)], undefined);

      assertError(await userinfo(h, at), 401, 'invalid_token');
      assertError(await refresh(h, rt), 400, 'invalid_grant');
      // And a third use still fails the same way.
      assertError(await redeem(h, code), 400, 'invalid_grant');
    });

    it('twenty parallel redemptions → exactly one 200, the rest invalid_grant', async () => {
      const code = await h.code();
      const results = await Promise.all(Array.from({ length: 20 }, () => redeem(h, code)));
      const ok = results.filter((r) => r.status === 200);
      assert.equal(ok.length, 1, results.map((r) => r.status).join(','));
      for (const r of results.filter((x) => x.status !== 200)) assertError(r, 400, 'invalid_grant');
      assert.equal(Object.keys(h.store.read().grants).length, 1, 'exactly one grant was created');
    });

    it('the refresh token issued before a replay is refused even after the replay is detected', async () => {
      const code = await h.code();
      const first = (await redeem(h, code)).body.data;
      const second = await refresh(h, first.refresh_token);
      assert.equal(second.status, 200);
      assertError(await redeem(h, code), 400, 'invalid_grant');
      assertError(await refresh(h, second.body.data.refresh_token), 400, 'invalid_grant');
      assertError(await userinfo(h, second.body.data.access_token), 401, 'invalid_token');
    });
  });

  describe('request checks', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['grant_type missing', { grant_type: undefined }, 'invalid_request'],
      ['grant_type password', { grant_type: 'password' }, 'unsupported_grant_type'],
      ['grant_type client_credentials', { grant_type: 'client_credentials' }, 'unsupported_grant_type'],
      ['grant_type unknown', { grant_type: 'urn:x' }, 'unsupported_grant_type'],
      ['code missing', { code: undefined }, 'invalid_request'],
      ['code empty', { code: '' }, 'invalid_request'],
      ['code as an array (a repeated parameter)', { code: ['a', 'b'] }, 'invalid_request'],
      ['grant_type as an array', { grant_type: ['authorization_code'] }, 'invalid_request'],
    ];
    for (const [name, overrides, error] of cases) {
      it(`${name} → 400 ${error}`, async () => {
        const res = await redeem(h, await h.code(), overrides);
        assertError(res, 400, error);
        assertNoStore(res);
      });
    }

    it('a nonce or scope sent at the token endpoint is ignored (the code binds them)', async () => {
      const code = await h.code({ nonce: 'from-authorize', scope: 'openid email' });
      const res = await redeem(h, code, { nonce: 'from-token', scope: 'openid profile email' });
      assert.equal(res.status, 200);
      assert.equal(res.body.data.scope, 'openid email');
      assert.equal(decodeJwt(res.body.data.id_token).payload.nonce, 'from-authorize');
    });
  });

  describe('rule 11: what is issued', () => {
    it("access token: typ at+jwt, HS256, exactly the RFC 9068 claims plus the user's roles; aud = client_id", async () => {
      const authTime = Math.floor(h.clock.now() / 1000) - 120;
      const res = await authorize(h, {}, h.userToken('alice', { authTime }));
      const code = redirectParams(res).get('code') as string;
      const data = (await redeem(h, code)).body.data;
      const { header, payload } = decodeJwt(data.access_token);
      assert.deepEqual(header, { alg: 'HS256', typ: 'at+jwt' });
      const now = Math.floor(h.clock.now() / 1000);
      assert.deepEqual(Object.keys(payload).sort(), ['aud', 'auth_time', 'client_id', 'exp', 'iat', 'iss', 'jti', 'roles', 'scope', 'sub']);
      assert.equal(payload.iss, ISSUER);
      assert.equal(payload.sub, 'alice');
      assert.equal(payload.aud, SEED.clientId);
      assert.equal(payload.client_id, SEED.clientId);
      assert.equal(payload.scope, 'openid profile email');
      assert.equal(payload.iat, now);
      assert.equal(payload.exp, now + 3600);
      assert.equal(payload.auth_time, authTime);
      assert.deepEqual(payload.roles, ['admin', 'user']);
      assert.equal(typeof payload.jti, 'string');
    });

    it('aud is the resource when one is given, the list when several are', async () => {
      const one = (await h.tokens({ resource: 'https://api.example.com' })).access_token as string;
      assert.equal(decodeJwt(one).payload.aud, 'https://api.example.com');
      const two = (await h.tokens({ resource: ['https://api.example.com', 'https://api.example.com/orders'] })).access_token as string;
      assert.deepEqual(decodeJwt(two).payload.aud, ['https://api.example.com', 'https://api.example.com/orders']);
    });

    it('resource at the token request narrows the audience; one not sent to authorize is invalid_target and keeps the code', async () => {
      const both = ['https://api.example.com', 'https://api.example.com/orders'];
      const code = await h.code({ resource: both });
      const wider = await redeem(h, code, { resource: ['https://api.example.com', 'https://other.example.com'] });
      assertError(wider, 400, 'invalid_target', 'resource must be among those sent to authorize (RFC 8707 §2.2)');
      const narrowed = await redeem(h, code, { resource: 'https://api.example.com/orders' });
      assert.equal(narrowed.status, 200);
      assert.equal(decodeJwt(narrowed.body.data.access_token).payload.aud, 'https://api.example.com/orders');
      // The grant keeps both: a refresh without resource gets the original audience back.
      const refreshed = await refresh(h, narrowed.body.data.refresh_token);
      assert.deepEqual(decodeJwt(refreshed.body.data.access_token).payload.aud, both);
    });

    it('id_token: typ JWT, iss/sub/aud/azp/iat/exp/auth_time/nonce/at_hash, nothing else', async () => {
      const authTime = Math.floor(h.clock.now() / 1000) - 30;
      const res = await authorize(h, { nonce: 'n-123' }, h.userToken('bob', { authTime }));
      const data = (await redeem(h, redirectParams(res).get('code') as string)).body.data;
      const { header, payload } = decodeJwt(data.id_token);
      assert.deepEqual(header, { alg: 'HS256', typ: 'JWT' });
      const now = Math.floor(h.clock.now() / 1000);
      const atHash = createHash('sha256').update(data.access_token).digest().subarray(0, 16).toString('base64url');
      assert.deepEqual(payload, {
        iss: ISSUER,
        sub: 'bob',
        aud: SEED.clientId,
        azp: SEED.clientId,
        iat: now,
        exp: now + 3600,
        auth_time: authTime,
        nonce: 'n-123',
        at_hash: atHash,
      });
    });

    it('no openid → no id_token (and the scope says so)', async () => {
      const data = await h.tokens({ scope: 'profile email' });
      assert.equal(data.id_token, undefined);
      assert.equal(data.scope, 'profile email');
      assert.ok(data.refresh_token);
    });

    it('the user is the one whose bearer token went to authorize', async () => {
      const code = await h.code({}, 'bob');
      const data = (await redeem(h, code)).body.data;
      assert.equal(decodeJwt(data.access_token).payload.sub, 'bob');
      assert.equal(decodeJwt(data.id_token).payload.sub, 'bob');
      assert.deepEqual(decodeJwt(data.access_token).payload.roles, ['user']);
    });

    it('a client without refresh gets no refresh_token', async () => {
      await h.store.update((tx) => tx.put('clients', SEED.clientId, { ...h.store.read().clients[SEED.clientId]!, refresh: false }));
      const data = (await redeem(h, await h.code())).body.data;
      assert.equal(Object.hasOwn(data, 'refresh_token'), false);
      assert.ok(data.access_token);
    });
  });
});
