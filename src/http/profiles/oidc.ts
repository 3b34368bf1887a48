import type { Context } from 'koa';
import { InvalidRequest, InvalidToken, MissingBearer, type OAuthError } from '../../errors.js';
import { queryHas } from '../params.js';
import { formReader, readForm } from './form-body.js';
import { authorizeError, authorizeSuccess, decodeAuthorizeParams } from './authorize-response.js';
import type { Profile } from './profile.js';
import { asDescription } from './spec.js';

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const BEARER_REALM = 'Bearer realm="oauth-mock"';

/** RFC 6750 §3.1: a malformed bearer request names `invalid_request` in the challenge too. */
function bearerInvalidRequest(message: string): InvalidRequest {
  return new InvalidRequest(message, { headers: { 'WWW-Authenticate': `${BEARER_REALM}, error="invalid_request"` } });
}

/**
 * Standard OAuth 2.0 / OpenID Connect on the wire: form-encoded request bodies (RFC 6749
 * §3.2), flat success bodies (§5.1) and `{error, error_description}` errors (§5.2), so that
 * certified client libraries work unchanged. The rules behind it are the core's, as in spec.
 */
export function oidcProfile(bodyLimit: number): Profile {
  const read = formReader(bodyLimit);

  function json(ctx: Context, body: object) {
    ctx.status = 200;
    ctx.body = body;
  }

  return {
    name: 'oidc',

    decodeBody: (ctx) => readForm(ctx, read, bodyLimit, true),

    // The query (GET) or the form read by readAuthorizeForm (POST); errors until the client is trusted are a page.
    decodeQuery: decodeAuthorizeParams,

    /**
     * RFC 6750 §2.1-2.2: the Authorization header, or (POST only) the `access_token` form
     * parameter; never both (§2: one method per request), never the query string (§2.3).
     */
    async accessToken(ctx, what) {
      if (queryHas(ctx, 'access_token')) {
        throw bearerInvalidRequest(`send the ${what} in the Authorization header or a form body, not the query string (RFC 6750 §2.3 is not supported)`);
      }
      const header = ctx.get('authorization');
      const body = ctx.method === 'POST' ? await readForm(ctx, read, bodyLimit, false) : undefined;
      const inBody = body !== undefined && Object.hasOwn(body, 'access_token') ? body.access_token : undefined;
      if (inBody !== undefined) {
        if (header !== '') throw bearerInvalidRequest(`send the ${what} in the Authorization header or the form body, not both (RFC 6750 §2)`);
        if (typeof inBody !== 'string') throw bearerInvalidRequest('access_token was given more than once');
        if (!B64TOKEN.test(inBody)) throw new InvalidToken('the access_token form parameter does not hold a well-formed bearer token');
        return inBody;
      }
      const match = /^bearer(?: +(.*))?$/i.exec(header.trim());
      if (!match)
        throw new MissingBearer(`send the ${what} as Authorization: Bearer <token>${ctx.method === 'POST' ? ' or as the access_token form parameter' : ''}`);
      const token = match[1]?.trim() ?? '';
      if (!B64TOKEN.test(token)) throw new InvalidToken('the Authorization header does not hold a well-formed bearer token');
      return token;
    },

    token: (ctx, response) => json(ctx, response),

    revoked(ctx) {
      // RFC 7009 §2.2: 200, and the client ignores the body: send none.
      ctx.body = null;
      ctx.status = 200;
    },

    userinfo: (ctx, claims) => json(ctx, claims),

    introspection: (ctx, answer) => json(ctx, answer),

    error(ctx, error: OAuthError) {
      ctx.status = error.status;
      // RFC 6749 §5.2 leaves `"` out of error_description: quoted names keep single quotes.
      ctx.body = { error: error.code, error_description: asDescription(error.message.replace(/"/g, "'")) };
    },

    // response_mode query, fragment or form_post, with iss (RFC 9207): see authorize-response.ts.
    authorizeSuccess,
    authorizeError,
  };
}
