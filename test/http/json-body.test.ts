// The spec profile reads a plain JSON body (a Content-Length, no Content-Encoding) directly, and
// any other through @koa/bodyparser. Body for body, both readers must give the same answer:
// the same parsed value and text, or the same status and error envelope.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import Koa from 'koa';
import { errorHandler } from '../../src/http/middleware/error-handler.js';
import { jsonReader, type JsonReader } from '../../src/http/profiles/json-body.js';
import { specProfile } from '../../src/http/profiles/spec.js';
import { bothReadersAgree, rawPost, serveKoa, type BodyCase } from '../helpers/raw-post.js';

const LIMIT = 64;

function serve(reader: JsonReader): Promise<Server> {
  const app = new Koa();
  app.use(errorHandler(specProfile(LIMIT)));
  app.use(async (ctx) => {
    await reader(ctx);
    ctx.body = { body: ctx.request.body, raw: ctx.request.rawBody ?? null };
  });
  return serveKoa(app);
}

const JSON_TYPE = { 'content-type': 'application/json' };
const plain = (text: string | Buffer, headers: Record<string, string> = JSON_TYPE) => {
  const body = typeof text === 'string' ? Buffer.from(text) : text;
  return { headers: { ...headers, 'content-length': String(body.length) }, chunks: [body] };
};

const CASES: BodyCase[] = [
  ['an object', plain('{"grant_type":"authorization_code","n":1}'), 200],
  ['leading whitespace', plain(' \t\r\n{"a":1}'), 200],
  ['a UTF-8 BOM', plain(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":"é"}')])), 200],
  ['multi-byte characters', plain('{"name":"Zoë 日本 🎉"}'), 200],
  ['invalid UTF-8 bytes', plain(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x22, 0x7d])), 200],
  ['an array', plain('[1,{"a":2}]'), 200],
  ['an empty body', plain(''), 200],
  ['a string', plain('"x"'), 400],
  ['a number', plain('42'), 400],
  ['null', plain('null'), 400],
  ['whitespace only', plain('   '), 400],
  ['malformed JSON', plain('{"a":'), 400],
  ['a __proto__ key', plain('{"__proto__":{"admin":true}}'), 400],
  ['an escaped __proto__ key', plain('{"\\u005f_proto\\u005F_" : 1}'), 400],
  ['a nested __proto__ key', plain('{"a":[{"b":{"__proto__":1}}]}'), 400],
  ['__proto__ as a value', plain('{"a":"__proto__"}'), 200],
  ['a charset parameter', plain('{"a":1}', { 'content-type': 'application/json; charset=utf-8' }), 200],
  ['a latin-1 charset (still read as UTF-8)', plain('{"a":"é"}', { 'content-type': 'application/json; charset=iso-8859-1' }), 200],
  ['exactly the limit', plain(`{"a":"${'x'.repeat(LIMIT - 8)}"}`), 200],
  ['over the limit', plain(`{"a":"${'x'.repeat(LIMIT)}"}`), 413],
  ['identity encoding', plain('{"a":1}', { ...JSON_TYPE, 'content-encoding': 'identity' }), 200],
  ['gzip encoding', plain(gzipSync('{"a":1}'), { ...JSON_TYPE, 'content-encoding': 'gzip' }), 200],
  ['an unknown encoding', plain('{"a":1}', { ...JSON_TYPE, 'content-encoding': 'zstd-ish' }), 400],
  ['chunked, split inside a character', { headers: JSON_TYPE, chunks: [Buffer.from('{"a":"\xc3', 'latin1'), Buffer.from('\xa9"}', 'latin1')] }, 200],
  ['chunked, over the limit', { headers: JSON_TYPE, chunks: [Buffer.from(`{"a":"${'x'.repeat(LIMIT)}`), Buffer.from('"}')] }, 413],
];

describe('JSON request bodies: the direct read answers as @koa/bodyparser does', () => {
  const lean = bothReadersAgree({ lean: () => serve(jsonReader(LIMIT)), full: () => serve(jsonReader(LIMIT, { lean: false })) }, CASES);

  it('the parsed body and its text are what JSON.parse makes of the text', async () => {
    const { headers, chunks } = plain('{"a":[1,"é"]}');
    const answer = await rawPost(lean(), headers, chunks);
    assert.deepEqual(JSON.parse(answer.body), { body: { a: [1, 'é'] }, raw: '{"a":[1,"é"]}' });
  });
});
