// The node:http fast path for discovery and JWKS must be indistinguishable from the Koa routes:
// same status, bytes and headers (bar the per-connection ones), and everything else must reach Koa.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/app.js';
import { withFastPath } from '../../src/http/fast-path.js';
import { createRequestJournal, type JournalEntry } from '../../src/journal.js';
import { generateStoredKey } from '../../src/tokens/keys.js';
import { bootstrap, type Harness } from '../helpers/bootstrap.js';
import { assertMatchesSpec } from '../helpers/openapi.js';

// Set by node:http per response or connection, not by either path.
const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive']);

interface Seen {
  status: number;
  body: string;
  headers: Record<string, string>;
}

function normalizeHeaders(headers: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => !TRANSPORT_HEADERS.has(name.toLowerCase()))
      .map(([k, v]) => [k.toLowerCase(), String(v)]),
  );
}

async function viaFastPath(server: Server, path: string, method = 'GET'): Promise<Seen> {
  const { port } = server.address() as AddressInfo;
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method });
  return { status: res.status, body: await res.text(), headers: normalizeHeaders(Object.fromEntries(res.headers)) };
}

async function viaKoa(h: Harness, path: string): Promise<Seen> {
  const res = await h.agent
    .get(path)
    .buffer(true)
    .parse((r, done) => {
      let text = '';
      r.on('data', (chunk: Buffer) => (text += chunk.toString()));
      r.on('end', () => done(null, text));
    });
  return { status: res.status, body: res.body as string, headers: normalizeHeaders(res.headers) };
}

describe('fast path for discovery and JWKS', () => {
  let server: Server | undefined;
  let koaCalls: string[];
  let logged: Array<{ method: string; path: string; status: number }>;

  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  async function serve(h: Harness): Promise<Server> {
    koaCalls = [];
    logged = [];
    const koa = h.app.callback();
    const next = (req: IncomingMessage, res: ServerResponse) => {
      koaCalls.push(`${req.method} ${req.url}`);
      void koa(req, res);
    };
    server = createServer(withFastPath(h.app.appContext, next, ({ method, path, status }) => logged.push({ method, path, status })));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return server;
  }

  const cases = [
    { alg: 'HS256', path: '/.well-known/openid-configuration', operationId: 'openidConfiguration' },
    { alg: 'HS256', path: '/.well-known/jwks.json', operationId: 'jwks' },
    { alg: 'RS256', path: '/.well-known/openid-configuration', operationId: 'openidConfiguration' },
    { alg: 'RS256', path: '/.well-known/jwks.json', operationId: 'jwks' },
    { alg: 'ES256', path: '/.well-known/jwks.json', operationId: 'jwks' },
  ] as const;
  for (const c of cases) {
    it(`${c.alg} GET ${c.path}: the same status, bytes and headers as the Koa route, without Koa`, async () => {
      const h = await bootstrap({ alg: c.alg });
      const fast = await viaFastPath(await serve(h), c.path);
      const koa = await viaKoa(h, c.path);
      assert.deepEqual(fast, koa);
      assert.equal(fast.status, 200);
      assert.equal(fast.headers['content-type'], 'application/json; charset=utf-8');
      assertMatchesSpec(c.operationId, fast.status, JSON.parse(fast.body), fast.headers);
      assert.deepEqual(koaCalls, []);
      assert.deepEqual(logged, [{ method: 'GET', path: c.path, status: 200 }]);
    });
  }

  it('serves a rotated JWKS on the next request, as the Koa route does', async () => {
    const h = await bootstrap({ alg: 'RS256' });
    const s = await serve(h);
    const before = await viaFastPath(s, '/.well-known/jwks.json');
    const now = Math.floor(h.clock.now() / 1000);
    const added = generateStoredKey('RS256', now);
    await h.store.update((tx) => tx.setMeta('keys', [...(tx.data.meta.keys ?? []), added]));
    const after = await viaFastPath(s, '/.well-known/jwks.json');
    assert.notEqual(after.body, before.body);
    assert.ok((JSON.parse(after.body) as { keys: Array<{ kid: string }> }).keys.some((k) => k.kid === added.kid));
    assert.deepEqual(after, await viaKoa(h, '/.well-known/jwks.json'));
  });

  const passThrough = [
    { method: 'GET', path: '/.well-known/jwks.json?x=1', status: 200 },
    { method: 'GET', path: '/.well-known/openid-configuration/', status: 200 },
    { method: 'HEAD', path: '/.well-known/openid-configuration', status: 200 },
    { method: 'POST', path: '/.well-known/jwks.json', status: 405 },
    { method: 'GET', path: '/nowhere', status: 404 },
  ];
  for (const c of passThrough) {
    it(`${c.method} ${c.path} goes to Koa (${c.status})`, async () => {
      const h = await bootstrap();
      const seen = await viaFastPath(await serve(h), c.path, c.method);
      assert.equal(seen.status, c.status);
      assert.deepEqual(koaCalls, [`${c.method} ${c.path}`]);
      assert.deepEqual(logged, []);
    });
  }

  describe('with a request journal and a request log (what startOAuthMock and the CLI keep)', () => {
    const servers: Server[] = [];
    after(async () => {
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    });

    async function listening(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
      const s = createServer(listener);
      servers.push(s);
      await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    }

    const withoutTime = (entries: JournalEntry[]) => entries.map(({ at, ...rest }) => (assert.ok(!Number.isNaN(Date.parse(at))), rest));

    for (const alg of ['HS256', 'RS256'] as const) {
      it(`${alg}: the journal entries, 'request' events and log lines are the Koa route's`, async () => {
        const h = await bootstrap({ alg });
        const recorded: Record<'fast' | 'koa', JournalEntry[]> = { fast: [], koa: [] };
        const logged: Record<'fast' | 'koa', Array<{ method: string; path: string; status: number }>> = { fast: [], koa: [] };
        const calls: string[] = [];
        const appFor = (side: 'fast' | 'koa') => {
          const journal = createRequestJournal({ onRecord: (entry) => recorded[side].push(entry) });
          const log = ({ method, path, status }: { method: string; path: string; status: number }) => logged[side].push({ method, path, status });
          const app = createApp({ store: h.store, clock: h.clock, config: h.app.appContext.config, journal, log });
          return { app, journal, log };
        };
        const fast = appFor('fast');
        const koa = appFor('koa');
        const fastCallback = fast.app.callback();
        const fastUrl = await listening(
          withFastPath(
            fast.app.appContext,
            (req, res) => {
              calls.push(`${req.method} ${req.url}`);
              void fastCallback(req, res);
            },
            fast.log,
            fast.journal,
          ),
        );
        const koaCallback = koa.app.callback();
        const koaUrl = await listening((req, res) => void koaCallback(req, res));
        const requests: Array<[string, Record<string, string>]> = [
          ['/.well-known/openid-configuration', {}],
          ['/.well-known/jwks.json', { authorization: 'Bearer abc' }],
          ['/.well-known/openid-configuration', { authorization: 'Basic Y2xpZW50OnNlY3JldA==' }],
          ['/.well-known/jwks.json', { authorization: 'DPoP xyz' }],
        ];
        for (const [path, headers] of requests) {
          const a = await fetch(`${fastUrl}${path}`, { headers });
          const b = await fetch(`${koaUrl}${path}`, { headers });
          assert.equal(a.status, 200);
          assert.equal(await a.text(), await b.text());
        }
        assert.deepEqual(calls, [], 'all four were answered by the fast path');
        assert.deepEqual(withoutTime(fast.journal.entries()), withoutTime(koa.journal.entries()));
        assert.deepEqual(withoutTime(recorded.fast), withoutTime(recorded.koa));
        assert.deepEqual(logged.fast, logged.koa);
        assert.deepEqual(
          withoutTime(fast.journal.entries()).map((e) => e.authorization),
          [undefined, 'Bearer', 'Basic', 'other'],
        );
      });
    }
  });
});
