import { bodyParser } from '@koa/bodyparser';
import type { Context, Next } from 'koa';
import { InvalidRequest, PayloadTooLarge } from '../../errors.js';
import type { Profile, Success } from './profile.js';

/**
 * The seed's API: JSON request bodies and the `ApiResponse` envelope
 * (`{success, data?, message?, error?: {code, message}}`).
 */
export function specProfile(bodyLimit: number): Profile {
  const parse = bodyParser({
    enableTypes: ['json'],
    jsonLimit: bodyLimit,
    // co-body's strict mode refuses top-level scalars; bourne refuses `__proto__` keys.
    jsonStrict: true,
    onError: (error: Error & { status?: number; type?: string }) => {
      if (error.status === 413) throw new PayloadTooLarge(`the request body is larger than ${bodyLimit} bytes`);
      throw new InvalidRequest('the request body is not valid JSON (or holds a __proto__ key)');
    },
  });

  return {
    name: 'spec',

    async decodeBody(ctx: Context, next: Next) {
      // The size check comes first, so an oversized body is 413 whatever its type.
      const length = Number(ctx.get('content-length'));
      if (length > bodyLimit) throw new PayloadTooLarge(`the request body is larger than ${bodyLimit} bytes`);
      if (!ctx.is('application/json')) {
        throw new InvalidRequest('this API accepts application/json request bodies only; send Content-Type: application/json');
      }
      await parse(ctx, async () => {});
      const body: unknown = ctx.request.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new InvalidRequest('the request body must be a JSON object');
      }
      ctx.state.params = body;
      await next();
    },

    success(ctx: Context, result: Success) {
      ctx.status = 200;
      ctx.body = { success: true, ...(result.data ? { data: result.data } : {}), ...(result.message ? { message: result.message } : {}) };
    },

    error(ctx, error) {
      ctx.status = error.status;
      ctx.body = { success: false, error: { code: error.code, message: error.message } };
    },
  };
}
