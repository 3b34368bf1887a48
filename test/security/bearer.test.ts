// Bearer tokens at userinfo and authorize (RFC 6750; RFC 8725 §2.1, §3.1, §3.11; OIDC Core §2):
// the algorithm and key come from the server's configuration, never from the token's header.
import assert from 'node:assert/strict';
import { createHmac, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { loadFixtures } from '../../src/store/fixtures.js';
import { generateStoredKey, type SigningAlg } from '../../src/tokens/keys.js';
import { bootstrap, decodeJwt, SEED, type Harness } from '../helpers/bootstrap.js';
import { assertError, authorize, codeCount, spec, userinfo } from '../http/helpers.js';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs with the server's own key, so only the claim or header under test is wrong. */
function forge(h: Harness, header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const ring = h.app.appContext.keys(h.store.read());
  // Signed by hand: jsonwebtoken's sign() refuses some of the malformed claims under test.
  const input = `${b64({ alg: ring.alg, ...(ring.signing.kid ? { kid: ring.signing.kid } : {}), ...header })}.${b64(payload)}`;
  const signature =
    ring.alg === 'HS256'
      ? createHmac('sha256', ring.signing.key).update(input).digest()
      : sign('sha256', Buffer.from(input), { key: ring.signing.key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

function hs256(header: Record<string, unknown>, payload: Record<string, unknown>, secret: string | Buffer): string {
  const input = `${b64({ alg: 'HS256', ...header })}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

// Keys generated once for the file: RSA generation per test would dominate its run time.
const KEYED = (() => {
  const data = loadFixtures();
  const now = Math.floor(Date.UTC(2026, 0, 1) / 1000);
  data.meta.keys = [generateStoredKey('RS256', now), generateStoredKey('ES256', now)];
  return data;
})();
const FOREIGN = { RS256: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey };

for (const alg of ['HS256', 'RS256', 'ES256'] as SigningAlg[]) {
  describe(`security: bearer tokens (${alg})`, () => {
    let h: Harness;
    let access: string;
    let idToken: string;
    let claims: Record<string, unknown>;
    beforeEach(async () => {
      h = await bootstrap({ alg, data: structuredClone(KEYED) });
      const t = await h.tokens();
      access = t.access_token as string;
      idToken = t.id_token as string;
      claims = decodeJwt(access).payload;
    });

    async function refusedAtUserinfo(token: string) {
      const res = await userinfo(h, token);
      assertError(res, 401, 'invalid_token');
      assert.match(String(res.headers['www-authenticate']), /error="invalid_token"/);
    }

    it('the genuine access token works (control)', async () => {
      assert.equal((await userinfo(h, access)).status, 200);
      assert.equal((await userinfo(h, forge(h, { typ: 'at+jwt' }, claims))).status, 200);
    });

    it('alg "none" (unsigned) → 401 invalid_token', async () => {
      for (const none of ['none', 'None', 'NONE']) {
        await refusedAtUserinfo(`${b64({ alg: none, typ: 'at+jwt' })}.${b64(claims)}.`);
      }
    });

    it('an algorithm other than the configured one → 401 invalid_token', async () => {
      const other = alg === 'HS256' ? 'RS256' : 'HS256';
      const token =
        other === 'RS256'
          ? jwt.sign(claims, FOREIGN.RS256, { algorithm: 'RS256', noTimestamp: true, header: { alg: 'RS256', typ: 'at+jwt' } })
          : hs256({ typ: 'at+jwt' }, claims, 'some-secret-some-secret-some-secret!');
      await refusedAtUserinfo(token);
    });

    if (alg !== 'HS256') {
      it('HS/RS confusion: HS256 keyed with the published public key (PEM, DER or JWK) → 401 invalid_token', async () => {
        const jwks = (await h.agent.get('/.well-known/jwks.json')).body as { keys: Array<Record<string, string>> };
        const jwk = jwks.keys[0] as Record<string, string>;
        const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
        const secrets: Array<string | Buffer> = [
          publicKey.export({ type: 'spki', format: 'pem' }).toString(),
          publicKey.export({ type: 'spki', format: 'der' }),
          JSON.stringify(jwk),
          jwk.n ?? jwk.x ?? '',
        ];
        for (const secret of secrets) {
          await refusedAtUserinfo(hs256({ typ: 'at+jwt', kid: jwk.kid }, claims, secret));
          await refusedAtUserinfo(hs256({ typ: 'at+jwt' }, claims, secret));
        }
      });

      it('an unknown kid, or none, → 401 invalid_token', async () => {
        await refusedAtUserinfo(forge(h, { typ: 'at+jwt', kid: 'not-a-key-we-know' }, claims));
        const stripped = decodeJwt(access).header;
        delete stripped.kid;
        const [, payload, signature] = access.split('.');
        await refusedAtUserinfo(`${b64(stripped)}.${payload}.${signature}`);
      });

      it('a token signed by a foreign key that reuses our kid → 401 invalid_token', async () => {
        const kid = decodeJwt(access).header.kid as string;
        await refusedAtUserinfo(jwt.sign(claims, FOREIGN[alg], { algorithm: alg, noTimestamp: true, header: { alg, typ: 'at+jwt', kid } }));
      });
    } else {
      it('an HS256 token that names a kid → 401 invalid_token (ours carry none)', async () => {
        await refusedAtUserinfo(forge(h, { typ: 'at+jwt', kid: 'k1' }, claims));
      });
    }

    // RFC 7515 §4.1.11: a JWS whose crit names an extension the recipient does not understand is invalid.
    for (const [name, crit] of [
      ['an unknown extension', ['urn:example:ext']],
      ['b64 (RFC 7797, not implemented here)', ['b64']],
    ] as const) {
      it(`a crit header listing ${name} → 401 invalid_token at userinfo and at authorize`, async () => {
        await refusedAtUserinfo(forge(h, { typ: 'at+jwt', crit, [crit[0]]: false }, claims));
        const userClaims = decodeJwt(h.userToken()).payload;
        const codes = codeCount(h);
        const res = await authorize(h, {}, forge(h, { typ: 'user+jwt', crit, [crit[0]]: false }, userClaims));
        assertError(res, 401, 'invalid_token');
        assert.match(res.body.error.message as string, /crit header lists extensions this server does not understand/);
        assert.equal(codeCount(h), codes, 'no code issued');
      });
    }

    const badClaims: Array<[string, (c: Record<string, unknown>) => Record<string, unknown>]> = [
      ['missing exp', ({ exp: _exp, ...rest }) => rest],
      ['exp as a string', (c) => ({ ...c, exp: String(c.exp) })],
      ['expired exp', (c) => ({ ...c, exp: (c.iat as number) - 1 })],
      ['future nbf', (c) => ({ ...c, nbf: (c.iat as number) + 600 })],
      ['wrong iss', (c) => ({ ...c, iss: 'https://evil.example' })],
      ['iss with a trailing slash', (c) => ({ ...c, iss: `${String(c.iss)}/` })],
      ['missing sub', ({ sub: _sub, ...rest }) => rest],
      ['unknown user', (c) => ({ ...c, sub: 'mallory' })],
      ['missing jti', ({ jti: _jti, ...rest }) => rest],
    ];
    for (const [name, mutate] of badClaims) {
      it(`${name} → 401 invalid_token`, async () => {
        await refusedAtUserinfo(forge(h, { typ: 'at+jwt' }, mutate(claims)));
      });
    }

    it('a tampered payload (signature no longer matches) → 401 invalid_token', async () => {
      const [header, , signature] = access.split('.');
      await refusedAtUserinfo(`${header}.${b64({ ...claims, sub: 'bob' })}.${signature}`);
    });

    it('a revoked jti → 401 invalid_token', async () => {
      const res = await h.agent.post('/oauth/revoke').send({ token: access, client_id: SEED.clientId, client_secret: SEED.secret });
      assert.equal(res.status, 200);
      assert.ok(Object.hasOwn(h.store.read().denylist, claims.jti as string));
      await refusedAtUserinfo(access);
    });

    it('an id_token or a user token offered as the access token → 401 invalid_token', async () => {
      await refusedAtUserinfo(idToken);
      await refusedAtUserinfo(h.userToken());
    });

    it('an access token or id_token offered as the user token at authorize → 401, no code', async () => {
      const before = codeCount(h);
      for (const token of [access, idToken]) {
        const res = await authorize(h, {}, token);
        assertError(res, 401, 'invalid_token');
      }
      assert.equal(codeCount(h), before);
      assert.equal((await authorize(h, {}, h.userToken())).status, 302);
    });

    it('at authorize: unsigned, expired, or wrong-issuer user tokens → 401, no code', async () => {
      const user = decodeJwt(h.userToken()).payload;
      const tokens = [
        `${b64({ alg: 'none', typ: 'user+jwt' })}.${b64(user)}.`,
        forge(h, { typ: 'user+jwt' }, { ...user, exp: (user.iat as number) - 1 }),
        forge(h, { typ: 'user+jwt' }, { ...user, iss: 'https://evil.example' }),
        forge(h, { typ: 'user+jwt' }, (({ exp: _exp, ...rest }) => rest)(user)),
      ];
      const before = codeCount(h);
      for (const token of tokens) assertError(await authorize(h, {}, token), 401, 'invalid_token');
      assert.equal(codeCount(h), before);
    });
  });
}

describe('security: bearer token transport (RFC 6750 §2)', () => {
  let h: Harness;
  let access: string;
  beforeEach(async () => {
    h = await bootstrap();
    access = (await h.tokens()).access_token as string;
  });

  it('accepts a lowercase "bearer" scheme', async () => {
    const res = await h.agent.get('/oauth/userinfo').set('Authorization', `bearer ${access}`);
    assert.equal(res.status, 200);
  });

  it('a token in both the header and the query → 400 invalid_request', async () => {
    const res = await h.agent.get(`/oauth/userinfo?access_token=${access}`).set('Authorization', `Bearer ${access}`);
    assertError(spec('userinfo', res), 400, 'invalid_request');
  });

  it('a token in the query only is not honoured → 400 invalid_request', async () => {
    assertError(spec('userinfo', await h.agent.get(`/oauth/userinfo?access_token=${access}`)), 400, 'invalid_request');
  });

  it('no credentials or another scheme → 401 with a bare Bearer challenge', async () => {
    for (const header of [undefined, `Basic ${Buffer.from('a:b').toString('base64')}`, `Token ${access}`]) {
      const req = h.agent.get('/oauth/userinfo');
      const res = header === undefined ? await req : await req.set('Authorization', header);
      assert.equal(res.status, 401);
      assert.equal(res.headers['www-authenticate'], 'Bearer realm="oauth-mock"');
      assert.equal(res.body.success, false);
    }
  });

  it('a malformed bearer value → 401 invalid_token', async () => {
    for (const value of ['Bearer ', 'Bearer a b', 'Bearer ä', `Bearer ${access}"`]) {
      assertError(spec('userinfo', await h.agent.get('/oauth/userinfo').set('Authorization', value)), 401, 'invalid_token');
    }
  });

  it('a typ JWT header over a payload that is not JSON → 401 invalid_token, not a 500', async () => {
    const token = `${b64({ alg: 'HS256', typ: 'JWT' })}.${Buffer.from('not json').toString('base64url')}.c2ln`;
    const res = spec('userinfo', await h.agent.get('/oauth/userinfo').set('Authorization', `Bearer ${token}`));
    assertError(res, 401, 'invalid_token', 'the token is not a JWT');
  });
});
