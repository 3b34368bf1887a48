import assert from 'node:assert/strict';
import { startOAuthMock, type OAuthMock } from '../../src/index.js';
import { createControls } from '../../src/control/controls.js';
import { listen, type RunningServer } from '../../src/server.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { loadFixtures } from '../../src/store/fixtures.js';
import type { Store } from '../../src/store/types.js';
import { SEED } from '../helpers/bootstrap.js';
import { codeFlow } from '../http/helpers.js';

async function raw(url: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(url, { redirect: 'manual', ...init });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const tokenRequest = (mock: OAuthMock, body: Record<string, string> = {}) =>
  raw(`${mock.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: 'rt1.nope', client_id: SEED.clientId, client_secret: SEED.secret, ...body }),
  });

describe('control: faults', () => {
  let mock: OAuthMock;
  beforeEach(async () => {
    mock = await startOAuthMock();
  });
  afterEach(() => mock.stop());

  it('{status: 503, retryAfter, times: 2}: two 503s in the profile envelope, then the real answer', async () => {
    mock.fail('token', { times: 2, status: 503, retryAfter: 1 });
    assert.deepEqual(
      mock.faults().map((f) => [f.endpoint, f.remaining]),
      [['token', 2]],
    );
    for (let i = 0; i < 2; i++) {
      const res = await tokenRequest(mock);
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('retry-after'), '1');
      assert.deepEqual(JSON.parse(res.text), {
        success: false,
        error: { code: 'temporarily_unavailable', message: 'fault injected at token by test control' },
      });
    }
    assert.deepEqual(mock.faults(), []);
    const real = await tokenRequest(mock);
    assert.equal(real.status, 400);
    assert.equal(JSON.parse(real.text).error.code, 'invalid_grant');
  });

  it('{error: "invalid_grant"}: a well-formed OAuth error for a request that would have succeeded', async () => {
    mock.fail('token', { error: 'invalid_grant', message: 'the code was eaten' });
    // A real code flow's redemption is refused...
    await assert.rejects(codeFlow(mock), /the code was eaten/);
    // ...and the next one succeeds.
    const tokens = await codeFlow(mock);
    assert.ok(tokens.access_token);
  });

  it('{status: 500}: server_error with the message, not logged as a server fault', async () => {
    const logged: unknown[] = [];
    await mock.stop();
    mock = await startOAuthMock({ onError: (e) => logged.push(e) });
    mock.fail('userinfo', { status: 500 });
    const res = await raw(`${mock.url}/oauth/userinfo`, { headers: { authorization: 'Bearer x' } });
    assert.equal(res.status, 500);
    assert.deepEqual(JSON.parse(res.text), { success: false, error: { code: 'server_error', message: 'fault injected at userinfo by test control' } });
    assert.deepEqual(logged, []);
  });

  it('{delayMs}: the answer comes no sooner, and is the real one', async () => {
    mock.fail('discovery', { delayMs: 300 });
    const started = performance.now();
    const res = await raw(`${mock.url}/.well-known/openid-configuration`);
    assert.ok(performance.now() - started >= 290, 'waited at least the delay');
    assert.equal(res.status, 200);
    assert.equal(JSON.parse(res.text).issuer, mock.issuer);
  });

  it('{drop: true}: the socket closes with no response', async () => {
    mock.fail('jwks', { drop: true });
    await assert.rejects(fetch(mock.jwksUrl), (error: Error) => {
      assert.equal(error.name, 'TypeError');
      assert.match(String((error.cause as Error | undefined)?.message ?? (error.cause as { code?: string })?.code), /other side closed|socket|ECONNRESET/i);
      return true;
    });
    assert.equal((await raw(mock.jwksUrl)).status, 200);
  });

  it('{body: "not json"}: that body, as application/json', async () => {
    mock.fail('revoke', { body: 'not json', status: 502 });
    const res = await raw(`${mock.url}/oauth/revoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 502);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(res.text, 'not json');
  });

  it('authorize: a status answers the browser directly', async () => {
    mock.fail('authorize', { status: 503 });
    const res = await raw(`${mock.url}/oauth/authorize?client_id=${SEED.clientId}`);
    assert.equal(res.status, 503);
    assert.equal(JSON.parse(res.text).error.code, 'temporarily_unavailable');
  });

  it('authorize: an error goes back to the client, as the redirect a real denial is (RFC 6749 §4.1.2.1)', async () => {
    mock.fail('authorize', { error: 'access_denied', message: 'the user said no' });
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: SEED.clientId,
      redirect_uri: SEED.redirectUri,
      scope: 'openid',
      state: 'xyz',
      code_challenge: SEED.challenge,
      code_challenge_method: 'S256',
    });
    const headers = { authorization: `Bearer ${await mock.mintToken({ user: 'alice' })}` };
    const res = await raw(`${mock.url}/oauth/authorize?${query}`, { headers });
    assert.equal(res.status, 302);
    const location = new URL(res.headers.get('location') as string);
    assert.deepEqual(Object.fromEntries(location.searchParams), {
      error: 'access_denied',
      error_description: 'the user said no',
      state: 'xyz',
      iss: mock.issuer,
    });
    // Taken once: the next request gets its code.
    assert.ok(new URL((await raw(`${mock.url}/oauth/authorize?${query}`, { headers })).headers.get('location') as string).searchParams.get('code'));
  });

  it('a fault applies to its endpoint only, first queued first served', async () => {
    mock.fail('token', { status: 503 });
    mock.fail('token', { error: 'invalid_client' });
    assert.equal((await raw(mock.discoveryUrl)).status, 200);
    assert.equal((await tokenRequest(mock)).status, 503);
    assert.equal(JSON.parse((await tokenRequest(mock)).text).error.code, 'invalid_client');
    assert.equal(JSON.parse((await tokenRequest(mock)).text).error.code, 'invalid_grant');
  });

  it('refuses what it cannot do, saying why', () => {
    assert.throws(
      () => mock.fail('nowhere' as 'token', { status: 503 }),
      /endpoint must be one of authorize, token, userinfo, revoke, introspection, discovery, jwks, end_session/,
    );
    assert.throws(() => mock.fail('token', {}), /a fault needs status, error, body, drop or delayMs/);
    assert.throws(() => mock.fail('token', { times: 0, status: 503 }), /times must be a whole number from 1/);
    assert.throws(() => mock.fail('token', { drop: true, status: 503 }), /drop closes the socket/);
    assert.deepEqual(mock.faults(), []);
  });

  it('mock.reset() clears pending faults', async () => {
    mock.fail('token', { status: 503, times: 5 });
    await mock.reset();
    assert.deepEqual(mock.faults(), []);
    assert.equal((await tokenRequest(mock)).status, 400);
  });

  it('concurrency: times 3 under 50 parallel requests fails exactly 3', async () => {
    mock.fail('token', { status: 503, times: 3 });
    const statuses = await Promise.all(Array.from({ length: 50 }, () => tokenRequest(mock).then((r) => r.status)));
    assert.equal(statuses.filter((s) => s === 503).length, 3);
    assert.equal(statuses.filter((s) => s === 400).length, 47);
  });
});

describe('control: faults on the fast path (discovery and JWKS served without Koa)', () => {
  let store: Store;
  let server: RunningServer;
  const controls = createControls();
  before(async () => {
    store = createMemoryStore(loadFixtures());
    server = await listen({ store, port: 0, host: '127.0.0.1', alg: 'RS256', controls });
  });
  after(async () => {
    await server.close();
    await store.close();
  });

  it('a pending fault reaches discovery and JWKS; 50 parallel requests with times 3 fail exactly 3', async () => {
    controls.fail('discovery', { status: 503, times: 3 });
    const statuses = await Promise.all(Array.from({ length: 50 }, () => raw(`${server.url}/.well-known/openid-configuration`).then((r) => r.status)));
    assert.equal(statuses.filter((s) => s === 503).length, 3);
    assert.equal(statuses.filter((s) => s === 200).length, 47);
    controls.fail('jwks', { body: '{"keys":', times: 1 });
    assert.equal((await raw(`${server.url}/.well-known/jwks.json`)).text, '{"keys":');
    assert.equal(JSON.parse((await raw(`${server.url}/.well-known/jwks.json`)).text).keys.length, 1);
  });
});
