// A Koa app on a real socket and a POST written chunk by chunk: the body-reader tests need
// headers and framing (chunked, Content-Length, gzip) that supertest would normalise.
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
