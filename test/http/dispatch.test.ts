// Routing: an exact method and path is served from a Map of composed route middleware, anything
// else by @koa/router. The answers must not tell the two apart: a path @koa/router also matches
// (trailing slash, other letter case) runs the same route, and HEAD, OPTIONS, 405 and 404 are
// as before.
import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import { routeDispatch, type Route } from '../../src/http/routes.js';
import { bootstrap, codeExchange, SEED, type Harness } from '../helpers/bootstrap.js';
import { assertError } from './helpers.js';

/** Status, body and headers, without the ones that differ per request or name the path. */
function answer(res: Response) {
  const { date: _date, ...headers } = res.headers as Record<string, string>;
  return { status: res.status, body: res.body as unknown, text: res.text, headers };
}

describe('route dispatch', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await bootstrap();
  });

  it('token: /oauth/token and /OAuth/Token/ (matched by @koa/router) give the same errors', async () => {
    const exact = await h.agent
      .post('/oauth/token')
      .send({ grant_type: 'authorization_code', code: 'nope', client_id: SEED.clientId, client_secret: SEED.secret });
    const routed = await h.agent
      .post('/OAuth/Token/')
      .send({ grant_type: 'authorization_code', code: 'nope', client_id: SEED.clientId, client_secret: SEED.secret });
    assertError(exact, 400, 'invalid_grant');
    // CORS is for the exact paths a browser app is given (discovery's URLs), so only those headers differ.
    const { 'access-control-allow-origin': origin, 'access-control-expose-headers': _e, ...exactHeaders } = answer(exact).headers;
    assert.equal(origin, '*');
    assert.deepEqual(answer(routed), { ...answer(exact), headers: exactHeaders });
  });

  it('token: a code redeems the same way through either path', async () => {
    for (const path of ['/oauth/token', '/oauth/token/']) {
      const res = await h.agent.post(path).send(codeExchange(await h.code()));
      assert.equal(res.status, 200);
      assert.equal((res.body as { success: boolean }).success, true);
    }
  });

  it('authorize: exact and trailing-slash paths both redirect with a code', async () => {
    for (const path of ['/oauth/authorize', '/oauth/authorize/']) {
      const res = await h.agent
        .get(
          `${path}?response_type=code&client_id=${SEED.clientId}&redirect_uri=${encodeURIComponent(SEED.redirectUri)}&code_challenge=${SEED.challenge}&code_challenge_method=S256`,
        )
        .set('Authorization', `Bearer ${h.userToken()}`);
      assert.equal(res.status, 302);
      assert.match(String(res.headers.location), /[?&]code=/);
      assert.equal(res.headers['cache-control'], 'no-store');
    }
  });

  it('HEAD on a GET route answers as GET without a body; 405 names the allowed methods; OPTIONS is 204 with Allow', async () => {
    const head = await h.agent.head('/.well-known/openid-configuration');
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(head.text, undefined);
    const post = await h.agent.post('/.well-known/jwks.json');
    assertError(post, 405, 'method_not_allowed');
    assert.equal(post.headers.allow, 'HEAD, GET');
    const options = await h.agent.options('/oauth/token');
    assert.equal(options.status, 204);
    assert.equal(options.headers.allow, 'POST');
    assertError(await h.agent.get('/nowhere'), 404, 'not_found');
  });

  it('refuses a table that serves one method and path twice', () => {
    const route: Route = { method: 'get', path: '/x', action: [] };
    assert.throws(() => routeDispatch([route, { ...route }]), /serves GET \/x twice/);
  });
});
