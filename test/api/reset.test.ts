// reset() never brings a revoked token back: every token issued before the reset is refused
// (a reset epoch), and revocations made in the very second of the reset are kept.
import assert from 'node:assert/strict';
import { startOAuthMock, type OAuthMock } from '../../src/index.js';
import { fakeClock, SEED } from '../helpers/bootstrap.js';
import { codeFlow, getJson, postJson } from '../http/helpers.js';

describe('mock.reset() and revoked tokens', () => {
  let mock: OAuthMock;
  const clock = fakeClock(Date.now());
  before(async () => {
    mock = await startOAuthMock({ clock });
  });
  after(() => mock.stop());

  const userinfo = (token: string) => getJson(mock, '/oauth/userinfo', 'userinfo', { authorization: `Bearer ${token}` });

  it('an access token revoked just before the reset (same second) stays revoked', async () => {
    const { access_token: token } = await codeFlow(mock);
    assert.equal(await mock.revoke(token as string), 'access_token');
    await mock.reset();
    const res = await userinfo(token as string);
    assert.deepEqual([res.status, res.body], [401, { success: false, error: { code: 'invalid_token', message: 'the access token has been revoked' } }]);
  });

  it('the tokens of a family revoked by a refresh-token replay stay revoked', async () => {
    const first = await codeFlow(mock);
    const refresh = (token: string) =>
      postJson(mock, '/oauth/token', 'token', { grant_type: 'refresh_token', refresh_token: token, client_id: SEED.clientId, client_secret: SEED.secret });
    const rotated = await refresh(first.refresh_token as string);
    assert.equal(rotated.status, 200);
    const replay = await refresh(first.refresh_token as string);
    assert.equal(replay.status, 400);
    const latest = (rotated.body.data as { access_token: string }).access_token;
    assert.equal((await userinfo(latest)).status, 401);
    await mock.reset();
    assert.equal((await userinfo(latest)).status, 401, 'the family is still revoked after the reset');
  });

  it('refuses every token issued before the reset; tokens issued after it work', async () => {
    const before = await codeFlow(mock);
    const userToken = await mock.mintToken({ user: 'bob' });
    assert.equal((await userinfo(before.access_token as string)).status, 200);
    clock.advance(1);
    await mock.reset();
    const res = await userinfo(before.access_token as string);
    assert.deepEqual(
      [res.status, res.body],
      [401, { success: false, error: { code: 'invalid_token', message: 'the token was issued before the store was reset' } }],
    );
    const authorize = await fetch(`${mock.url}/oauth/authorize?client_id=client_123`, {
      headers: { authorization: `Bearer ${userToken}` },
      redirect: 'manual',
    });
    assert.equal(authorize.status, 401);
    const after = await codeFlow(mock);
    assert.equal((await userinfo(after.access_token as string)).status, 200);
  });
});
