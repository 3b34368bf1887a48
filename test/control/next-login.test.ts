import assert from 'node:assert/strict';
import { startOAuthMock, type OAuthMock } from '../../src/index.js';
import { codeExchange, decodeJwt, SEED } from '../helpers/bootstrap.js';
import { getJson, postJson } from '../http/helpers.js';

const query = new URLSearchParams({
  response_type: 'code',
  client_id: SEED.clientId,
  redirect_uri: SEED.redirectUri,
  scope: 'openid profile',
  state: 's',
  code_challenge: SEED.challenge,
  code_challenge_method: 'S256',
}).toString();

async function redeem(mock: OAuthMock, location: string): Promise<Record<string, string>> {
  const code = new URL(location).searchParams.get('code');
  const res = await postJson(mock, '/oauth/token', 'token', codeExchange(code));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data as Record<string, string>;
}

describe('control: nextLogin (spec bearer flow)', () => {
  let mock: OAuthMock;
  beforeEach(async () => {
    mock = await startOAuthMock();
  });
  afterEach(() => mock.stop());

  it('the next authorization request is bob with acr, whatever the bearer token says; then back to the bearer', async () => {
    mock.nextLogin({ user: 'bob', claims: { acr: 'urn:mfa' } });
    assert.deepEqual(mock.controlStatus().logins, [{ user: 'bob', claims: { acr: 'urn:mfa' } }]);
    const aliceToken = await mock.mintToken({ user: 'alice' });
    const res = await fetch(`${mock.url}/oauth/authorize?${query}`, { headers: { authorization: `Bearer ${aliceToken}` }, redirect: 'manual' });
    assert.equal(res.status, 302);
    const tokens = await redeem(mock, res.headers.get('location') as string);
    const id = decodeJwt(tokens.id_token as string).payload;
    assert.equal(id.sub, 'bob');
    assert.equal(id.acr, 'urn:mfa');
    assert.equal(decodeJwt(tokens.access_token as string).payload.acr, 'urn:mfa');
    const userinfo = await getJson(mock, '/oauth/userinfo', 'userinfo', { authorization: `Bearer ${tokens.access_token}` });
    assert.equal((userinfo.body.data as { sub: string }).sub, 'bob');
    // The refreshed tokens keep what the login established.
    const refreshed = await postJson(mock, '/oauth/token', 'token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: SEED.clientId,
      client_secret: SEED.secret,
    });
    assert.equal(decodeJwt((refreshed.body.data as Record<string, string>).id_token as string).payload.acr, 'urn:mfa');

    assert.deepEqual(mock.controlStatus().logins, []);
    const next = await fetch(`${mock.url}/oauth/authorize?${query}`, { headers: { authorization: `Bearer ${aliceToken}` }, redirect: 'manual' });
    assert.equal(decodeJwt((await redeem(mock, next.headers.get('location') as string)).id_token as string).payload.sub, 'alice');
  });

  it('a queued login needs no bearer token; without one the next request is 401 again', async () => {
    mock.nextLogin({ user: 'alice' });
    assert.equal((await fetch(`${mock.url}/oauth/authorize?${query}`, { redirect: 'manual' })).status, 302);
    const res = await fetch(`${mock.url}/oauth/authorize?${query}`, { redirect: 'manual' });
    assert.equal(res.status, 401);
  });

  it('refuses an unknown user, and claims the server sets; mock.reset() drops queued logins', async () => {
    assert.throws(() => mock.nextLogin({ user: 'mallory' }), /no user "mallory" in this mock/);
    assert.throws(() => mock.nextLogin({ user: 'bob', claims: { sub: 'alice' } }), /claims may not set sub: the server sets them/);
    assert.throws(() => mock.nextLogin({ user: 'bob', claims: { acr: 2 } }), /claims.acr must be a string/);
    mock.nextLogin({ user: 'bob' });
    await mock.reset();
    assert.deepEqual(mock.controlStatus().logins, []);
    assert.equal((await fetch(`${mock.url}/oauth/authorize?${query}`, { redirect: 'manual' })).status, 401);
  });
});
