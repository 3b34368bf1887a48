// The seed's example flow, verbatim, end to end: authorize → token → userinfo → refresh → revoke.
import assert from 'node:assert/strict';
import { bootstrap, decodeJwt, ISSUER, SEED, type Harness } from '../helpers/bootstrap.js';
import { assertError, assertNoStore, refresh, revoke, spec, userinfo } from './helpers.js';

describe('seed example flow (client_123, RFC 7636 Appendix B pair)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await bootstrap();
  });

  it('runs authorize, token, userinfo, refresh and revoke exactly as the seed shows them', async () => {
    // The seed's authorize example, parameter for parameter.
    const query =
      'response_type=code&client_id=client_123&redirect_uri=https%3A%2F%2Fclient.example.com%2Fcallback' +
      '&scope=openid%20profile%20email&state=xyz123' +
      '&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256';
    const auth = spec('authorize', await h.agent.get(`/oauth/authorize?${query}`).set('Authorization', `Bearer ${h.userToken('alice')}`));
    assert.equal(auth.status, 302);
    const location = new URL(auth.headers.location as string);
    assert.equal(`${location.origin}${location.pathname}`, 'https://client.example.com/callback');
    assert.deepEqual([...location.searchParams.keys()], ['code', 'state', 'iss']);
    assert.equal(location.searchParams.get('state'), 'xyz123');
    assert.equal(location.searchParams.get('iss'), ISSUER);
    const code = location.searchParams.get('code') as string;

    const tokenRes = spec(
      'token',
      await h.agent.post('/oauth/token').send({
        grant_type: 'authorization_code',
        code,
        redirect_uri: 'https://client.example.com/callback',
        code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
        client_id: 'client_123',
        client_secret: SEED.secret,
      }),
    );
    assert.equal(tokenRes.status, 200);
    assertNoStore(tokenRes);
    assert.equal(tokenRes.body.success, true);
    const data = tokenRes.body.data as Record<string, unknown>;
    assert.deepEqual(Object.keys(data).sort(), ['access_token', 'expires_in', 'id_token', 'refresh_token', 'scope', 'token_type']);
    assert.equal(data.token_type, 'Bearer');
    assert.equal(data.expires_in, 3600);
    assert.equal(data.scope, 'openid profile email');
    const at = decodeJwt(data.access_token as string);
    assert.equal(at.payload.sub, 'alice');
    assert.equal(at.payload.client_id, 'client_123');
    assert.equal(decodeJwt(data.id_token as string).payload.aud, 'client_123');

    const info = await userinfo(h, data.access_token as string);
    assert.equal(info.status, 200);
    assert.deepEqual(info.body, {
      success: true,
      data: {
        sub: 'alice',
        name: 'Alice Liddell',
        given_name: 'Alice',
        family_name: 'Liddell',
        preferred_username: 'alice',
        updated_at: 1767225600,
        email: 'alice@example.com',
        email_verified: true,
        roles: ['admin', 'user'],
      },
    });

    const refreshed = await refresh(h, data.refresh_token as string);
    assert.equal(refreshed.status, 200);
    assertNoStore(refreshed);
    const next = refreshed.body.data as Record<string, string>;
    assert.notEqual(next.refresh_token, data.refresh_token);
    assert.notEqual(next.access_token, data.access_token);
    assert.equal(next.scope, 'openid profile email');
    assert.equal((await userinfo(h, next.access_token as string)).status, 200);

    const revoked = await revoke(h, { token: next.refresh_token, token_type_hint: 'refresh_token' });
    assert.equal(revoked.status, 200);
    assertNoStore(revoked);
    assert.deepEqual(revoked.body, { success: true, message: 'Token revoked' });

    // The family is gone: the refresh token and both access tokens.
    assertError(await refresh(h, next.refresh_token as string), 400, 'invalid_grant');
    assertError(await userinfo(h, next.access_token as string), 401, 'invalid_token');
    assertError(await userinfo(h, data.access_token as string), 401, 'invalid_token');
  });
});
