// A request body read directly, for the bodies @koa/bodyparser would read the plain way: a
// Content-Length within the limit, no Content-Encoding, nothing read yet. The JSON (spec) and
// form (oidc) readers use it and send every other body through @koa/bodyparser.
import type { IncomingMessage } from 'node:http';
import type { Context } from 'koa';

/** The body's length if it can be read directly (a POST with a Content-Length ≤ `limit`, no encoding, unread), else undefined. */
export function plainLength(ctx: Context, limit: number): number | undefined {
  const { req } = ctx;
  const { headers } = req;
  const declared = headers['content-length'];
  const length = Number(declared);
  const plain =
    ctx.method === 'POST' &&
    declared !== undefined &&
    Number.isInteger(length) &&
    length <= limit &&
    (headers['content-encoding'] === undefined || headers['content-encoding'] === 'identity') &&
    headers['transfer-encoding'] === undefined &&
    ctx.request.body === undefined &&
    !req.closed &&
    req.readable &&
    !req.readableEncoding;
  return plain ? length : undefined;
}

/**
 * The body of a request that Node's parser delimits by its Content-Length, as raw-body reads
 * it: all of it, or `fail()` if the client leaves first. Decoded as UTF-8 without a BOM, as
 * iconv-lite decodes it for co-body.
 */
export function readPlain(req: IncomingMessage, length: number, fail: () => Error): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const cleanup = () => {
      req.off('aborted', onAborted);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', cleanup);
    };
    const onAborted = () => {
      cleanup();
      reject(fail());
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      // raw-body: a body shorter or longer than its Content-Length is refused.
      if (received !== length) reject(fail());
      else {
        const text = (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, received)).toString('utf8');
        resolve(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
      }
    };
    const onError = () => {
      cleanup();
      reject(fail());
    };
    req.on('aborted', onAborted);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', cleanup);
  });
}
