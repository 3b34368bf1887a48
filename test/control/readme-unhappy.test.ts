import assert from 'node:assert/strict';
import { startOAuthMock, type OAuthMock } from '../../src/index.js';

describe('my app when the authorization server misbehaves', () => {
  let mock: OAuthMock;
  before(async () => {
    mock = await startOAuthMock({ alg: 'RS256' });
  });
  afterEach(() => mock.reset()); // also real time again, no faults, misbehaviours or queued logins
  after(() => mock.stop());

  const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
  const userinfo = async (accessToken: string) => (await fetch(`${mock.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } })).status;
  const token = (body: object) =>
    fetch(`${mock.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: 'client_123', client_secret: 'client_123-secret-change-me', ...body }),
    });
  // The code flow, logged in as whoever mock.nextLogin names (no user token needed then).
  async function login(user: string, claims?: Record<string, unknown>) {
    mock.nextLogin({ user, ...(claims ? { claims } : {}) });
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'client_123',
      redirect_uri: 'https://client.example.com/callback',
      scope: 'openid profile',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    const res = await fetch(`${mock.url}/oauth/authorize?${query}`, { redirect: 'manual' });
    const code = new URL(res.headers.get('location') ?? '').searchParams.get('code');
    const tokens = await token({ grant_type: 'authorization_code', code, redirect_uri: 'https://client.example.com/callback', code_verifier: verifier });
    return ((await tokens.json()) as { data: Record<string, string> }).data;
  }

  it('the clock: expired access token, working refresh, expired refresh', async () => {
    const { access_token, refresh_token } = await login('alice');
    mock.clock.advance('61m'); // access tokens live 1 h
    assert.equal(await userinfo(access_token as string), 401);
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token });
    assert.equal(refreshed.status, 200);
    const { data } = (await refreshed.json()) as { data: { refresh_token: string } };
    mock.clock.advance('15d'); // refresh tokens live 14 days
    const late = await token({ grant_type: 'refresh_token', refresh_token: data.refresh_token });
    assert.equal(((await late.json()) as { error: { code: string } }).error.code, 'invalid_grant');
  });

  it('faults: 503 twice with Retry-After, then an OAuth error, then a dropped connection', async () => {
    mock.fail('token', { times: 2, status: 503, retryAfter: 1 });
    mock.fail('token', { error: 'invalid_grant' });
    mock.fail('token', { drop: true });
    assert.equal(mock.faults().length, 3);
    const refresh = { grant_type: 'refresh_token', refresh_token: 'any' };
    assert.equal((await token(refresh)).headers.get('retry-after'), '1');
    assert.equal((await token(refresh)).status, 503);
    assert.equal((await token(refresh)).status, 400);
    await assert.rejects(token(refresh)); // the socket closed with no response
    mock.fail('jwks', { body: 'not json' });
    assert.equal(await (await fetch(mock.jwksUrl)).text(), 'not json');
    mock.fail('discovery', { delayMs: 200 }); // then answered normally
    assert.equal((await fetch(mock.discoveryUrl)).status, 200);
  });

  it('misbehaving tokens: the next ID token has the wrong issuer', async () => {
    mock.misbehave('id_token.wrong_issuer', { times: 1 });
    assert.notEqual(claimsOf((await login('alice')).id_token as string).iss, mock.issuer);
    assert.equal(claimsOf((await login('alice')).id_token as string).iss, mock.issuer);
  });

  it('the next login: bob, with a second factor', async () => {
    const { id_token } = await login('bob', { acr: 'urn:mfa' });
    assert.deepEqual([claimsOf(id_token as string).sub, claimsOf(id_token as string).acr], ['bob', 'urn:mfa']);
  });
});
