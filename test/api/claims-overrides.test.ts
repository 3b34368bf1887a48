import assert from 'node:assert/strict';
import { ClaimsOverrideError, startOAuthMock, type OAuthMock } from '../../src/index.js';
import { codeExchange, decodeJwt } from '../helpers/bootstrap.js';
import { codeFlow, getJson, mockCode, postJson } from '../http/helpers.js';

const claimsOf = (token: string) => decodeJwt(token).payload;

describe('mock.overrideClaims', () => {
  let mock: OAuthMock;
  const errors: unknown[] = [];
  before(async () => {
    mock = await startOAuthMock({ onError: (error) => errors.push(error) });
  });
  afterEach(() => mock.reset());
  after(() => mock.stop());

  it('changes the next token only, when times is 1', async () => {
    mock.overrideClaims({ tenant: 'acme', roles: ['viewer'] }, { times: 1 });
    const first = claimsOf(await mock.mintToken({ user: 'alice' }));
    const second = claimsOf(await mock.mintToken({ user: 'alice' }));
    assert.equal(first.tenant, 'acme');
    assert.deepEqual(first.roles, ['viewer']);
    assert.equal(second.tenant, undefined);
    assert.equal(second.roles, undefined, 'user tokens carry no custom claims by default');
  });

  it('reaches tokens issued at /oauth/token, and is gone once disposed', async () => {
    const dispose = mock.overrideClaims({ roles: ['support'] }, { kind: 'access' });
    const during = await codeFlow(mock);
    assert.deepEqual(claimsOf(during.access_token as string).roles, ['support']);
    assert.equal(claimsOf(during.id_token as string).roles, undefined, 'kind: access leaves the ID token alone');
    dispose();
    dispose();
    const afterwards = await codeFlow(mock);
    assert.deepEqual(claimsOf(afterwards.access_token as string).roles, ['admin', 'user'], "alice's own roles again");
  });

  it('applies to one user only when user is given, and counts only the tokens it applied to', async () => {
    mock.overrideClaims({ plan: 'pro' }, { user: 'bob', times: 1 });
    assert.equal(claimsOf(await mock.mintToken({ user: 'alice' })).plan, undefined);
    assert.equal(claimsOf(await mock.mintToken({ user: 'bob' })).plan, 'pro');
    assert.equal(claimsOf(await mock.mintToken({ user: 'bob' })).plan, undefined);
  });

  it('may change registered claims for negative tests: an expired access token is refused', async () => {
    mock.overrideClaims((claims) => ({ ...claims, exp: (claims.iat as number) - 60 }), { kind: 'access', times: 1 });
    const { access_token } = await codeFlow(mock);
    const res = await getJson(mock, '/oauth/userinfo', 'userinfo', { authorization: `Bearer ${access_token}` });
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { success: false, error: { code: 'invalid_token', message: 'the token has expired' } });
  });

  it('removes a claim set to undefined, and hands a function the claims and the kind', async () => {
    const seen: string[] = [];
    mock.overrideClaims(
      (claims, kind) => {
        seen.push(kind);
        assert.ok(Object.isFrozen(claims));
        return { ...claims, auth_time: undefined };
      },
      { times: 1 },
    );
    const token = claimsOf(await mock.mintToken({ user: 'alice', kind: 'id', client: 'client_123' }));
    assert.deepEqual(seen, ['id']);
    assert.equal('auth_time' in token, false);
    assert.equal(token.aud, 'client_123');
  });

  it('applies overrides in the order they were added (the later wins)', async () => {
    mock.overrideClaims({ tier: 'one', keep: true });
    mock.overrideClaims({ tier: 'two' });
    const token = claimsOf(await mock.mintToken({ user: 'alice' }));
    assert.equal(token.tier, 'two');
    assert.equal(token.keep, true);
  });

  it('refuses to change iss: at once for an object, at signing for a function', async () => {
    assert.throws(() => mock.overrideClaims({ iss: 'https://evil.example' }), ClaimsOverrideError);
    mock.overrideClaims((claims) => ({ ...claims, iss: 'https://evil.example' }), { kind: 'user' });
    await assert.rejects(mock.mintToken({ user: 'alice' }), { name: 'ClaimsOverrideError', message: /iss cannot be overridden/ });
  });

  it('a function that breaks signing inside /oauth/token gives 500 server_error and reaches onError', async () => {
    errors.length = 0;
    mock.overrideClaims((claims) => ({ ...claims, iss: 'https://evil.example' }), { kind: 'access' });
    const code = await mockCode(mock);
    const res = await postJson(mock, '/oauth/token', 'token', codeExchange(code));
    assert.equal(res.status, 500);
    assert.deepEqual(res.body, { success: false, error: { code: 'server_error', message: 'the server met an unexpected condition; see its log' } });
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof ClaimsOverrideError);
  });

  it('rejects bad options', () => {
    for (const times of [0, -1, 1.5])
      assert.throws(() => mock.overrideClaims({ a: 1 }, { times }), { name: 'ClaimsOverrideError', message: /times must be a positive whole number/ });
  });

  it('reset() clears every override', async () => {
    mock.overrideClaims({ tenant: 'acme' });
    await mock.reset();
    assert.equal(claimsOf(await mock.mintToken({ user: 'alice' })).tenant, undefined);
  });
});
