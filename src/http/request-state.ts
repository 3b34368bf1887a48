import type { Context } from 'koa';
import type { OAuthError } from '../errors.js';

// Koa's ctx.state is `any`. Values travel as arguments instead; the one thing an action tells
// the error handler (first in the chain, so outside the action) is kept here, typed.
type ErrorResponder = (error: OAuthError) => void;
const responders = new WeakMap<Context, ErrorResponder>();

/** From now on, a 400 error in this request is answered by `respond` (authorize's redirect, RFC 6749 §4.1.2.1). */
export function respondToErrorsWith(ctx: Context, respond: ErrorResponder): void {
  responders.set(ctx, respond);
}

export function errorResponder(ctx: Context): ErrorResponder | undefined {
  return responders.get(ctx);
}
