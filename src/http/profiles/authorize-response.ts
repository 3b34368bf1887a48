// The oidc profile's authorization responses: the response_mode (OAuth 2.0 Multiple Response
// Type Encoding Practices §2.1, Form Post Response Mode §2), `iss` in every one (RFC 9207), and
// an HTML page for errors seen before client_id and redirect_uri are trusted (RFC 6749 §4.1.2.1).
import type { Context, Next } from 'koa';
import type { AuthorizeTarget } from '../../core/authorize.js';
import type { Params } from '../../core/params.js';
import { InvalidRequest, type OAuthError } from '../../errors.js';
import { errorPage } from '../pages/error-page.js';
import { formPostPage } from '../pages/form-post-page.js';
import { sendPage } from '../pages/page.js';
import { parseQuery } from '../params.js';
import { respondToErrorsWith } from '../request-state.js';
import { readForm, formReader } from './form-body.js';
import { asDescription, withQuery } from './spec.js';

export const RESPONSE_MODES = ['query', 'fragment', 'form_post'] as const;
export type ResponseMode = (typeof RESPONSE_MODES)[number];

const isResponseMode = (v: unknown): v is ResponseMode => (RESPONSE_MODES as readonly unknown[]).includes(v);

// Per request: the decoded authorization parameters (the response mode is read from them) and
// a POSTed form body, read before the action by `readAuthorizeForm`.
const decoded = new WeakMap<Context, Params>();
const posted = new WeakMap<Context, Params>();

/** Until the client is trusted, errors are an HTML page for the user, never a redirect. */
export function showErrorsAsPage(ctx: Context): void {
  respondToErrorsWith(ctx, (error) => sendPage(ctx, errorPage({ status: error.status, code: error.code, description: error.message })));
}

/** OIDC Core §3.1.2.1: authorize takes POST with a form body too; read here, decoded below. */
export function readAuthorizeForm(bodyLimit: number) {
  const read = formReader(bodyLimit);
  return async function readAuthorizeBody(ctx: Context, next: Next) {
    showErrorsAsPage(ctx);
    posted.set(ctx, await readForm(ctx, read, bodyLimit, true));
    await next();
  };
}

/** The authorization request's parameters, from the query (GET) or the form (POST). */
export function decodeAuthorizeParams(ctx: Context): Params {
  showErrorsAsPage(ctx);
  const params = posted.get(ctx) ?? parseQuery(ctx.querystring);
  decoded.set(ctx, params);
  return params;
}

/** Remembers parameters decoded elsewhere (the login form carries the original request). */
export function rememberAuthorizeParams(ctx: Context, params: Params): void {
  decoded.set(ctx, params);
}

/** `response_mode`: absent is query; an unknown value is refused (by query, the only safe mode then). */
export function checkResponseMode(params: Params): ResponseMode {
  const value = params.response_mode;
  if (value === undefined || value === '') return 'query';
  if (!isResponseMode(value)) throw new InvalidRequest(`response_mode must be one of ${RESPONSE_MODES.join(', ')}`);
  return value;
}

function responseModeOf(ctx: Context): ResponseMode {
  const value = decoded.get(ctx)?.response_mode;
  return isResponseMode(value) ? value : 'query';
}

/** Sends the authorization response in the request's response mode; returns where it goes. */
export function sendAuthorizationResponse(ctx: Context, redirectUri: string, params: Record<string, string | undefined>): string {
  const mode = responseModeOf(ctx);
  if (mode === 'form_post') {
    sendPage(ctx, formPostPage(redirectUri, params));
    return redirectUri;
  }
  const location = mode === 'fragment' ? withFragment(redirectUri, params) : withQuery(redirectUri, params);
  // After a POST (authorize by form, the login form) 303 makes the browser GET the client.
  ctx.status = ctx.method === 'POST' ? 303 : 302;
  ctx.redirect(location);
  return location;
}

function withFragment(uri: string, params: Record<string, string | undefined>): string {
  const fragment = Object.entries(params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return `${uri}#${fragment}`;
}

export function authorizeSuccess(ctx: Context, target: AuthorizeTarget, result: { code: string; iss: string }): string {
  return sendAuthorizationResponse(ctx, target.redirectUri, { code: result.code, state: target.state, iss: result.iss });
}

export function authorizeError(ctx: Context, target: AuthorizeTarget, error: OAuthError, iss: string): void {
  sendAuthorizationResponse(ctx, target.redirectUri, { error: error.code, error_description: asDescription(error.message), state: target.state, iss });
}
