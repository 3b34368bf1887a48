import type { Context, Next } from 'koa';
import { InvalidRequest, OAuthError, PayloadTooLarge, ServerError } from '../../errors.js';
import type { Profile } from '../profiles/profile.js';
import { errorResponder } from '../request-state.js';

interface HttpishError {
  status?: unknown;
  expose?: unknown;
}

/** Maps what Koa and its parsers throw (http-errors) onto OAuth errors. */
function toOAuthError(error: unknown): OAuthError {
  if (error instanceof OAuthError) return error;
  const status = (error as HttpishError | null)?.status;
  if (status === 413) return new PayloadTooLarge('the request is too large');
  if (typeof status === 'number' && status >= 400 && status < 500) return new InvalidRequest('the request could not be read');
  return new ServerError(undefined, { cause: error });
}

/**
 * First in the chain: every error becomes the active profile's error body, or — at
 * authorize, once the client and redirect_uri are trusted — a redirect (RFC 6749 §4.1.2.1).
 * Unexpected faults are logged and answered with a generic 500, never a stack trace.
 */
export function errorHandler(profile: Profile) {
  return async function handleErrors(ctx: Context, next: Next) {
    try {
      await next();
    } catch (caught) {
      const error = toOAuthError(caught);
      // A 503 is an outage the store reports once itself, and an exposed 5xx (an injected fault)
      // is meant for the client: neither is a fault to log per request.
      if (error.status >= 500 && error.status !== 503 && !error.expose) ctx.app.emit('error', error.cause ?? caught, ctx);
      const exposed = error.expose ? error : new ServerError();
      const respond = errorResponder(ctx);
      if (respond && exposed.status === 400) {
        respond(exposed);
        return;
      }
      // No error answer is worth caching; token and revoke errors must not be (RFC 6749 §5.2).
      ctx.set('Cache-Control', 'no-store');
      ctx.set('Pragma', 'no-cache');
      for (const [name, value] of Object.entries(exposed.headers)) ctx.set(name, value);
      profile.error(ctx, exposed);
    }
  };
}
