import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Events, startOAuthMock, type JournalEntry, type OAuthMock, type TokenEvent } from '../../src/index.js';
import { codeExchange, SEED } from '../helpers/bootstrap.js';
import { mockCode, postJson } from '../http/helpers.js';

describe('mock events', () => {
  let mock: OAuthMock;
  before(async () => {
    mock = await startOAuthMock();
  });
  after(() => mock.stop());

  it('names each event once', () => {
    assert.deepEqual(Events, {
      authorizeRedirect: 'authorize.redirect',
      tokenIssued: 'token.issued',
      tokenRefreshed: 'token.refreshed',
      tokenRevoked: 'token.revoked',
      request: 'request',
    });
  });

  it('emits authorize.redirect, token.issued, token.refreshed, token.revoked and request as the flow goes', async () => {
    const seen: [string, unknown][] = [];
    const names = [Events.authorizeRedirect, Events.tokenIssued, Events.tokenRefreshed, Events.tokenRevoked] as const;
    const listeners = names.map((name) => {
      const listener = (payload: unknown) => seen.push([name, payload]);
      mock.on(name, listener);
      return () => mock.off(name, listener);
    });
    const requests: JournalEntry[] = [];
    const onRequest = (entry: JournalEntry) => requests.push(entry);
    mock.on(Events.request, onRequest);
    try {
      const code = await mockCode(mock);
      const issued = await postJson(mock, '/oauth/token', 'token', codeExchange(code));
      const refreshToken = (issued.body.data as { refresh_token: string }).refresh_token;
      const refreshed = await postJson(mock, '/oauth/token', 'token', {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: SEED.clientId,
        client_secret: SEED.secret,
      });
      assert.equal(refreshed.status, 200);
      const accessToken = (refreshed.body.data as { access_token: string }).access_token;
      await postJson(mock, '/oauth/revoke', 'revokeToken', { token: accessToken, client_id: SEED.clientId, client_secret: SEED.secret });

      assert.deepEqual(
        seen.map(([name]) => name),
        ['authorize.redirect', 'token.issued', 'token.refreshed', 'token.revoked'],
      );
      const redirect = seen[0]?.[1] as { clientId: string; userId: string; scope: string[]; location: string };
      assert.deepEqual(
        { ...redirect, location: undefined },
        { clientId: SEED.clientId, userId: 'alice', scope: ['openid', 'profile', 'email'], location: undefined },
      );
      assert.equal(new URL(redirect.location).searchParams.get('code'), code);
      const [issuedEvent, refreshedEvent] = [seen[1]?.[1], seen[2]?.[1]] as TokenEvent[];
      assert.equal(issuedEvent?.clientId, SEED.clientId);
      assert.equal(issuedEvent?.scope, 'openid profile email');
      assert.equal(refreshedEvent?.grantId, issuedEvent?.grantId, 'a refresh stays in its grant');
      assert.deepEqual(seen[3]?.[1], { clientId: SEED.clientId, kind: 'access_token' });
      assert.deepEqual(
        requests.map((e) => `${e.method} ${e.path} ${e.status}`),
        ['GET /oauth/authorize 302', 'POST /oauth/token 200', 'POST /oauth/token 200', 'POST /oauth/revoke 200'],
      );
    } finally {
      for (const remove of listeners) remove();
      mock.off(Events.request, onRequest);
    }
  });

  it('can be awaited with events.once', async () => {
    const next = once(mock, Events.authorizeRedirect);
    const code = await mockCode(mock, 'bob');
    const [payload] = (await next) as [{ userId: string; location: string }];
    assert.equal(payload.userId, 'bob');
    assert.ok(payload.location.includes(`code=${code}`));
  });
});
