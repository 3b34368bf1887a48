// Hostile request bodies at the token and revoke endpoints: every one is a 400 (or 413) in the
// envelope, never a 500, never a type confusion, and never a polluted prototype.
import assert from 'node:assert/strict';
import { bootstrap, SEED, type Harness } from '../helpers/bootstrap.js';
import { assertError, grantCount, spec } from '../http/helpers.js';

const ENDPOINTS = [
  ['token', '/oauth/token'],
  ['revokeToken', '/oauth/revoke'],
] as const;

describe('security: request bodies', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await bootstrap();
  });
  afterEach(() => {
    // Nothing a request sent may reach Object.prototype.
    for (const name of ['admin', 'polluted', 'isAdmin']) assert.equal(name in Object.prototype, false, `Object.prototype.${name} was set`);
  });

  const post = (path: string, body: string, type = 'application/json') => h.agent.post(path).set('Content-Type', type).send(body);

  for (const [operationId, path] of ENDPOINTS) {
    describe(path, () => {
      const invalid: Array<[string, string]> = [
        ['malformed JSON', '{"grant_type": "authorization_code",'],
        ['a top-level array', '[{"grant_type":"authorization_code"}]'],
        ['a top-level string', '"authorization_code"'],
        ['a top-level number', '42'],
        ['null', 'null'],
        ['an empty body', ''],
        [
          'a __proto__ key',
          '{"__proto__":{"admin":true},"grant_type":"refresh_token","token":"x","client_id":"client_123","client_secret":"client_123-secret-change-me"}',
        ],
        [
          'a nested __proto__ key',
          '{"token":"x","client_id":"client_123","client_secret":"client_123-secret-change-me","grant_type":"refresh_token","x":{"__proto__":{"polluted":1}}}',
        ],
      ];
      for (const [name, body] of invalid) {
        it(`${name} → 400 invalid_request`, async () => {
          assertError(spec(operationId, await post(path, body)), 400, 'invalid_request');
        });
      }

      it('a constructor.prototype key is plain data: the request is judged on its merits', async () => {
        const body =
          '{"constructor":{"prototype":{"isAdmin":true}},"grant_type":"refresh_token","token":"x","refresh_token":"x","client_id":"client_123","client_secret":"client_123-secret-change-me"}';
        const res = await post(path, body);
        // Only `__proto__` is special to JSON.parse; this one is an unknown parameter.
        if (path === '/oauth/token') assertError(spec(operationId, res), 400, 'invalid_grant');
        else assert.deepEqual([res.status, res.body], [200, { success: true, message: 'Token revoked' }]);
      });

      it('a 17 KiB body → 413 payload_too_large', async () => {
        const res = await post(path, JSON.stringify({ token: 'x', grant_type: 'refresh_token', pad: 'p'.repeat(17 * 1024) }));
        assertError(spec(operationId, res), 413, 'payload_too_large');
      });

      for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        it(`content type ${type ?? '(none)'} → 400 invalid_request`, async () => {
          const req = h.agent.post(path);
          const res = type === undefined ? await req.send(Buffer.from('{"token":"x"}')) : await req.set('Content-Type', type).send('token=x');
          assertError(spec(operationId, res), 400, 'invalid_request');
        });
      }
    });
  }

  describe('type confusion at the token endpoint', () => {
    const bodies: Array<[string, Record<string, unknown>]> = [
      ['an operator object for code', { code: { $ne: null } }],
      ['an array for code', { code: ['a', 'b'] }],
      ['a number for code', { code: 12345 }],
      ['a number for grant_type', { grant_type: 1 }],
      ['a boolean for client_secret', { client_secret: true }],
      ['a number for client_id', { client_id: 123 }],
      ['an object for redirect_uri', { redirect_uri: { toString: 'x' } }],
      ['an array for code_verifier', { code_verifier: [SEED.verifier] }],
    ];
    for (const [name, override] of bodies) {
      it(`${name} → 400 invalid_request, no grant`, async () => {
        const code = await h.code();
        const res = await h.agent.post('/oauth/token').send({
          grant_type: 'authorization_code',
          code,
          redirect_uri: SEED.redirectUri,
          code_verifier: SEED.verifier,
          client_id: SEED.clientId,
          client_secret: SEED.secret,
          ...override,
        });
        assertError(spec('token', res), 400, 'invalid_request');
        assert.equal(grantCount(h), 0);
      });
    }

    it('an operator object for refresh_token or token → 400 invalid_request', async () => {
      const creds = { client_id: SEED.clientId, client_secret: SEED.secret };
      assertError(
        spec('token', await h.agent.post('/oauth/token').send({ grant_type: 'refresh_token', refresh_token: { $gt: '' }, ...creds })),
        400,
        'invalid_request',
      );
      assertError(spec('revokeToken', await h.agent.post('/oauth/revoke').send({ token: { $gt: '' }, ...creds })), 400, 'invalid_request');
    });
  });

  it('after a __proto__ body, the next request is unaffected', async () => {
    await post('/oauth/token', '{"__proto__":{"admin":true,"client_secret":"x"},"grant_type":"authorization_code"}');
    const tokens = await h.tokens();
    assert.ok(tokens.access_token);
    const res = await h.agent.post('/oauth/token').send({ grant_type: 'authorization_code', code: 'nope', client_id: SEED.clientId });
    assertError(spec('token', res), 400, 'invalid_client');
  });
});
