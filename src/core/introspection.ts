// Token introspection (RFC 7662): what a live token says about itself, for the client it was
// issued to. Anything else (unknown, forged, expired, revoked, rotated, another client's, an
// ID or user token) is exactly `{"active": false}` (§2.2), so a probe learns nothing.
import { epochSeconds, type Clock } from './clock.js';
import { findGrant, findUser, isDenied } from './lookup.js';
import { optionalString, requiredString, type Params } from './params.js';
import { isAuthentic, parseRefreshToken } from './refresh-token.js';
import type { Store } from './store.js';
import { grantOfJti, type TokenService } from './token-service.js';
import type { Client, Data } from './types.js';

export type Introspection = { active: false } | ({ active: true } & Record<string, unknown>);

export interface IntrospectionDeps {
  store: Pick<Store, 'read'>;
  tokens: Pick<TokenService, 'verify'>;
  clock: Clock;
  issuer: string;
}

const INACTIVE: Introspection = Object.freeze({ active: false });

/** RFC 7662 §2.1: `token` is required; `token_type_hint` only orders the search. */
export function introspectionRequest(params: Params): { token: string } {
  const token = requiredString(params, 'token');
  optionalString(params, 'token_type_hint');
  return { token };
}

export function introspect(deps: IntrospectionDeps, request: { token: string }, client: Client): Introspection {
  const data = deps.store.read();
  const now = epochSeconds(deps.clock);
  const refresh = parseRefreshToken(request.token);
  return refresh ? introspectRefresh(deps, data, request.token, client, now) : introspectAccess(deps, data, request.token, client);
}

function introspectRefresh(deps: IntrospectionDeps, data: Readonly<Data>, token: string, client: Client, now: number): Introspection {
  const parsed = parseRefreshToken(token);
  const grant = parsed ? findGrant(data, parsed.grantId) : undefined;
  if (!parsed || !grant || !isAuthentic(grant, parsed)) return INACTIVE;
  // A rotated (earlier) generation is spent: presenting it would revoke the family (RFC 9700 §4.14.2).
  if (grant.client_id !== client.id || grant.revoked_at !== undefined || parsed.gen !== grant.refresh_gen) return INACTIVE;
  const exp = grant.refresh_expires_at ?? 0;
  if (exp <= now || !findUser(data, grant.user_id)) return INACTIVE;
  return {
    active: true,
    token_type: 'refresh_token',
    client_id: grant.client_id,
    scope: grant.scope.join(' '),
    sub: grant.user_id,
    exp,
    iat: grant.created_at,
    iss: deps.issuer,
  };
}

function introspectAccess(deps: IntrospectionDeps, data: Readonly<Data>, token: string, client: Client): Introspection {
  let claims;
  try {
    claims = deps.tokens.verify(data, token, 'access');
  } catch {
    return INACTIVE;
  }
  const jti = typeof claims.jti === 'string' ? claims.jti : undefined;
  if (jti === undefined || isDenied(data, jti) || claims.client_id !== client.id) return INACTIVE;
  const grantId = grantOfJti(jti);
  if (grantId !== undefined && findGrant(data, grantId)?.revoked_at !== undefined) return INACTIVE;
  // A user's token outlives nothing of its user; a client_credentials token's sub is the client.
  const user = claims.sub === claims.client_id && grantId === undefined ? undefined : findUser(data, claims.sub);
  if (claims.sub !== claims.client_id && !user) return INACTIVE;
  return {
    active: true,
    token_type: 'Bearer',
    client_id: claims.client_id,
    scope: claims.scope ?? '',
    sub: claims.sub,
    aud: claims.aud,
    iss: claims.iss,
    exp: claims.exp,
    iat: claims.iat,
    jti,
    ...(user?.preferred_username !== undefined ? { username: user.preferred_username } : {}),
  };
}
