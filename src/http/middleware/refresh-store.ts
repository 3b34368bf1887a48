import type { Context, Next } from 'koa';

/**
 * For a store shared over the network (Redis), whose read() is a local mirror: brings it up
 * to date before the request reads it, so whatever any replica or terminal command committed
 * before this request began is seen (a revocation on replica B, a user added from the CLI).
 * Inside the error handler: Redis down becomes a 503 `temporarily_unavailable` in the profile.
 */
export function refreshStore(refresh: () => Promise<void>) {
  return async function refreshStoreFirst(_ctx: Context, next: Next) {
    await refresh();
    await next();
  };
}
