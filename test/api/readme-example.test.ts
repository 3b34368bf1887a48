import assert from 'node:assert/strict';
import { once } from 'node:events';
import { startOAuthMock, type OAuthMock } from '../../src/index.js';

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

describe('my app against oauth-mock', () => {
  let mock: OAuthMock;

  before(async () => {
    mock = await startOAuthMock({ port: 0 }); // memory store, shipped fixtures (alice, bob, client_123)
    // Point the app under test at mock.issuer / mock.discoveryUrl (and mock.secret for HS256) here.
  });
  afterEach(() => mock.reset()); // users, clients, overrides and the journal back to the start
  after(() => mock.stop()); // frees the port; mocha exits without --exit

  it('serves discovery for the issuer', async () => {
    const doc = (await (await fetch(mock.discoveryUrl)).json()) as { issuer: string };
    assert.equal(doc.issuer, mock.issuer);
  });

  it('accepts a minted access token at userinfo', async () => {
    const token = await mock.mintToken({ user: 'alice', kind: 'access', client: 'client_123', scope: 'openid email' });
    const res = await fetch(`${mock.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      success: true,
      data: { sub: 'alice', email: 'alice@example.com', email_verified: true, roles: ['admin', 'user'] },
    });
  });

  it('changes claims for the next token only', async () => {
    mock.overrideClaims({ roles: ['viewer'] }, { user: 'alice', kind: 'access', times: 1 });
    const opts = { user: 'alice', kind: 'access', client: 'client_123' } as const;
    assert.deepEqual(claimsOf(await mock.mintToken(opts)).roles, ['viewer']);
    assert.deepEqual(claimsOf(await mock.mintToken(opts)).roles, ['admin', 'user']);
  });

  it('records what the app sent, secrets masked, and emits events', async () => {
    const token = await mock.mintToken({ user: 'bob', kind: 'access', client: 'client_123' });
    const revoked = once(mock, 'token.revoked');
    const res = await fetch(`${mock.url}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, client_id: 'client_123', client_secret: 'client_123-secret-change-me' }),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await revoked, [{ clientId: 'client_123', kind: 'access_token' }]);
    const [request] = mock.requests();
    assert.deepEqual(
      { method: request?.method, path: request?.path, status: request?.status, body: request?.body },
      { method: 'POST', path: '/oauth/revoke', status: 200, body: { token: '***', client_id: 'client_123', client_secret: '***' } },
    );
  });
});
