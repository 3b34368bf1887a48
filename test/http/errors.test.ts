// What every endpoint does with bad input: 404, 405, 413, malformed bodies, the error
// envelope and its headers, and that the server keeps serving afterwards.
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Response } from 'supertest';
import { bootstrap, SEED, type Harness } from '../helpers/bootstrap.js';
import { assertMatchesSpec } from '../helpers/openapi.js';
import { assertError, assertNoStore, spec } from './helpers.js';

const LIMIT = 16 * 1024;

/** A raw HTTP exchange, for bodies supertest would rewrite (no Content-Type, chunked). */
function raw(port: number, opts: { method: string; path: string; headers?: Record<string, string>; chunks?: string[] }) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: unknown; text: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: opts.method, path: opts.path, headers: opts.headers ?? {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
      });
    });
    req.on('error', reject);
    for (const chunk of opts.chunks ?? []) req.write(chunk);
    req.end();
  });
}

/** The exact shape of an error envelope: `{success:false, error:{code, message}}` and nothing else. */
function assertEnvelope(res: { body: unknown }, code: string): void {
  const body = res.body as { success: unknown; error: { code: unknown; message: unknown } };
  assert.deepEqual(Object.keys(body).sort(), ['error', 'success']);
  assert.equal(body.success, false);
  assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message']);
  assert.equal(body.error.code, code);
  assert.doesNotMatch(String(body.error.message), /\n\s+at /, 'no stack trace');
}

async function stillServes(h: Harness): Promise<void> {
  const data = await h.tokens();
  assert.ok(data.access_token);
  assert.equal(Object.hasOwn(Object.prototype, 'polluted'), false);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
}

const ENDPOINTS = [
  { path: '/oauth/token', operationId: 'token' },
  { path: '/oauth/revoke', operationId: 'revokeToken' },
] as const;

describe('errors, envelope and headers', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await bootstrap();
  });

  describe('404 and 405', () => {
    for (const [method, path] of [
      ['get', '/nope'],
      ['post', '/oauth/nope'],
      ['get', '/oauth'],
      ['get', '/.well-known/nope'],
      ['get', '/oauth/token/extra'],
    ] as const) {
      it(`${method.toUpperCase()} ${path} → 404 envelope`, async () => {
        const res = method === 'get' ? await h.agent.get(path) : await h.agent.post(path).send({});
        assertMatchesSpec('openidConfiguration', res.status, res.body, res.headers);
        assertError(res, 404, 'not_found');
        assertEnvelope(res, 'not_found');
        assert.match(res.headers['content-type'] as string, /^application\/json/);
      });
    }

    const wrongMethods: [string, string, string, string][] = [
      ['get', '/oauth/token', 'token', 'POST'],
      ['put', '/oauth/token', 'token', 'POST'],
      ['delete', '/oauth/revoke', 'revokeToken', 'POST'],
      ['get', '/oauth/revoke', 'revokeToken', 'POST'],
      ['post', '/oauth/userinfo', 'userinfo', 'GET'],
      ['post', '/oauth/authorize', 'authorize', 'GET'],
      ['post', '/.well-known/openid-configuration', 'openidConfiguration', 'GET'],
      ['delete', '/.well-known/jwks.json', 'jwks', 'GET'],
    ];
    for (const [method, path, operationId, allowed] of wrongMethods) {
      it(`${method.toUpperCase()} ${path} → 405 envelope with Allow naming ${allowed}`, async () => {
        const res = spec(operationId, await (h.agent as unknown as Record<string, (p: string) => Promise<Response>>)[method]!(path));
        assertError(res, 405, 'method_not_allowed');
        assertEnvelope(res, 'method_not_allowed');
        const allow = String(res.headers.allow).split(/,\s*/);
        assert.ok(allow.includes(allowed), `Allow: ${res.headers.allow}`);
        assert.equal(allow.includes(method.toUpperCase()), false);
        // Errors are never cacheable, token and revoke ones included (RFC 6749 §5.2).
        assert.equal(res.headers['cache-control'], 'no-store');
      });
    }

    for (const [path, allowed] of [
      ['/oauth/token', 'POST'],
      ['/.well-known/jwks.json', 'HEAD, GET'],
    ] as const) {
      it(`OPTIONS ${path} → 204 with Allow ${allowed} and no body`, async () => {
        const res = await h.agent.options(path);
        assert.equal(res.status, 204);
        assert.equal(res.headers.allow, allowed);
        assert.equal(res.text, '');
      });
    }
  });

  for (const { path, operationId } of ENDPOINTS) {
    describe(`malformed bodies at ${path}`, () => {
      const send = async (type: string | undefined, body: string) => {
        let req = h.agent.post(path);
        if (type !== undefined) req = req.set('Content-Type', type);
        return spec(operationId, await req.send(body));
      };

      const cases: [string, string | undefined, string, RegExp | undefined][] = [
        ['malformed JSON', 'application/json', '{"grant_type":', undefined],
        ['trailing garbage', 'application/json', '{"token":"a"} x', undefined],
        ['a form body', 'application/x-www-form-urlencoded', 'grant_type=authorization_code&token=a', /application\/json/],
        ['text/plain', 'text/plain', '{"grant_type":"authorization_code","token":"a"}', /application\/json/],
        ['multipart', 'multipart/form-data; boundary=x', '--x--', /application\/json/],
        ['a top-level array', 'application/json', '[{"token":"a"}]', undefined],
        ['a top-level string', 'application/json', '"token"', undefined],
        ['a top-level number', 'application/json', '42', undefined],
        ['a top-level null', 'application/json', 'null', undefined],
        ['a __proto__ key', 'application/json', '{"__proto__":{"polluted":true},"grant_type":"authorization_code","token":"a"}', undefined],
        ['a nested __proto__ key', 'application/json', '{"grant_type":"authorization_code","token":"a","x":{"__proto__":{"polluted":true}}}', undefined],
      ];
      for (const [name, type, body, message] of cases) {
        it(`${name} → 400 invalid_request, no-store, and the server still serves`, async () => {
          const res = await send(type, body);
          assertError(res, 400, 'invalid_request', message);
          assertEnvelope(res, 'invalid_request');
          assertNoStore(res);
          await stillServes(h);
        });
      }

      it('no Content-Type and no body → 400 invalid_request saying application/json', async () => {
        const res = spec(operationId, await h.agent.post(path));
        assertError(res, 400, 'invalid_request', /application\/json/);
        assertNoStore(res);
      });

      it('application/json; charset=utf-8 is accepted', async () => {
        const res = await send(
          'application/json; charset=utf-8',
          JSON.stringify({ grant_type: 'password', token: 'x', ...{ client_id: SEED.clientId, client_secret: SEED.secret } }),
        );
        // It was parsed: the error is about the content, not the type.
        if (path === '/oauth/token') assertError(res, 400, 'unsupported_grant_type');
        else assert.equal(res.status, 200);
      });

      it('a 17 KiB body → 413 envelope with no-store; the server still serves', async () => {
        const body = JSON.stringify({ grant_type: 'authorization_code', token: 'a', pad: 'x'.repeat(17 * 1024) });
        const res = await send('application/json', body);
        assertError(res, 413, 'payload_too_large');
        assertEnvelope(res, 'payload_too_large');
        assertNoStore(res);
        await stillServes(h);
      });

      it('a 17 KiB body of another type is 413 too (the size check comes first)', async () => {
        const res = await send('text/plain', 'x'.repeat(17 * 1024));
        assertError(res, 413, 'payload_too_large');
      });

      it('a body just under the limit is read', async () => {
        const base = { grant_type: 'password', token: 'a', client_id: SEED.clientId, client_secret: SEED.secret, pad: '' };
        const pad = 'x'.repeat(LIMIT - 100 - JSON.stringify(base).length);
        const body = JSON.stringify({ ...base, pad });
        assert.ok(Buffer.byteLength(body) < LIMIT && Buffer.byteLength(body) > LIMIT - 200);
        const res = await send('application/json', body);
        if (path === '/oauth/token') assertError(res, 400, 'unsupported_grant_type');
        else assert.deepEqual(res.body, { success: true, message: 'Token revoked' });
      });
    });
  }

  describe('values of the wrong type', () => {
    const redeemBody = {
      grant_type: 'authorization_code',
      redirect_uri: SEED.redirectUri,
      code_verifier: SEED.verifier,
      client_id: SEED.clientId,
      client_secret: SEED.secret,
    };
    const cases: [string, Record<string, unknown>][] = [
      ['code as a number', { code: 12345 }],
      ['code as a query operator {"$ne":null}', { code: { $ne: null } }],
      ['code as true', { code: true }],
      ['grant_type as a number', { grant_type: 1, code: 'x' }],
      ['client_id as a number', { code: 'x', client_id: 123 }],
      ['client_secret as an object', { code: 'x', client_secret: { $gt: '' } }],
      ['redirect_uri as an array', { code: 'x', redirect_uri: [SEED.redirectUri] }],
      ['code_verifier as a number', { code: 'x', code_verifier: 1e50 }],
    ];
    for (const [name, overrides] of cases) {
      it(`${name} → 400 invalid_request, nothing redeemed, and the server still serves`, async () => {
        const code = await h.code();
        const res = spec('token', await h.agent.post('/oauth/token').send({ ...redeemBody, code, ...overrides }));
        assertError(res, 400, 'invalid_request');
        assertNoStore(res);
        assert.equal(Object.keys(h.store.read().grants).length, 0);
        await stillServes(h);
      });
    }

    it('revoke: token as {"$ne":null} → 400 invalid_request', async () => {
      const res = spec('revokeToken', await h.agent.post('/oauth/revoke').send({ token: { $ne: null }, client_id: SEED.clientId, client_secret: SEED.secret }));
      assertError(res, 400, 'invalid_request');
    });
  });

  describe('unexpected faults', () => {
    it('→ 500 server_error with a generic message, logged, no detail leaked; the next request works', async () => {
      const logged: unknown[] = [];
      h.app.silent = true;
      h.app.on('error', (e: unknown) => logged.push(e));
      const update = h.store.update.bind(h.store);
      h.store.update = () => Promise.reject(new Error('disk on fire: /secret/path'));
      const code = await h.code().catch(() => undefined);
      assert.equal(code, undefined);
      const res = spec(
        'token',
        await h.agent.post('/oauth/token').send({
          grant_type: 'authorization_code',
          code: 'abc',
          redirect_uri: SEED.redirectUri,
          code_verifier: SEED.verifier,
          client_id: SEED.clientId,
          client_secret: SEED.secret,
        }),
      );
      assertError(res, 500, 'server_error');
      assertEnvelope(res, 'server_error');
      assert.doesNotMatch(JSON.stringify(res.body), /disk on fire|secret\/path/);
      assertNoStore(res);
      assert.ok(logged.length >= 1);
      h.store.update = update;
      await stillServes(h);
    });
  });

  describe('over real HTTP', () => {
    let server: Server;
    let port: number;
    beforeEach(async () => {
      const handle = h.app.callback();
      server = createServer((req, res) => void handle(req, res));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterEach(async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    });

    it('a JSON body without any Content-Type → 400 invalid_request saying application/json', async () => {
      const res = await raw(port, {
        method: 'POST',
        path: '/oauth/token',
        chunks: ['{"grant_type":"authorization_code"}'],
        headers: { 'Content-Length': '35' },
      });
      assertMatchesSpec('token', res.status, res.body, res.headers);
      assertError(res as unknown as Response, 400, 'invalid_request', /application\/json/);
    });

    it('a chunked body over the limit (no Content-Length) → 413', async () => {
      const chunks = ['{"token":"', ...Array.from({ length: 17 }, () => 'x'.repeat(1024)), '"}'];
      const res = await raw(port, {
        method: 'POST',
        path: '/oauth/revoke',
        chunks,
        headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      });
      assertMatchesSpec('revokeToken', res.status, res.body, res.headers);
      assertError(res as unknown as Response, 413, 'payload_too_large');
      assert.equal(res.headers['cache-control'], 'no-store');
    });

    it('a Content-Length that lies (larger than the limit) → 413 before reading', async () => {
      const res = await raw(port, {
        method: 'POST',
        path: '/oauth/token',
        chunks: ['{}'],
        headers: { 'Content-Type': 'application/json', 'Content-Length': String(LIMIT + 1) },
      });
      // Answered at once from the header, without waiting for the rest of the body.
      assertMatchesSpec('token', res.status, res.body, res.headers);
      assertError(res as unknown as Response, 413, 'payload_too_large');
    });
  });
});
