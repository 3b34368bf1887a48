// Hostile authorize requests (RFC 6749 §3.1, §4.1.2, §4.1.2.1; RFC 9700 §4.1): ambiguity is an
// error, state is echoed byte-exact but never splits a header, and nothing crashes the server.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { loadFixtures } from '../../src/store/fixtures.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { listen } from '../../src/server.js';
import { authorizeQuery, bootstrap, SEED, type Harness } from '../helpers/bootstrap.js';
import { assertMatchesSpec } from '../helpers/openapi.js';
import { assertError, assertRedirectError, authorizeRaw, codeCount } from '../http/helpers.js';

describe('security: authorize', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await bootstrap();
  });

  describe('duplicate single-valued parameters (RFC 6749 §3.1)', () => {
    for (const name of ['response_type', 'scope', 'state', 'code_challenge', 'code_challenge_method', 'nonce']) {
      it(`${name} twice → invalid_request redirected, no code`, async () => {
        const base = authorizeQuery({ [name]: undefined });
        const value = name === 'response_type' ? 'code' : name === 'code_challenge' ? SEED.challenge : name === 'code_challenge_method' ? 'S256' : 'v';
        const res = await authorizeRaw(h, `${base}&${name}=${value}&${name}=${value}`);
        const params = assertRedirectError(res, 'invalid_request');
        assert.equal(params.get('iss'), h.app.appContext.config.issuer);
        assert.equal(codeCount(h), 0);
      });
    }
    for (const name of ['client_id', 'redirect_uri']) {
      it(`${name} twice (same value) → 400 invalid_request, not redirected`, async () => {
        const value = name === 'client_id' ? SEED.clientId : SEED.redirectUri;
        const res = await authorizeRaw(h, `${authorizeQuery()}&${name}=${encodeURIComponent(value)}`);
        assertError(res, 400, 'invalid_request');
        assert.equal(codeCount(h), 0);
      });
    }
  });

  it('treats an empty state as absent: no state in the redirect', async () => {
    const res = await authorizeRaw(h, authorizeQuery({ state: '' }));
    assert.equal(res.status, 302);
    const location = new URL(res.headers.location as string);
    assert.equal(location.searchParams.has('state'), false);
    assert.ok(location.searchParams.get('code'));
  });

  it('percent-encodes CRLF and quotes from state in Location: no header splitting', async () => {
    const state = 'a\r\nSet-Cookie: pwned=1\r\n\r\n"\'<script>&x=%';
    const res = await authorizeRaw(h, authorizeQuery({ state }));
    assert.equal(res.status, 302);
    assert.equal(res.headers['set-cookie'], undefined);
    const raw = res.headers.location as string;
    assert.doesNotMatch(raw, /[\r\n"'<> ]/);
    assert.equal(new URL(raw).searchParams.get('state'), state);
  });

  it('echoes state with CRLF byte-exact on an error redirect too', async () => {
    const state = 'x\r\ny"z';
    const res = await authorizeRaw(h, authorizeQuery({ state, response_type: 'token' }));
    const params = assertRedirectError(res, 'unsupported_response_type');
    assert.equal(params.get('state'), state);
    assert.doesNotMatch(res.headers.location as string, /[\r\n"]/);
  });

  for (const [where, raw] of [
    ['state', `${authorizeQuery({ state: undefined })}&state=%E0%A4%A`],
    ['client_id', `${authorizeQuery({ client_id: undefined })}&client_id=%ZZ`],
    ['a parameter name', `${authorizeQuery()}&%E0%A4%A=1`],
    ['a lone %', `${authorizeQuery({ state: undefined })}&state=%`],
  ] as const) {
    it(`malformed percent-encoding in ${where} → 400 invalid_request, not 500, no code`, async () => {
      const res = await authorizeRaw(h, raw);
      assertError(res, 400, 'invalid_request');
      assert.equal(codeCount(h), 0);
    });
  }

  it('echoes a 4 KB state byte-exact', async () => {
    const state = 'é~!*()'.repeat(700).slice(0, 4096);
    const res = await authorizeRaw(h, authorizeQuery({ state }));
    assert.equal(res.status, 302);
    assert.equal(new URL(res.headers.location as string).searchParams.get('state'), state);
  });

  for (const id of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
    it(`client_id=${id} → 400 invalid_client, no redirect`, async () => {
      const res = await authorizeRaw(h, authorizeQuery({ client_id: id }));
      assertError(res, 400, 'invalid_client');
      assert.equal(codeCount(h), 0);
    });
  }

  it('ignores unknown parameters and a prototype-looking one', async () => {
    const res = await authorizeRaw(h, `${authorizeQuery()}&extra=foobar&__proto__=x&constructor=y`);
    assert.equal(res.status, 302);
    assert.ok(new URL(res.headers.location as string).searchParams.get('code'));
    assert.equal(({} as Record<string, unknown>).extra, undefined);
  });

  for (const [scope, code] of [
    ['openid "evil"\\ é', 'invalid_request'],
    ['openid <admin>', 'invalid_scope'],
  ] as const) {
    it(`keeps error_description within RFC 6749 §4.1.2.1 characters (scope ${JSON.stringify(scope)} → ${code})`, async () => {
      const res = await authorizeRaw(h, authorizeQuery({ scope }));
      const params = assertRedirectError(res, code);
      assert.match(params.get('error_description') ?? '', /^[\x20\x21\x23-\x5B\x5D-\x7E]+$/);
      assert.equal(codeCount(h), 0);
    });
  }

  // The description lands on the client's callback page: it names the parameter, never the
  // value the request carried (nor an unknown parameter's name).
  const MARK = 'Click-evil.example-to-verify-your-account';
  const echoed: Array<[string, string, string, string]> = [
    [
      'a scope value',
      `${authorizeQuery({ scope: `openid ${MARK}` })}`,
      'invalid_scope',
      `scope names a scope that is not allowed for client ${SEED.clientId}; allowed: openid profile email`,
    ],
    [
      'a duplicated unknown parameter',
      `${authorizeQuery()}&${MARK}=1&${MARK}=2`,
      'invalid_request',
      'a parameter was given more than once (only resource may repeat)',
    ],
    ['a duplicated known parameter', `${authorizeQuery()}&nonce=1&nonce=${MARK}`, 'invalid_request', 'nonce was given more than once'],
    [
      'a relative resource',
      authorizeQuery({ resource: MARK }),
      'invalid_target',
      'a resource is not an absolute URI (RFC 8707 section 4.1.2)'.replace('4.1.2', '2'),
    ],
    [
      'a resource with a fragment',
      authorizeQuery({ resource: `https://api.example/#${MARK}` }),
      'invalid_target',
      'a resource must not contain a fragment (RFC 8707 section 2)',
    ],
  ];
  for (const [name, query, code, description] of echoed) {
    it(`does not echo ${name} in the redirected error_description`, async () => {
      const params = assertRedirectError(await authorizeRaw(h, query), code);
      assert.equal(params.get('error_description'), description);
      assert.equal(codeCount(h), 0);
    });
  }

  describe('over-long request line against a real server', () => {
    function rawRequest(port: number, target: string): Promise<string> {
      return new Promise((resolve, reject) => {
        const socket = connect(port, '127.0.0.1');
        let data = '';
        socket.setEncoding('latin1');
        socket.on('data', (chunk: string) => (data += chunk));
        socket.on('end', () => resolve(data));
        socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve(data) : reject(error)));
        socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      });
    }

    it('answers 431 (or 414) for a 20 KB URL, and keeps serving', async () => {
      const store = createMemoryStore(loadFixtures());
      const server = await listen({ store, port: 0, host: '127.0.0.1' });
      try {
        const answer = await rawRequest(server.port, `/oauth/authorize?${authorizeQuery({ state: 'x'.repeat(20 * 1024) })}`);
        assert.match(answer, /^HTTP\/1\.1 (431|414) /);
        const res = await fetch(`${server.url}/.well-known/openid-configuration`);
        assert.equal(res.status, 200);
        const body = (await res.json()) as Record<string, unknown>;
        assertMatchesSpec('openidConfiguration', 200, body);
        assert.equal(codeCount({ store } as Harness), 0);
      } finally {
        await server.close();
        await store.close();
      }
    });
  });
});
