import type { Context, Next } from 'koa';

/** RFC 6749 §5.1: token responses, and errors too, must not be cached. */
export async function noStore(ctx: Context, next: Next) {
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Pragma', 'no-cache');
  await next();
}
