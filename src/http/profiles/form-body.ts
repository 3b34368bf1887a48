import { bodyParser } from '@koa/bodyparser';
import type { Context, Next } from 'koa';
import { InvalidRequest, PayloadTooLarge } from '../../errors.js';
import { parseQuery } from '../params.js';
import { plainLength, readPlain } from './plain-body.js';
import type { Params } from './profile.js';

export const FORM_TYPE = 'application/x-www-form-urlencoded';

type Reader = ReturnType<typeof bodyParser>;

// The Content-Types a form is read directly under; others (other spellings, parameters) go through @koa/bodyparser.
const PLAIN_FORM_TYPES = new Set([
  FORM_TYPE,
  `${FORM_TYPE};charset=UTF-8`,
  `${FORM_TYPE}; charset=UTF-8`,
  `${FORM_TYPE};charset=utf-8`,
  `${FORM_TYPE}; charset=utf-8`,
]);

/**
 * Reads a form body as text (size limit and charset by the same parser the spec profile uses).
 * A plain body (src/http/profiles/plain-body.ts) of a plain form type is read directly, as
 * co-body reads it; `lean: false` sends every body through @koa/bodyparser (the tests compare).
 */
export function formReader(bodyLimit: number, options: { lean?: boolean } = {}): Reader {
  const unreadable = () => new InvalidRequest('the request body could not be read as UTF-8 form data');
  const full = bodyParser({
    enableTypes: ['text'],
    extendTypes: { text: [FORM_TYPE] },
    textLimit: bodyLimit,
    onError: (error: Error & { status?: number }) => {
      if (error.status === 413) throw new PayloadTooLarge(`the request body is larger than ${bodyLimit} bytes`);
      throw unreadable();
    },
  });
  if (options.lean === false) return full;
  return async (ctx, next) => {
    const type = ctx.req.headers['content-type'];
    const length = type !== undefined && PLAIN_FORM_TYPES.has(type) ? plainLength(ctx, bodyLimit) : undefined;
    if (length === undefined) {
      await full(ctx, next);
      return;
    }
    const text = await readPlain(ctx.req, length, unreadable);
    ctx.request.body = text;
    ctx.request.rawBody = text;
    await next();
  };
}

/**
 * A strict `application/x-www-form-urlencoded` body decoder (RFC 6749 §3.2, Appendix B) into
 * `ctx.state.params`. Any other content type is refused with the type to use.
 */
export function formBody(bodyLimit: number) {
  const read = formReader(bodyLimit);
  return async function decodeForm(ctx: Context, next: Next) {
    ctx.state.params = await readForm(ctx, read, bodyLimit, true);
    await next();
  };
}

/**
 * The form body's parameters. The text is split by the strict query parser: a repeated name
 * becomes an array (so the core can refuse it), malformed percent-encoding is a 400, and
 * `a[b]=c` stays a plain name (no nested objects, unlike `qs`). With `required` false, a
 * request without a body yields no parameters (a userinfo POST may carry its token in the header).
 */
export async function readForm(ctx: Context, read: Reader, bodyLimit: number, required: boolean): Promise<Params> {
  // The size check comes first, so an oversized body is 413 whatever its type.
  const length = Number(ctx.get('content-length'));
  if (length > bodyLimit) throw new PayloadTooLarge(`the request body is larger than ${bodyLimit} bytes`);
  if (!ctx.is(FORM_TYPE)) {
    if (!required && !ctx.get('content-type') && !(length > 0) && ctx.get('transfer-encoding') === '') return Object.create(null) as Params;
    const sent = ctx.get('content-type') ? `Content-Type ${ctx.get('content-type')}` : 'a body without Content-Type';
    throw new InvalidRequest(`this endpoint accepts ${FORM_TYPE} request bodies only (RFC 6749 §3.2), not ${sent}; send Content-Type: ${FORM_TYPE}`);
  }
  await read(ctx, async () => {});
  const text: unknown = ctx.request.body;
  try {
    return parseQuery(typeof text === 'string' ? text : '');
  } catch (error) {
    if (error instanceof InvalidRequest) throw new InvalidRequest('the request body holds malformed percent-encoding');
    throw error;
  }
}
