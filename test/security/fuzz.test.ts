// Property-based fuzzing (fast-check) of every endpoint's parameters: whatever arrives, the
// answer is a 2xx/3xx/4xx in the documented envelope (never a 5xx), a redirect only ever goes
// to a registered URI, and the store file still parses afterwards.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import supertest, { type Response } from 'supertest';
import { createApp } from '../../src/app.js';
import { BODY_LIMIT, DEFAULT_TTLS } from '../../src/config/defaults.js';
import { findUser } from '../../src/core/lookup.js';
import { loadFixtures } from '../../src/store/fixtures.js';
import { createStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { ensureKeys } from '../../src/tokens/keys.js';
import { authorizeQuery, codeExchange, fakeClock, ISSUER, PUBLIC_CLIENT, SEED } from '../helpers/bootstrap.js';
import { assertMatchesSpec } from '../helpers/openapi.js';

const RUNS = 120;

describe('security: property-based fuzz', function () {
  this.timeout(120_000);
  let dir: string;
  let store: Store;
  let app: ReturnType<typeof createApp>;
  let agent: ReturnType<typeof supertest>;
  let registered: string[];
  const errors: unknown[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'oauth-mock-fuzz-'));
    store = await createStore({ path: join(dir, 'db.json'), seed: () => loadFixtures() });
    const clock = fakeClock();
    await ensureKeys(store, { alg: 'HS256' }, Math.floor(clock.now() / 1000));
    app = createApp({ store, clock, config: { issuer: ISSUER, basePath: '', alg: 'HS256', ttl: { ...DEFAULT_TTLS }, bodyLimit: BODY_LIMIT } });
    app.on('error', (error: unknown) => errors.push(error));
    agent = supertest(app.callback());
    registered = Object.values(store.read().clients).flatMap((c) => c.redirect_uris);
  });

  after(async () => {
    await store.close();
    // The store is still valid JSON, and it opens again.
    for (const name of ['db.json']) JSON.parse(await readFile(join(dir, name), 'utf8'));
    const reopened = await createStore({ path: join(dir, 'db.json') });
    assert.ok(reopened.read().clients[SEED.clientId]);
    await reopened.close();
    await rm(dir, { recursive: true, force: true });
  });

  afterEach(() => {
    assert.deepEqual(errors, [], 'the app reported unexpected errors');
  });

  const userToken = (id = 'alice') => {
    const data = store.read();
    return app.appContext.tokens.mintUser(data, findUser(data, id) ?? { id }, { ttl: 3600 }).token;
  };

  /** A fresh access token for client_123 through the whole code flow. */
  async function accessToken(): Promise<string> {
    const auth = await agent.get(`/oauth/authorize?${authorizeQuery()}`).set('Authorization', `Bearer ${userToken()}`);
    const code = new URL(String(auth.headers.location)).searchParams.get('code');
    const res = await agent.post('/oauth/token').send(codeExchange(code));
    assert.equal(res.status, 200);
    return res.body.data.access_token as string;
  }

  /** The invariant every response must keep. */
  function check(operationId: string, res: Response): void {
    assert.ok(res.status >= 200 && res.status < 500, `status ${res.status}: ${JSON.stringify(res.body)}`);
    if (res.status === 302) {
      const location = String(res.headers.location);
      assert.ok(
        registered.some((uri) => location.startsWith(`${uri}${uri.includes('?') ? '&' : '?'}`)),
        `redirect to ${location}`,
      );
      assert.doesNotMatch(location, /[\r\n]/);
      return;
    }
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.equal(typeof res.body.success, 'boolean');
    if (res.body.success === false) {
      assert.equal(typeof res.body.error?.code, 'string');
      assert.equal(typeof res.body.error?.message, 'string');
    }
    assertMatchesSpec(operationId, res.status, res.body, res.headers);
  }

  // Values that reach deep code paths, mixed with arbitrary text (full Unicode included).
  const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 20 }));
  const param = (...interesting: string[]) => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...interesting) }, { weight: 1, arbitrary: text });
  const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  const mostly = <T>(value: T, other: fc.Arbitrary<T | T[] | undefined>) =>
    fc.oneof({ weight: 4, arbitrary: fc.constant(value) }, { weight: 1, arbitrary: other });
  const repeated = <T>(arb: fc.Arbitrary<T>) =>
    fc.oneof({ weight: 4, arbitrary: arb }, { weight: 1, arbitrary: fc.array(arb, { minLength: 2, maxLength: 3 }) });

  it('authorize: any query → redirect to a registered URI or an envelope 4xx', async () => {
    const query = fc.record({
      // Mostly valid, so that most runs get past the client checks to the parameters behind them.
      response_type: mostly('code', maybe(repeated(param('code', 'token', 'code id_token', '')))),
      client_id: mostly(SEED.clientId, maybe(repeated(param(SEED.clientId, PUBLIC_CLIENT.clientId, '__proto__', 'constructor')))),
      redirect_uri: mostly(
        SEED.redirectUri,
        maybe(repeated(param(SEED.redirectUri, PUBLIC_CLIENT.redirectUri, `${SEED.redirectUri}/`, 'https://evil.example/cb'))),
      ),
      scope: maybe(param('openid', 'openid profile email', 'admin', '', 'openid  profile')),
      state: maybe(text),
      code_challenge: maybe(param(SEED.challenge, 'a'.repeat(42), 'a'.repeat(128))),
      code_challenge_method: maybe(param('S256', 'plain', 's256', 'S512')),
      nonce: maybe(text),
      resource: maybe(repeated(param('https://api.example.com', 'https://api.example.com#x', 'relative', 'urn:x'))),
      extra: maybe(text),
    });
    const auth = fc.oneof({ weight: 5, arbitrary: fc.constant('valid') }, { weight: 1, arbitrary: fc.constantFrom('none', 'garbage') });
    await fc.assert(
      fc.asyncProperty(query, auth, async (q, a) => {
        const params = new URLSearchParams();
        for (const [k, v] of Object.entries(q)) for (const item of v === undefined ? [] : Array.isArray(v) ? v : [v]) params.append(k, item);
        const req = agent.get(`/oauth/authorize?${params.toString()}`);
        const res = a === 'none' ? await req : await req.set('Authorization', `Bearer ${a === 'valid' ? userToken() : 'a.b.c'}`);
        check('authorize', res);
      }),
      { numRuns: RUNS },
    );
  });

  it('authorize: any raw query string (broken percent-encoding included) → never a 5xx', async () => {
    const piece = fc.constantFrom(
      '%',
      '%E0%A4%A',
      '%ZZ',
      '%00',
      '%0D%0A',
      '&',
      '=',
      '+',
      '&&',
      'state',
      'client_id',
      'client_id=client_123',
      `redirect_uri=${encodeURIComponent(SEED.redirectUri)}`,
      'response_type=code',
      '__proto__',
      '%C0%AF',
      '%FF',
      '%25',
      'a',
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 12 }), async (pieces) => {
        const res = await agent.get(`/oauth/authorize?${authorizeQuery()}&${pieces.join('')}`).set('Authorization', `Bearer ${userToken()}`);
        check('authorize', res);
      }),
      { numRuns: RUNS },
    );
  });

  it('token: any JSON body → an envelope 200 or 4xx', async () => {
    const body = fc.record(
      {
        grant_type: mostly('authorization_code', maybe(param('authorization_code', 'refresh_token', 'password', 'client_credentials'))),
        code: mostly('LIVE', maybe(fc.jsonValue())),
        redirect_uri: mostly(SEED.redirectUri, maybe(param(SEED.redirectUri, `${SEED.redirectUri}/`))),
        code_verifier: mostly(SEED.verifier, maybe(param(SEED.verifier, SEED.challenge))),
        refresh_token: maybe(fc.oneof(fc.constant('LIVE'), fc.jsonValue())),
        client_id: mostly(SEED.clientId, maybe(param(SEED.clientId, PUBLIC_CLIENT.clientId, 'nobody', '__proto__'))),
        client_secret: mostly(SEED.secret, maybe(param(SEED.secret, 'wrong'))),
        scope: maybe(fc.oneof(param('openid', 'openid profile email', 'admin'), fc.jsonValue())),
        resource: maybe(fc.oneof(param('https://api.example.com', 'x#y'), fc.jsonValue())),
      },
      { requiredKeys: [] },
    );
    const extra = fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
    let live: { code?: string; refresh?: string } = {};
    await fc.assert(
      fc.asyncProperty(body, extra, fc.boolean(), async (b, x, basic) => {
        const payload: Record<string, unknown> = { ...x, ...b };
        if (payload.code === 'LIVE') {
          const res = await agent.get(`/oauth/authorize?${authorizeQuery()}`).set('Authorization', `Bearer ${userToken()}`);
          payload.code = new URL(String(res.headers.location)).searchParams.get('code');
        }
        if (payload.refresh_token === 'LIVE') payload.refresh_token = live.refresh ?? 'none';
        let req = agent.post('/oauth/token');
        if (basic && typeof payload.client_id === 'string' && typeof payload.client_secret === 'string') {
          req = req.auth(payload.client_id, payload.client_secret);
          delete payload.client_secret;
        }
        const res = await req.send(payload);
        check('token', res);
        if (res.status === 200) live = { refresh: res.body.data.refresh_token as string };
      }),
      { numRuns: RUNS },
    );
  });

  it('token and revoke: any raw body with any content type → never a 5xx', async () => {
    const type = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/xml');
    const raw = fc.oneof(
      fc.string(),
      fc.json(),
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.constantFrom('{', '[]', 'null', '{"__proto__":{}}', '\u0000'),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(['token', '/oauth/token'], ['revokeToken', '/oauth/revoke']), type, raw, async ([operationId, path], t, r) => {
        check(operationId, await agent.post(path).set('Content-Type', t).send(r));
      }),
      { numRuns: RUNS },
    );
  });

  it('revoke: any JSON body → an envelope 200 or 4xx', async () => {
    const body = fc.record(
      {
        token: mostly('LIVE', maybe(fc.jsonValue())),
        token_type_hint: maybe(fc.oneof(param('access_token', 'refresh_token', 'id_token'), fc.jsonValue())),
        client_id: mostly(SEED.clientId, maybe(param(SEED.clientId, PUBLIC_CLIENT.clientId, 'nobody'))),
        client_secret: mostly(SEED.secret, maybe(param(SEED.secret, 'wrong'))),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const payload: Record<string, unknown> = { ...b };
        if (payload.token === 'LIVE') payload.token = await accessToken();
        check('revokeToken', await agent.post('/oauth/revoke').send(payload));
      }),
      { numRuns: RUNS },
    );
  });

  it('userinfo: any Authorization header and query → an envelope 200 or 4xx', async () => {
    const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 });
    const header = fc.oneof(
      fc.constant(undefined),
      printable,
      fc.tuple(fc.constantFrom('Bearer ', 'bearer ', 'BEARER  ', 'Basic ', 'Bearer'), printable).map(([a, b]) => `${a}${b}`),
      fc.constantFrom('USER', 'MUTATED', 'ACCESS', 'ACCESS', 'ACCESS').map((k) => `Bearer ${k}`),
    );
    const query = maybe(fc.dictionary(fc.constantFrom('access_token', 'x', 'schema'), fc.string({ maxLength: 10 }), { maxKeys: 2 }));
    await fc.assert(
      fc.asyncProperty(header, query, async (hd, q) => {
        let value = hd;
        if (value === 'Bearer USER') value = `Bearer ${userToken()}`;
        if (value === 'Bearer ACCESS') value = `Bearer ${await accessToken()}`;
        if (value === 'Bearer MUTATED') value = `Bearer ${userToken().slice(0, -3)}abc`;
        const req = agent.get('/oauth/userinfo').query(q ?? {});
        check('userinfo', value === undefined ? await req : await req.set('Authorization', value));
      }),
      { numRuns: RUNS },
    );
  });

  it('every path and method: 2xx/3xx/4xx only', async () => {
    const paths = [
      '/oauth/authorize',
      '/oauth/token',
      '/oauth/revoke',
      '/oauth/userinfo',
      '/.well-known/openid-configuration',
      '/.well-known/jwks.json',
      '/openapi.json',
      '/nope',
      '/oauth/',
      '/%E0%A4%A',
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.constantFrom('get', 'post', 'put', 'delete', 'patch', 'options', 'head'), async (path, method) => {
        const res: Response = await agent[method as 'get'](path);
        assert.ok(res.status >= 200 && res.status < 500, `${method} ${path} → ${res.status}`);
        if (method !== 'head' && res.status >= 400) assert.equal(res.body.success, false);
      }),
      { numRuns: 100 },
    );
  });
});
