// The oidc profile reads a plain form body (a Content-Length, no Content-Encoding, a plain form
// Content-Type) directly, and any other through @koa/bodyparser. Body for body, both readers
// must give the same answer: the same parameters and text, or the same status and error.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import Koa from 'koa';
import { errorHandler } from '../../src/http/middleware/error-handler.js';
import { FORM_TYPE, formReader, readForm } from '../../src/http/profiles/form-body.js';
import { oidcProfile } from '../../src/http/profiles/oidc.js';
import { bothReadersAgree, rawPost, serveKoa, type BodyCase } from '../helpers/raw-post.js';

const LIMIT = 64;

function serve(lean: boolean): Promise<Server> {
  const read = formReader(LIMIT, { lean });
  const app = new Koa();
  app.use(errorHandler(oidcProfile(LIMIT)));
  app.use(async (ctx) => {
    const params = await readForm(ctx, read, LIMIT, true);
    ctx.body = { params: { ...params }, raw: ctx.request.rawBody ?? null };
  });
  return serveKoa(app);
}

const plain = (text: string | Buffer, type = FORM_TYPE, extra: Record<string, string> = {}) => {
  const body = typeof text === 'string' ? Buffer.from(text) : text;
  return { headers: { 'content-type': type, 'content-length': String(body.length), ...extra }, chunks: [body] };
};

const CASES: BodyCase[] = [
  ['a form', plain('grant_type=authorization_code&code=a%2Fb&scope=openid+email'), 200],
  ['a repeated name', plain('a=1&a=2&b=+x+'), 200],
  ['a charset=UTF-8 parameter', plain('a=1', `${FORM_TYPE};charset=UTF-8`), 200],
  ['a "; charset=utf-8" parameter', plain('a=%C3%A9', `${FORM_TYPE}; charset=utf-8`), 200],
  ['a latin-1 charset (still read as UTF-8)', plain('a=é', `${FORM_TYPE}; charset=iso-8859-1`), 200],
  ['another spelling of the type', plain('a=1', 'Application/X-WWW-Form-Urlencoded'), 200],
  ['a UTF-8 BOM', plain(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a=1')])), 200],
  ['raw multi-byte characters', plain('name=Zoë 日本'), 200],
  ['invalid UTF-8 bytes', plain(Buffer.from([0x61, 0x3d, 0xff, 0xfe, 0xc3])), 200],
  ['malformed percent-encoding', plain('a=%zz'), 400],
  ['an empty body', plain(''), 200],
  ['exactly the limit', plain(`a=${'x'.repeat(LIMIT - 2)}`), 200],
  ['over the limit', plain(`a=${'x'.repeat(LIMIT)}`), 413],
  ['JSON', plain('{"a":1}', 'application/json'), 400],
  ['identity encoding', plain('a=1', FORM_TYPE, { 'content-encoding': 'identity' }), 200],
  ['gzip encoding', plain(gzipSync('a=1'), FORM_TYPE, { 'content-encoding': 'gzip' }), 200],
  ['an unknown encoding', plain('a=1', FORM_TYPE, { 'content-encoding': 'zstd-ish' }), 400],
  [
    'chunked, split inside a character',
    { headers: { 'content-type': FORM_TYPE }, chunks: [Buffer.from('a=\xc3', 'latin1'), Buffer.from('\xa9', 'latin1')] },
    200,
  ],
  ['chunked, over the limit', { headers: { 'content-type': FORM_TYPE }, chunks: [Buffer.from(`a=${'x'.repeat(LIMIT)}`), Buffer.from('y')] }, 413],
];

describe('form request bodies: the direct read answers as @koa/bodyparser does', () => {
  const lean = bothReadersAgree({ lean: () => serve(true), full: () => serve(false) }, CASES);

  it('the parameters and text are what the strict query parser makes of the body', async () => {
    const { headers, chunks } = plain('a=1&a=2&b=%C3%A9');
    const answer = await rawPost(lean(), headers, chunks);
    assert.deepEqual(JSON.parse(answer.body), { params: { a: ['1', '2'], b: 'é' }, raw: 'a=1&a=2&b=%C3%A9' });
  });
});
