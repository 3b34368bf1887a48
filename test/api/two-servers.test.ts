import assert from 'node:assert/strict';
import { startOAuthMock, type OAuthMock } from '../../src/index.js';
import { decodeJwt } from '../helpers/bootstrap.js';
import { codeFlow, getJson } from '../http/helpers.js';

describe('two mocks in one process', () => {
  let a: OAuthMock;
  let b: OAuthMock;
  before(async () => {
    [a, b] = await Promise.all([startOAuthMock({ port: 0 }), startOAuthMock({ port: 0, alg: 'RS256' })]);
  });
  after(async () => {
    await Promise.all([a.stop(), b.stop()]);
  });

  it('listen on different ports, each with its own issuer and discovery document', async () => {
    assert.notEqual(a.port, b.port);
    assert.equal(a.url, `http://127.0.0.1:${a.port}`);
    assert.equal(a.issuer, a.url);
    assert.equal(a.discoveryUrl, `${a.url}/.well-known/openid-configuration`);
    for (const mock of [a, b]) {
      const res = await getJson(mock, '/.well-known/openid-configuration', 'openidConfiguration');
      assert.equal(res.status, 200);
      assert.equal(res.body.issuer, mock.issuer);
      assert.equal(res.body.token_endpoint, `${mock.url}/oauth/token`);
    }
    assert.deepEqual((await getJson(a, '/.well-known/openid-configuration', 'openidConfiguration')).body.id_token_signing_alg_values_supported, ['HS256']);
    assert.deepEqual((await getJson(b, '/.well-known/openid-configuration', 'openidConfiguration')).body.id_token_signing_alg_values_supported, ['RS256']);
  });

  it('expose the HS256 secret only where one signs', () => {
    assert.equal(typeof a.secret, 'string');
    assert.ok(Buffer.byteLength(a.secret as string) >= 32);
    assert.equal(b.secret, undefined);
    assert.equal(b.jwksUrl, `${b.url}/.well-known/jwks.json`);
  });

  it('keep independent stores: a user added to one is unknown to the other', async () => {
    await a.addUser({ id: 'carol', name: 'Carol', claims: { roles: ['auditor'] } });
    const token = await a.mintToken({ user: 'carol' });
    assert.equal(decodeJwt(token).payload.sub, 'carol');
    await assert.rejects(b.mintToken({ user: 'carol' }), { name: 'MintError', message: /no user "carol"/ });
  });

  it("refuse each other's tokens", async () => {
    const fromA = await codeFlow(a);
    const fromB = await codeFlow(b);
    const own = await getJson(a, '/oauth/userinfo', 'userinfo', { authorization: `Bearer ${fromA.access_token}` });
    assert.equal(own.status, 200);
    assert.equal((own.body.data as { sub: string }).sub, 'alice');
    for (const [mock, token] of [
      [a, fromB.access_token],
      [b, fromA.access_token],
    ] as const) {
      const res = await getJson(mock, '/oauth/userinfo', 'userinfo', { authorization: `Bearer ${token}` });
      assert.equal(res.status, 401);
      assert.equal((res.body.error as { code: string }).code, 'invalid_token');
    }
  });

  it('journal only their own requests', async () => {
    const before = b.requests().length;
    await getJson(a, '/.well-known/jwks.json', 'jwks');
    assert.equal(b.requests().length, before);
    assert.equal(a.requests().at(-1)?.path, '/.well-known/jwks.json');
  });
});
