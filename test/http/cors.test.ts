// CORS: a browser app (the public SPA client) fetches token, revoke, userinfo, discovery and
// JWKS cross-origin; authorize is navigated to and never answers CORS (RFC 9700 §2.6).
import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import { bootstrap, codeExchange, SEED, type Harness } from '../helpers/bootstrap.js';
import { assertError } from './helpers.js';

const ORIGIN = 'http://localhost:5173';

function assertCors(res: Response): void {
  assert.equal(res.headers['access-control-allow-origin'], '*');
  assert.equal(res.headers['access-control-expose-headers'], 'WWW-Authenticate');
  assert.match(String(res.headers.vary), /Origin/);
  assert.equal(res.headers['access-control-allow-credentials'], undefined, 'never * with credentials');
}

describe('CORS', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await bootstrap();
  });

  for (const [path, method] of [
    ['/oauth/token', 'POST'],
    ['/oauth/revoke', 'POST'],
    ['/oauth/userinfo', 'GET'],
    ['/.well-known/openid-configuration', 'GET'],
    ['/.well-known/jwks.json', 'GET'],
  ] as const) {
    it(`preflight for ${method} ${path} → 204 allowing Authorization and Content-Type`, async () => {
      const res = await h.agent
        .options(path)
        .set('Origin', ORIGIN)
        .set('Access-Control-Request-Method', method)
        .set('Access-Control-Request-Headers', 'authorization,content-type');
      assert.equal(res.status, 204);
      assert.equal(res.headers['access-control-allow-origin'], '*');
      assert.equal(res.headers['access-control-allow-methods'], 'GET,POST');
      assert.equal(res.headers['access-control-allow-headers'], 'Authorization,Content-Type');
      assert.equal(res.headers['access-control-max-age'], '600');
    });
  }

  it('token answers carry CORS headers, on success and on error', async () => {
    const code = await h.code();
    const ok = await h.agent.post('/oauth/token').set('Origin', ORIGIN).send(codeExchange(code));
    assert.equal(ok.status, 200);
    assertCors(ok);
    const bad = await h.agent
      .post('/oauth/token')
      .set('Origin', ORIGIN)
      .send({ grant_type: 'authorization_code', code, client_id: SEED.clientId, client_secret: SEED.secret });
    assertError(bad, 400, 'invalid_grant');
    assertCors(bad);
  });

  it('a userinfo 401 exposes WWW-Authenticate to the page', async () => {
    const res = await h.agent.get('/oauth/userinfo').set('Origin', ORIGIN);
    assertError(res, 401, 'invalid_request');
    assertCors(res);
    assert.equal(res.headers['www-authenticate'], 'Bearer realm="oauth-mock"');
  });

  it('discovery and JWKS carry CORS headers', async () => {
    for (const path of ['/.well-known/openid-configuration', '/.well-known/jwks.json']) {
      const res = await h.agent.get(path).set('Origin', ORIGIN);
      assert.equal(res.status, 200);
      assertCors(res);
    }
  });

  it('authorize never answers CORS: no Allow-Origin on its redirect, its errors or a preflight', async () => {
    const redirect = await h.agent.get('/oauth/authorize').set('Origin', ORIGIN).set('Authorization', `Bearer ${h.userToken()}`);
    assert.equal(redirect.headers['access-control-allow-origin'], undefined);
    const preflight = await h.agent.options('/oauth/authorize').set('Origin', ORIGIN).set('Access-Control-Request-Method', 'GET');
    assert.equal(preflight.headers['access-control-allow-origin'], undefined);
    assert.equal(preflight.headers['access-control-allow-methods'], undefined);
  });
});
