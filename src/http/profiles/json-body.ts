// The spec profile's JSON request body. @koa/bodyparser (co-body, raw-body, inflation,
// iconv-lite, bourne) reads every body; most are plain (a Content-Length, no Content-Encoding),
// and for those a direct read gives the same result for a fraction of the cost: the token
// endpoint is half of every round trip. test/http/json-body.test.ts holds both readers to the
// same answers, body for body.
import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import { InvalidRequest, PayloadTooLarge } from '../../errors.js';
import { plainLength, readPlain } from './plain-body.js';

/** Reads the JSON body into `ctx.request.body` (and the text into `ctx.request.rawBody`), or throws an OAuthError. */
export type JsonReader = (ctx: Context) => Promise<void>;

// co-body's strict mode: a body must open with an object or an array (RFC 7159 whitespace first).
const STRICT_JSON = /^[\x20\x09\x0a\x0d]*(\[|\{)/;
// bourne's test for a `__proto__` key, escaped or not; only then is the parsed value scanned.
const SUSPECT_PROTO =
  /"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"\s*:/;

const tooLarge = (limit: number) => new PayloadTooLarge(`the request body is larger than ${limit} bytes`);
const notJson = () => new InvalidRequest('the request body is not valid JSON (or holds a __proto__ key)');

/** True if any object in the parsed value has an own `__proto__` key (which JSON.parse creates). */
function holdsProto(value: unknown): boolean {
  let next: unknown[] = [value];
  while (next.length > 0) {
    const nodes = next;
    next = [];
    for (const node of nodes) {
      if (Object.hasOwn(node as object, '__proto__')) return true;
      for (const child of Object.values(node as object)) if (child !== null && typeof child === 'object') next.push(child);
    }
  }
  return false;
}

/** What co-body's strict JSON parse (with bourne refusing `__proto__`) makes of the text, or throws. */
export function parseStrictJson(text: string): unknown {
  if (text === '') return {};
  if (!STRICT_JSON.test(text)) throw notJson();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw notJson();
  }
  if (SUSPECT_PROTO.test(text) && holdsProto(parsed)) throw notJson();
  return parsed;
}

/**
 * The reader for bodies of at most `limit` bytes. `lean: false` sends every body through
 * @koa/bodyparser (the tests compare the two).
 */
export function jsonReader(limit: number, options: { lean?: boolean } = {}): JsonReader {
  const parse = bodyParser({
    enableTypes: ['json'],
    jsonLimit: limit,
    // co-body's strict mode refuses top-level scalars; bourne refuses `__proto__` keys.
    jsonStrict: true,
    onError: (error: Error & { status?: number; type?: string }) => {
      if (error.status === 413) throw tooLarge(limit);
      throw notJson();
    },
  });
  const full: JsonReader = (ctx) => parse(ctx, async () => {}) as Promise<void>;
  if (options.lean === false) return full;
  return async (ctx) => {
    const length = plainLength(ctx, limit);
    // Anything else (a chunked or encoded body, a closed request, a body already read) goes the full way.
    if (length === undefined) return full(ctx);
    const text = await readPlain(ctx.req, length, notJson);
    ctx.request.body = parseStrictJson(text);
    ctx.request.rawBody = text;
  };
}
