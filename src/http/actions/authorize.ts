import type { Context, Next } from 'koa';
import { epochSeconds } from '../../core/clock.js';
import { findClient, findUser, isDenied } from '../../core/lookup.js';
import { isChallengeMethod, isValidPkceValue } from '../../core/pkce.js';
import { digestKey, randomToken } from '../../core/random.js';
import { isSubset, parseScope } from '../../core/scope.js';
import type { Client, CodeRecord, User } from '../../core/types.js';
import { Events } from '../../events.js';
import { InvalidClient, InvalidRequest, InvalidScope, InvalidTarget, InvalidToken, UnsupportedResponseType, type OAuthError } from '../../errors.js';
import { bearerToken } from '../bearer.js';
import type { AppContext } from '../app-context.js';
import { noStore } from '../middleware/no-store.js';
import { optionalString, parseQuery, resourceList } from '../params.js';
import { checkResources } from '../../core/resources.js';

interface AuthorizeState {
  params: Record<string, unknown>;
  user: User;
  authTime: number;
  client: Client;
  redirectUri: string;
  state?: string;
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
  return message.replace(/§/g, 'section ').replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '?');
}

export function authorizeAction(app: AppContext) {
  const s = (ctx: Context) => ctx.state as AuthorizeState;

  // Rule 1: the end user's bearer token is checked before anything else.
  async function checkUserToken(ctx: Context, next: Next) {
    const token = bearerToken(ctx, 'end-user token (oauth-mock tokens mint --user ID)');
    const data = app.store.read();
    const claims = app.tokens.verify(data, token, 'user');
    // Rule 12: a revoked jti is refused like any other bad token.
    if (typeof claims.jti === 'string' && isDenied(data, claims.jti)) throw new InvalidToken('the user token has been revoked');
    const user = findUser(data, claims.sub);
    if (!user) throw new InvalidToken(`the user token names user ${claims.sub}, who no longer exists`);
    s(ctx).user = user;
    s(ctx).authTime = typeof claims.auth_time === 'number' ? claims.auth_time : claims.iat;
    s(ctx).params = parseQuery(ctx.querystring);
    await next();
  }

  // Until client_id and redirect_uri are trusted, errors are shown here, never redirected (RFC 6749 §4.1.2.1).
  async function checkClientAndRedirectUri(ctx: Context, next: Next) {
    const { params } = s(ctx);
    const clientId = optionalString(params, 'client_id');
    if (clientId === undefined) throw new InvalidClient('client_id is required');
    const client = findClient(app.store.read(), clientId);
    if (!client) throw new InvalidClient(`unknown client_id ${JSON.stringify(clientId)}; register it with: oauth-mock clients add`);
    const redirectUri = optionalString(params, 'redirect_uri');
    if (redirectUri === undefined) throw new InvalidRequest('redirect_uri is required');
    // RFC 9700 §4.1.3: exact string comparison, no normalisation.
    if (!client.redirect_uris.includes(redirectUri)) {
      throw new InvalidRequest(`redirect_uri is not registered for client ${client.id}; registered: ${client.redirect_uris.join(', ')}`);
    }
    Object.assign(s(ctx), { client, redirectUri });
    const rawState = params.state;
    const state = typeof rawState === 'string' && rawState !== '' ? rawState : undefined;
    s(ctx).state = state;
    ctx.state.errorRedirect = (error: OAuthError) =>
      withQuery(redirectUri, { error: error.code, error_description: asDescription(error.message), state, iss: app.config.issuer });
    await next();
  }

  async function validateRequest(ctx: Context, next: Next) {
    const { params, client } = s(ctx);
    // Rule 6: a repeated parameter is ambiguous; only `resource` may repeat (RFC 8707 §2).
    for (const [name, value] of Object.entries(params)) {
      if (Array.isArray(value) && name !== 'resource') throw new InvalidRequest(`${name} was given more than once`);
    }
    const responseType = optionalString(params, 'response_type');
    if (responseType === undefined) throw new InvalidRequest('response_type is required (use code)');
    if (responseType !== 'code') throw new UnsupportedResponseType('only response_type=code is supported');

    const requested = optionalString(params, 'scope');
    const scope = requested === undefined ? (client.default_scopes ?? client.scopes) : parseScope(requested);
    // RFC 6749 §3.3: scope is one or more tokens; a value of only spaces names none.
    if (requested !== undefined && scope.length === 0) throw new InvalidScope('scope names no scope; omit it to get the client\'s defaults');
    const outside = scope.filter((x) => !client.scopes.includes(x));
    if (!isSubset(scope, client.scopes)) throw new InvalidScope(`scope ${outside.join(' ')} is not allowed for client ${client.id}; allowed: ${client.scopes.join(' ')}`);

    const challenge = optionalString(params, 'code_challenge');
    const method = optionalString(params, 'code_challenge_method');
    if (challenge === undefined) {
      if (client.public) throw new InvalidRequest(`client ${client.id} is public and must use PKCE: send code_challenge (RFC 9700 §2.1.1)`);
      if (method !== undefined) throw new InvalidRequest('code_challenge_method was sent without code_challenge');
    } else {
      if (!isValidPkceValue(challenge)) throw new InvalidRequest('code_challenge must be 43-128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.2)');
      if (method !== undefined && !isChallengeMethod(method)) throw new InvalidRequest('code_challenge_method must be S256 or plain (RFC 7636 §4.3)');
    }
    const resource = checkResources(client, resourceList(params), (m) => new InvalidTarget(m));
    const code: CodeRecord = {
      client_id: client.id,
      redirect_uri: s(ctx).redirectUri,
      user_id: s(ctx).user.id,
      scope,
      resource,
      auth_time: s(ctx).authTime,
      expires_at: epochSeconds(app.clock) + app.config.ttl.code,
      ...(challenge !== undefined ? { code_challenge: challenge, code_challenge_method: method === 'S256' ? 'S256' : 'plain' } : {}),
      ...(params.nonce !== undefined ? { nonce: optionalString(params, 'nonce') } : {}),
    };
    ctx.state.code = code;
    await next();
  }

  async function issueCode(ctx: Context) {
    const record = ctx.state.code as CodeRecord;
    const code = randomToken(32);
    await app.store.update((tx) => tx.put('codes', digestKey(code), record));
    const location = withQuery(s(ctx).redirectUri, { code, state: s(ctx).state, iss: app.config.issuer });
    ctx.app.emit(Events.authorizeRedirect, { clientId: record.client_id, userId: record.user_id, scope: record.scope, location });
    ctx.redirect(location);
  }

  return [noStore, checkUserToken, checkClientAndRedirectUri, validateRequest, issueCode];
}
