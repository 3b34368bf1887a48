// A Koa app on a real socket and a POST written chunk by chunk: the body-reader tests need
// headers and framing (chunked, Content-Length, gzip) that supertest would normalise.
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';

export interface RawAnswer {
  status: number;
  body: string;
}

/** Listens on 127.0.0.1 with a free port; close the server in an `after` hook. */
export function serveKoa(app: Koa): Promise<Server> {
  const callback = app.callback();
  const server = createServer((req, res) => void callback(req, res));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Sends `chunks` with `headers`; without a content-length header the body goes chunked. */
export function rawPost(server: Server, headers: Record<string, string>, chunks: Buffer[]): Promise<RawAnswer> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

/** One request body to send, the status both readers must answer it with, and its name. */
export type BodyCase = [name: string, request: { headers: Record<string, string>; chunks: Buffer[] }, status: number];

/**
 * In a describe block: starts the direct reader's server and the library reader's, and adds one
 * test per case requiring both to give the same answer with the expected status. Returns the
 * direct reader's server, for tests of what it makes of a body.
 */
export function bothReadersAgree(start: { lean: () => Promise<Server>; full: () => Promise<Server> }, cases: BodyCase[]): () => Server {
  let lean: Server | undefined;
  let full: Server | undefined;
  before(async () => {
    lean = await start.lean();
    full = await start.full();
  });
  after(async () => {
    await Promise.all([lean, full].map((s) => new Promise<void>((resolve) => (s ? s.close(() => resolve()) : resolve()))));
  });
  for (const [name, { headers, chunks }, status] of cases) {
    it(`${name} → ${status}, the same answer from both readers`, async () => {
      const a = await rawPost(lean as Server, headers, chunks);
      const b = await rawPost(full as Server, headers, chunks);
      assert.deepEqual(a, b);
      assert.equal(a.status, status, a.body);
    });
  }
  return () => lean as Server;
}
