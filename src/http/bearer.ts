import type { Context } from 'koa';
import { InvalidRequest, InvalidToken, MissingBearer } from '../errors.js';
import { queryHas } from './params.js';

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The bearer token from the Authorization header, the only place this API reads it.
 * No header or another scheme → 401 with a bare challenge (RFC 6750 §3: no error code
 * when the request carried no credentials); a malformed value → 401 invalid_token.
 */
export function bearerToken(ctx: Context, what: string): string {
  if (queryHas(ctx, 'access_token')) {
    throw new InvalidRequest(`send the ${what} in the Authorization header, not the query string (RFC 6750 §2.3 is not supported)`);
  }
  const header = ctx.get('authorization');
  const match = /^bearer(?: +(.*))?$/i.exec(header.trim());
  if (!match) throw new MissingBearer(`send the ${what} as Authorization: Bearer <token>`);
  const token = match[1]?.trim() ?? '';
  if (!B64TOKEN.test(token)) throw new InvalidToken(`the Authorization header does not hold a well-formed bearer token`);
  return token;
}
