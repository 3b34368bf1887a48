import assert from 'node:assert/strict';
import { createRequestJournal, startOAuthMock, type JournalEntry, type OAuthMock } from '../../src/index.js';
import { SEED } from '../helpers/bootstrap.js';
import { codeFlow, getJson, mockCode, postJson } from '../http/helpers.js';

/** The journal without its wall-clock time, which tests do not assert. */
const timeless = (entries: JournalEntry[]) => entries.map(({ at, ...rest }) => (assert.ok(!Number.isNaN(Date.parse(at))), rest));

describe('mock.requests() (the request journal)', () => {
  let mock: OAuthMock;
  before(async () => {
    mock = await startOAuthMock();
  });
  afterEach(() => mock.reset());
  after(() => mock.stop());

  it('records what the app sent, in order, with secrets masked and the status answered', async () => {
    const code = await mockCode(mock);
    const basic = Buffer.from(`${SEED.clientId}:${SEED.secret}`).toString('base64');
    const res = await postJson(
      mock,
      '/oauth/token',
      'token',
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: SEED.redirectUri,
        code_verifier: SEED.verifier,
      },
      { authorization: `Basic ${basic}` },
    );
    assert.equal(res.status, 200);
    const data = res.body.data as { refresh_token: string };
    await postJson(mock, '/oauth/revoke', 'revokeToken', {
      token: data.refresh_token,
      token_type_hint: 'refresh_token',
      client_id: SEED.clientId,
      client_secret: SEED.secret,
    });

    assert.deepEqual(timeless(mock.requests()), [
      {
        method: 'GET',
        path: '/oauth/authorize',
        authorization: 'Bearer',
        status: 302,
        query: {
          response_type: 'code',
          client_id: SEED.clientId,
          redirect_uri: SEED.redirectUri,
          scope: 'openid profile email',
          state: 'xyz123',
          code_challenge: SEED.challenge,
          code_challenge_method: 'S256',
        },
      },
      {
        method: 'POST',
        path: '/oauth/token',
        query: {},
        authorization: 'Basic',
        status: 200,
        body: { grant_type: 'authorization_code', code: '***', redirect_uri: SEED.redirectUri, code_verifier: '***' },
      },
      {
        method: 'POST',
        path: '/oauth/revoke',
        query: {},
        status: 200,
        body: { token: '***', token_type_hint: 'refresh_token', client_id: SEED.clientId, client_secret: '***' },
      },
    ]);
    const text = JSON.stringify(mock.requests());
    for (const secret of [code, SEED.secret, SEED.verifier, data.refresh_token, basic]) assert.equal(text.includes(secret), false, 'no secret is kept');
  });

  it('records refused requests with their status, and a body that was not JSON as absent', async () => {
    await getJson(mock, '/oauth/userinfo', 'userinfo', { authorization: 'Bearer not-a-token' });
    const res = await fetch(`${mock.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' });
    assert.equal(res.status, 400);
    await res.text();
    const missing = await fetch(`${mock.url}/nope?code=abc&x=1`);
    assert.equal(missing.status, 404);
    await missing.text();
    assert.deepEqual(timeless(mock.requests()), [
      { method: 'GET', path: '/oauth/userinfo', query: {}, authorization: 'Bearer', status: 401 },
      { method: 'POST', path: '/oauth/token', query: {}, status: 400 },
      { method: 'GET', path: '/nope', query: { code: '***', x: '1' }, status: 404 },
    ]);
  });

  it('records __proto__ and constructor parameters as plain own keys, never as the prototype', async () => {
    const res = await fetch(`${mock.url}/nope?__proto__=x&constructor=y&code=c&code=d`);
    assert.equal(res.status, 404);
    await res.text();
    const [entry] = mock.requests();
    assert.deepEqual(Object.getOwnPropertyNames(entry?.query), ['__proto__', 'constructor', 'code']);
    assert.equal(Object.getPrototypeOf(entry?.query), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(entry?.query, '__proto__'), { value: 'x', enumerable: true, writable: true, configurable: true });
    assert.deepEqual(entry?.query.code, ['***', '***']);
    assert.equal(entry?.query.constructor, 'y');
  });

  it('masks secrets nested in a body too', async () => {
    const res = await postJson(mock, '/oauth/token', 'token', { grant_type: 'password', extra: { password: 'hunter2', list: [{ token: 't' }] } });
    assert.equal(res.status, 400);
    assert.equal((res.body.error as { code: string }).code, 'unsupported_grant_type');
    assert.deepEqual(mock.requests()[0]?.body, { grant_type: 'password', extra: { password: '***', list: [{ token: '***' }] } });
  });

  it('returns copies: changing what requests() returned changes nothing', async () => {
    await getJson(mock, '/.well-known/jwks.json', 'jwks');
    const first = mock.requests();
    (first[0] as JournalEntry).path = '/changed';
    first.length = 0;
    assert.equal(mock.requests()[0]?.path, '/.well-known/jwks.json');
  });

  it('is emptied by reset()', async () => {
    await codeFlow(mock);
    assert.equal(mock.requests().length, 2);
    await mock.reset();
    assert.deepEqual(mock.requests(), []);
  });

  it('keeps only the latest journalLimit requests', async () => {
    const small = await startOAuthMock({ journalLimit: 2 });
    try {
      for (const path of ['/.well-known/jwks.json', '/.well-known/openid-configuration', '/openapi.json']) {
        const res = await fetch(`${small.url}${path}`);
        assert.equal(res.status, 200);
        await res.text();
      }
      assert.deepEqual(
        small.requests().map((e) => e.path),
        ['/.well-known/openid-configuration', '/openapi.json'],
      );
    } finally {
      await small.stop();
    }
  });
});

describe('createRequestJournal', () => {
  it('refuses a limit that is not a positive integer', () => {
    for (const limit of [0, -3, 2.5, Number.NaN]) assert.throws(() => createRequestJournal({ limit }), RangeError);
  });

  it('calls onRecord with each entry and can be cleared', () => {
    const seen: JournalEntry[] = [];
    const journal = createRequestJournal({ limit: 5, onRecord: (e) => seen.push(e) });
    const entry: JournalEntry = { method: 'POST', path: '/x', query: {}, status: 200, at: new Date(0).toISOString() };
    journal.record(entry);
    assert.deepEqual(seen, [entry]);
    assert.deepEqual(journal.entries(), [entry]);
    journal.clear();
    assert.deepEqual(journal.entries(), []);
  });
});
