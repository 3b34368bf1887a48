// What Node's HTTP parser sees before Koa does, on a real port: over-long headers get the
// profile's error body (not a bare 431), and an aborted upload is not logged as a server fault.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { listen, type RunningServer } from '../../src/server.js';
import { loadFixtures } from '../../src/store/fixtures.js';
import { createMemoryStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';

/** Writes raw bytes; resolves with everything the server sent once it closes. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('close', () => resolve(data));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve(data) : reject(error)));
    socket.write(bytes);
  });
}

describe('errors from the HTTP parser and aborted requests (real port)', () => {
  let store: Store;
  let server: RunningServer;
  const errors: unknown[] = [];
  const logged: string[] = [];
  before(async () => {
    store = createMemoryStore(loadFixtures());
    server = await listen({
      store,
      port: 0,
      host: '127.0.0.1',
      onError: (error) => errors.push(error),
      log: ({ method, path, status }) => logged.push(`${method} ${path} ${status}`),
    });
  });
  after(async () => {
    await server.close();
    await store.close();
  });

  for (const [name, request] of [
    ['headers', `GET /.well-known/openid-configuration HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\nConnection: close\r\n\r\n`],
    ['a URL', `GET /oauth/authorize?state=${'a'.repeat(20 * 1024)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`],
  ] as const) {
    it(`answers ${name} over Node's 16 KiB limit with 431 and the envelope`, async () => {
      const answer = await raw(server.port, request);
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      assert.match(head, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
      assert.match(head, /\r\nContent-Type: application\/json; charset=utf-8\r\n/);
      assert.match(head, /\r\nCache-Control: no-store\r\n/);
      const parsed = JSON.parse(body) as Record<string, unknown>;
      assert.deepEqual(parsed, {
        success: false,
        error: {
          code: 'invalid_request',
          message: 'the request line and headers are over 16 KiB; send a shorter URL (fewer or shorter parameters) or fewer headers',
        },
      });
    });
  }

  it('answers malformed HTTP with 400 and the envelope', async () => {
    const answer = await raw(server.port, 'GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.deepEqual(JSON.parse(answer.split('\r\n\r\n')[1] ?? ''), {
      success: false,
      error: { code: 'invalid_request', message: 'the request is not valid HTTP/1.1' },
    });
  });

  it('does not report an aborted upload as a server error', async () => {
    errors.length = 0;
    const closed = new Promise<void>((resolve) => server.http.once('connection', (socket: Socket) => socket.once('close', () => resolve())));
    const socket = connect(server.port, '127.0.0.1', () => {
      socket.write('POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"grant');
      // Let the server start reading the body, then hang up half way.
      setTimeout(() => socket.end(), 50);
    });
    socket.on('error', () => {});
    await closed;
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(errors, []);
    // And the server still answers.
    assert.equal((await fetch(`${server.url}/.well-known/jwks.json`)).status, 200);
  });
});
