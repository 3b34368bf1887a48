// The request journal masks secrets in form bodies (the oidc profile) as it does in JSON ones.
import assert from 'node:assert/strict';
import { startOAuthMock, type OAuthMock } from '../../src/index.js';

describe('requests(): form bodies and the browser side (oidc profile)', () => {
  let mock: OAuthMock;
  before(async () => {
    mock = await startOAuthMock({ profile: 'oidc', alg: 'RS256' });
  });
  afterEach(() => mock.reset());
  after(() => mock.stop());

  it('a form body is recorded as its fields, with secrets masked', async () => {
    await fetch(`${mock.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=authorization_code&code=abc&client_id=client_123&client_secret=client_123-secret-change-me&resource=a&resource=b',
    });
    const [entry] = mock.requests();
    assert.deepEqual(entry?.body, { grant_type: 'authorization_code', code: '***', client_id: 'client_123', client_secret: '***', resource: ['a', 'b'] });
    assert.equal(JSON.stringify(mock.requests()).includes('client_123-secret-change-me'), false);
  });

  it("the login form's CSRF token and an id_token_hint are masked", async () => {
    await fetch(`${mock.url}/oauth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'csrf=s3cret&user=alice',
    });
    await fetch(`${mock.url}/oauth/logout?id_token_hint=eyJhint&state=x`);
    const [login, logout] = mock.requests();
    assert.deepEqual(login?.body, { csrf: '***', user: 'alice' });
    assert.deepEqual(logout?.query, { id_token_hint: '***', state: 'x' });
  });
});
