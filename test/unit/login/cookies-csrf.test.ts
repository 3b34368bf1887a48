import assert from 'node:assert/strict';
import Koa from 'koa';
import supertest from 'supertest';
import { clearCookie, cookieScope, CSRF_COOKIE, readCookie, serializeCookie, SESSION_COOKIE } from '../../../src/http/cookies.js';
import { csrfToken, csrfValid } from '../../../src/http/csrf.js';

describe('browser cookies', () => {
  it('are scoped to the issuer path, and Secure exactly when the issuer is https', () => {
    assert.deepEqual(cookieScope('http://127.0.0.1:9400'), { path: '/', secure: false });
    assert.deepEqual(cookieScope('https://idp.example/tenant-a/'), { path: '/tenant-a', secure: true });
    assert.equal(
      serializeCookie(SESSION_COOKIE, 'sid.secret', cookieScope('https://idp.example/t'), { sameSite: 'Lax', maxAge: 28800 }),
      'oauth_mock_session=sid.secret; Path=/t; Max-Age=28800; HttpOnly; SameSite=Lax; Secure',
    );
    assert.equal(
      serializeCookie(CSRF_COOKIE, 'tok', cookieScope('http://h'), { sameSite: 'Strict' }),
      'oauth_mock_csrf=tok; Path=/; HttpOnly; SameSite=Strict',
    );
    assert.throws(() => serializeCookie('a', 'x;y', cookieScope('http://h'), { sameSite: 'Lax' }), /base64url/);
  });

  it('are read by exact name; a value that is not base64url reads as absent', async () => {
    const app = new Koa();
    app.use((ctx) => {
      ctx.body = { s: readCookie(ctx, SESSION_COOKIE) ?? null, c: readCookie(ctx, CSRF_COOKIE) ?? null };
      clearCookie(ctx, SESSION_COOKIE, cookieScope('http://h/p'));
    });
    const res = await supertest(app.callback()).get('/').set('Cookie', 'xoauth_mock_session=no; oauth_mock_session=a.b ; oauth_mock_csrf="q"');
    assert.deepEqual(res.body, { s: 'a.b', c: null });
    assert.deepEqual(res.headers['set-cookie'], ['oauth_mock_session=; Path=/p; Max-Age=0; HttpOnly; SameSite=Lax']);
  });
});

describe('CSRF token', () => {
  const app = new Koa();
  app.use(async (ctx) => {
    if (ctx.method === 'GET') ctx.body = { token: csrfToken(ctx, cookieScope('http://h')) };
    else ctx.body = { valid: csrfValid(ctx, ctx.get('x-posted') || undefined) };
  });
  const agent = () => supertest(app.callback());

  it('is set as a Strict cookie and kept while the browser has it', async () => {
    const first = await agent().get('/');
    const token = first.body.token as string;
    assert.match(token, /^[A-Za-z0-9_-]{32}$/);
    assert.deepEqual(first.headers['set-cookie'], [`oauth_mock_csrf=${token}; Path=/; HttpOnly; SameSite=Strict`]);
    const again = await agent().get('/').set('Cookie', `oauth_mock_csrf=${token}`);
    assert.equal(again.body.token, token);
    const short = await agent().get('/').set('Cookie', 'oauth_mock_csrf=abc');
    assert.notEqual(short.body.token, 'abc');
  });

  it('a post is valid only with the cookie and the same value in the form', async () => {
    const token = 'A'.repeat(32);
    const check = async (cookie: string | undefined, posted: string | undefined) => {
      let req = agent().post('/');
      if (cookie !== undefined) req = req.set('Cookie', `oauth_mock_csrf=${cookie}`);
      if (posted !== undefined) req = req.set('x-posted', posted);
      return (await req).body.valid as boolean;
    };
    assert.equal(await check(token, token), true);
    assert.equal(await check(token, 'B'.repeat(32)), false);
    assert.equal(await check(undefined, token), false, 'cross-site post: no Strict cookie');
    assert.equal(await check(token, undefined), false);
  });
});
