import type { Context } from 'koa';
import { InvalidRequest, PayloadTooLarge } from '../../errors.js';
import { bearerToken } from '../bearer.js';
import { parseQuery } from '../params.js';
import { jsonReader } from './json-body.js';
import type { Profile } from './profile.js';

interface Success {
  data?: object;
  message?: string;
}

/** Appends parameters without re-encoding the registered URI's own query (RFC 6749 §3.1.2). */
export function withQuery(uri: string, params: Record<string, string | undefined>): string {
  const query = Object.entries(params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return `${uri}${uri.includes('?') ? '&' : '?'}${query}`;
}

/** RFC 6749 §4.1.2.1: error_description is limited to %x20-21 / %x23-5B / %x5D-7E. */
export function asDescription(message: string): string {
  // \u00a7 is the section sign, escaped because the bundles must stay ASCII (scripts/bundle-cli.mjs).
  return message.replace(/\u00a7/g, 'section ').replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '?');
}

/**
 * The seed's API: JSON request bodies and the `ApiResponse` envelope
 * (`{success, data?, message?, error?: {code, message}}`).
 */
export function specProfile(bodyLimit: number): Profile {
  const readJson = jsonReader(bodyLimit);

  function success(ctx: Context, result: Success) {
    ctx.status = 200;
    ctx.body = { success: true, ...(result.data ? { data: result.data } : {}), ...(result.message ? { message: result.message } : {}) };
  }

  return {
    name: 'spec',

    async decodeBody(ctx) {
      // The size check comes first, so an oversized body is 413 whatever its type.
      const length = Number(ctx.get('content-length'));
      if (length > bodyLimit) throw new PayloadTooLarge(`the request body is larger than ${bodyLimit} bytes`);
      if (!ctx.is('application/json')) {
        throw new InvalidRequest('this API accepts application/json request bodies only; send Content-Type: application/json');
      }
      await readJson(ctx);
      const body: unknown = ctx.request.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new InvalidRequest('the request body must be a JSON object');
      }
      return body as Record<string, unknown>;
    },

    decodeQuery: (ctx) => parseQuery(ctx.querystring),

    accessToken: async (ctx, what) => bearerToken(ctx, what),

    token: (ctx, response) => success(ctx, { data: response }),
    revoked: (ctx) => success(ctx, { message: 'Token revoked' }),
    userinfo: (ctx, claims) => success(ctx, { data: claims }),
    // The seed's API has no introspection endpoint; this shape is here for completeness only.
    introspection: (ctx, answer) => success(ctx, { data: answer }),

    error(ctx, error) {
      ctx.status = error.status;
      ctx.body = { success: false, error: { code: error.code, message: error.message } };
    },

    authorizeSuccess(ctx, target, { code, iss }) {
      const location = withQuery(target.redirectUri, { code, state: target.state, iss });
      ctx.redirect(location);
      return location;
    },

    authorizeError(ctx, target, error, iss) {
      ctx.redirect(withQuery(target.redirectUri, { error: error.code, error_description: asDescription(error.message), state: target.state, iss }));
    },
  };
}
