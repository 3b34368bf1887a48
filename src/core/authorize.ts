// The authorization endpoint's rules (RFC 6749 §4.1.1-4.1.2, RFC 7636 §4.3, RFC 8707 §2), with
// nothing of HTTP: the profile decodes the parameters and renders the answer, an authenticator
// (src/http/authenticators/) finds the end user, and these functions decide.
import { InvalidClient, InvalidRequest, InvalidScope, InvalidTarget, UnauthorizedClient, UnsupportedResponseType } from '../errors.js';
import { epochSeconds, type Clock } from './clock.js';
import { findClient } from './lookup.js';
import { optionalString, resourceList, type Params } from './params.js';
import { isChallengeMethod, isValidPkceValue } from './pkce.js';
import { digestKey, randomToken } from './random.js';
import { checkResources } from './resources.js';
import { isSubset, parseScope } from './scope.js';
import type { Store } from './store.js';
import type { Ttls } from './ttl.js';
import type { Client, CodeRecord, Data, LoginFacts, User } from './types.js';

/** The end user an authenticator found, and when they authenticated (epoch seconds; OIDC Core §2 auth_time). */
export interface EndUser {
  user: User;
  authTime: number;
  /** sid, acr and amr, where the authenticator knows them. */
  login?: LoginFacts;
}

/** Where the answer goes, once client_id and redirect_uri are trusted (errors then redirect, RFC 6749 §4.1.2.1). */
export interface AuthorizeTarget {
  client: Client;
  redirectUri: string;
  /** The client's `state`, echoed in every answer; absent when it sent none or an empty one. */
  state?: string;
}

/** A validated authorization request: everything a code is bound to except the end user. */
export interface AuthorizeRequest extends AuthorizeTarget {
  scope: string[];
  resource: string[];
  pkce?: { challenge: string; method: 'S256' | 'plain' };
  nonce?: string;
}

/**
 * Checks client_id and redirect_uri (RFC 9700 §4.1.3: exact string comparison, no
 * normalisation). Until these hold, errors are shown, never redirected (RFC 6749 §4.1.2.1).
 */
export function authorizeTarget(data: Readonly<Data>, params: Params): AuthorizeTarget {
  const clientId = optionalString(params, 'client_id');
  if (clientId === undefined) throw new InvalidClient('client_id is required');
  const client = findClient(data, clientId);
  if (!client) throw new InvalidClient(`unknown client_id ${JSON.stringify(clientId)}; register it with: oauth-mock clients add`);
  const redirectUri = optionalString(params, 'redirect_uri');
  if (redirectUri === undefined) throw new InvalidRequest('redirect_uri is required');
  if (!client.redirect_uris.includes(redirectUri)) {
    throw new InvalidRequest(`redirect_uri is not registered for client ${client.id}; registered: ${client.redirect_uris.join(', ')}`);
  }
  const rawState = params.state;
  const state = typeof rawState === 'string' && rawState !== '' ? rawState : undefined;
  return { client, redirectUri, ...(state !== undefined ? { state } : {}) };
}

// The parameters this endpoint reads: the only names an error description may repeat.
const KNOWN_PARAMS = new Set(['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method', 'nonce', 'resource']);

/**
 * The rest of the request, checked against the trusted client; its errors are redirected.
 * Their descriptions land on the client's page, so they name the parameter and never repeat
 * the value (nor an unknown parameter's name) that the request carried.
 */
export function validateAuthorizeRequest(target: AuthorizeTarget, params: Params): AuthorizeRequest {
  const { client } = target;
  // Rule 6: a repeated parameter is ambiguous; only `resource` may repeat (RFC 8707 §2).
  for (const [name, value] of Object.entries(params)) {
    if (Array.isArray(value) && name !== 'resource')
      throw new InvalidRequest(KNOWN_PARAMS.has(name) ? `${name} was given more than once` : 'a parameter was given more than once (only resource may repeat)');
  }
  const responseType = optionalString(params, 'response_type');
  if (responseType === undefined) throw new InvalidRequest('response_type is required (use code)');
  if (responseType !== 'code') throw new UnsupportedResponseType('only response_type=code is supported');
  // RFC 6749 §4.1.2.1: a client not registered for the code flow is unauthorized_client.
  if (client.grant_types !== undefined && !client.grant_types.includes('authorization_code')) {
    throw new UnauthorizedClient(`client ${client.id} may not use the authorization code flow; its grant_types: ${client.grant_types.join(', ') || 'none'}`);
  }

  const requested = optionalString(params, 'scope');
  const scope = requested === undefined ? (client.default_scopes ?? client.scopes) : parseScope(requested);
  // RFC 6749 §3.3: scope is one or more tokens; a value of only spaces names none.
  if (requested !== undefined && scope.length === 0) throw new InvalidScope("scope names no scope; omit it to get the client's defaults");
  if (!isSubset(scope, client.scopes))
    throw new InvalidScope(`scope names a scope that is not allowed for client ${client.id}; allowed: ${client.scopes.join(' ')}`);

  const challenge = optionalString(params, 'code_challenge');
  const method = optionalString(params, 'code_challenge_method');
  if (challenge === undefined) {
    if (client.public) throw new InvalidRequest(`client ${client.id} is public and must use PKCE: send code_challenge (RFC 9700 §2.1.1)`);
    if (method !== undefined) throw new InvalidRequest('code_challenge_method was sent without code_challenge');
  } else {
    if (!isValidPkceValue(challenge)) throw new InvalidRequest('code_challenge must be 43-128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.2)');
    if (method !== undefined && !isChallengeMethod(method)) throw new InvalidRequest('code_challenge_method must be S256 or plain (RFC 7636 §4.3)');
  }
  const resource = checkResources(client, resourceList(params), (_quoting, withoutValue) => new InvalidTarget(withoutValue));
  const nonce = optionalString(params, 'nonce');
  return {
    ...target,
    scope,
    resource,
    ...(challenge !== undefined ? { pkce: { challenge, method: method === 'S256' ? 'S256' : 'plain' } } : {}),
    ...(nonce !== undefined ? { nonce } : {}),
  };
}

/** The code's record: the request bound to the end user, valid for `ttl.code` seconds. */
export function codeRecord(request: AuthorizeRequest, endUser: EndUser, expiresAt: number): CodeRecord {
  return {
    client_id: request.client.id,
    redirect_uri: request.redirectUri,
    user_id: endUser.user.id,
    scope: request.scope,
    resource: request.resource,
    auth_time: endUser.authTime,
    expires_at: expiresAt,
    ...(request.pkce ? { code_challenge: request.pkce.challenge, code_challenge_method: request.pkce.method } : {}),
    ...(request.nonce !== undefined ? { nonce: request.nonce } : {}),
    ...(endUser.login !== undefined ? { login: endUser.login } : {}),
  };
}

/** Stores a fresh single-use code (kept by its digest only) and returns it with its record. */
export async function issueCode(
  deps: { store: Store; clock: Clock; ttl: Pick<Ttls, 'code'> },
  request: AuthorizeRequest,
  endUser: EndUser,
): Promise<{ code: string; record: CodeRecord }> {
  const record = codeRecord(request, endUser, epochSeconds(deps.clock) + deps.ttl.code);
  const code = randomToken(32);
  await deps.store.update((tx) => tx.put('codes', digestKey(code), record));
  return { code, record };
}
