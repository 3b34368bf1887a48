import type { Context, Next } from 'koa';

export type RequestLogger = (entry: { method: string; path: string; status: number; ms: number }) => void;

/** One line per request, after it is answered (the logger decides format and colour). */
export function requestLog(log: RequestLogger) {
  return async function logRequest(ctx: Context, next: Next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      log({ method: ctx.method, path: ctx.path, status: ctx.status, ms: performance.now() - started });
    }
  };
}
