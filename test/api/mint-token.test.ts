import assert from 'node:assert/strict';
import { MintError, startOAuthMock, type MintOptions, type OAuthMock } from '../../src/index.js';
import { decodeJwt } from '../helpers/bootstrap.js';
import { getJson } from '../http/helpers.js';

describe('mock.mintToken', () => {
  let mock: OAuthMock;
  before(async () => {
    mock = await startOAuthMock({ ttl: { userToken: 600, accessToken: 900, idToken: 300 } });
  });
  after(() => mock.stop());

  it('mints a user token (the default kind) that authorize accepts', async () => {
    const token = await mock.mintToken({ user: 'alice' });
    const { header, payload } = decodeJwt(token);
    assert.deepEqual(header, { alg: 'HS256', typ: 'user+jwt' });
    assert.equal(payload.iss, mock.issuer);
    assert.equal(payload.sub, 'alice');
    assert.equal(payload.aud, mock.issuer);
    assert.equal((payload.exp as number) - (payload.iat as number), 600);
  });

  it('mints an access token the server accepts, with the client, scope, resource and claims given', async () => {
    const token = await mock.mintToken({
      user: 'alice',
      kind: 'access',
      client: 'client_123',
      scope: 'openid email',
      resource: 'https://api.example.com',
      ttl: 120,
      claims: { tenant: 'acme', sub: 'ignored' },
    });
    const { header, payload } = decodeJwt(token);
    assert.equal(header.typ, 'at+jwt');
    assert.deepEqual(
      {
        sub: payload.sub,
        aud: payload.aud,
        client_id: payload.client_id,
        scope: payload.scope,
        tenant: payload.tenant,
        roles: payload.roles,
        life: (payload.exp as number) - (payload.iat as number),
      },
      { sub: 'alice', aud: 'https://api.example.com', client_id: 'client_123', scope: 'openid email', tenant: 'acme', roles: ['admin', 'user'], life: 120 },
    );
    const res = await getJson(mock, '/oauth/userinfo', 'userinfo', { authorization: `Bearer ${token}` });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.data, { sub: 'alice', email: 'alice@example.com', email_verified: true, roles: ['admin', 'user'] });
  });

  it('defaults an access token to the client scopes and aud to the client, and its lifetime to the server one', async () => {
    const { payload } = decodeJwt(await mock.mintToken({ user: 'bob', kind: 'access', client: 'client_123', resource: [] }));
    assert.equal(payload.scope, 'openid profile email');
    assert.equal(payload.aud, 'client_123');
    assert.equal((payload.exp as number) - (payload.iat as number), 900);
  });

  it('mints an ID token for a client', async () => {
    const { header, payload } = decodeJwt(await mock.mintToken({ user: 'bob', kind: 'id', client: 'spa_public' }));
    assert.equal(header.typ, 'JWT');
    assert.equal(payload.aud, 'spa_public');
    assert.equal(payload.azp, 'spa_public');
    assert.equal((payload.exp as number) - (payload.iat as number), 300);
  });

  const refused: [string, MintOptions, RegExp][] = [
    ['an unknown user', { user: 'nobody' }, /^no user "nobody" \(known: alice, bob\)$/],
    ['an unknown kind', { user: 'alice', kind: 'refresh' as never }, /kind must be user, access or id/],
    ['a ttl that is not a positive whole number', { user: 'alice', ttl: 0 }, /ttl must be a positive whole number/],
    ['a client on a user token', { user: 'alice', client: 'client_123' }, /^client applies to access and ID tokens only, not to a user token$/],
    ['an access token without a client', { user: 'alice', kind: 'access' }, /^an access token needs a client: it is issued to one \(its client_id\)$/],
    ['an ID token without a client', { user: 'alice', kind: 'id' }, /^an ID token needs a client: it is issued to one \(its aud\)$/],
    [
      'a nonce on an access token',
      { user: 'alice', kind: 'access', client: 'client_123', nonce: 'n' },
      /^nonce applies to ID tokens only, not to an access token$/,
    ],
    [
      'a resource that is not an absolute URI',
      { user: 'alice', kind: 'access', client: 'client_123', resource: 'api' },
      /^resource api is not an absolute URI \(RFC 8707 §2\)$/,
    ],
    ['an unknown client', { user: 'alice', kind: 'access', client: 'ghost' }, /no client "ghost"/],
    [
      'a scope outside the client',
      { user: 'alice', kind: 'access', client: 'client_123', scope: 'openid admin' },
      /^client client_123 may not have scope admin \(allowed: openid profile email\)$/,
    ],
    [
      'a resource the client may not target',
      { user: 'alice', kind: 'access', client: 'client_123', resource: 'https://other.example' },
      /^resource https:\/\/other\.example is not allowed for client client_123; allowed: /,
    ],
    [
      'a scope on an ID token',
      { user: 'alice', kind: 'id', client: 'client_123', scope: 'openid' },
      /^scope applies to access tokens only, not to an ID token$/,
    ],
  ];
  for (const [what, opts, message] of refused) {
    it(`refuses ${what} with a MintError`, async () => {
      await assert.rejects(mock.mintToken(opts), (error: unknown) => error instanceof MintError && message.test(error.message));
    });
  }

  it('tells an unknown user or client apart by reason', async () => {
    await assert.rejects(mock.mintToken({ user: 'zed' }), { name: 'MintError', reason: 'unknown_user' });
    await assert.rejects(mock.mintToken({ user: 'alice', kind: 'id', client: 'zed' }), { name: 'MintError', reason: 'unknown_client' });
    await assert.rejects(mock.mintToken({ user: 'alice', ttl: -1 }), { name: 'MintError', reason: 'invalid_option' });
  });

  it('puts a nonce in an ID token', async () => {
    assert.equal(decodeJwt(await mock.mintToken({ user: 'alice', kind: 'id', client: 'client_123', nonce: 'n-1' })).payload.nonce, 'n-1');
  });
});
