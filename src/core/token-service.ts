// The token port the core works against: what a grant mints and what a check verifies.
// src/tokens/tokens.ts implements it (createTokens): it signs and verifies straight through
// node:crypto (src/tokens/jws.ts).
import type { Client, Data, LoginFacts, User } from './types.js';

export const TOKEN_TYP = { user: 'user+jwt', access: 'at+jwt', id: 'JWT' } as const;
export type TokenKind = keyof typeof TOKEN_TYP;

export interface Claims {
  iss: string;
  sub: string;
  aud: string | string[];
  iat: number;
  exp: number;
  jti?: string;
  auth_time?: number;
  scope?: string;
  client_id?: string;
  [claim: string]: unknown;
}

export interface AccessTokenInput {
  user: User;
  client: Pick<Client, 'id'>;
  scope: readonly string[];
  resource: readonly string[];
  authTime: number;
  /** The grant the token belongs to; revoking the grant revokes the token. */
  grantId?: string;
  ttl: number;
  claims?: Record<string, unknown>;
}

export interface IdTokenInput {
  user: User;
  clientId: string;
  authTime: number;
  nonce?: string;
  accessToken?: string;
  ttl: number;
  claims?: Record<string, unknown>;
  /** sid, acr, amr where known. */
  login?: LoginFacts;
  /**
   * OIDC Core §10.1: under HS256, key the ID token with this client's secret instead of the
   * server's. `secret` undefined (a client without one) cannot get an HS256 ID token.
   */
  clientSecretKey?: { clientId: string; secret: string | undefined };
}

/** Access-token ids carry the grant id, so a revoked grant rejects all its tokens without a list. */
export function grantOfJti(jti: string): string | undefined {
  const dot = jti.indexOf('.');
  return dot > 0 ? jti.slice(0, dot) : undefined;
}

/** What the core needs of the token service (createTokens returns a superset). */
export interface TokenService {
  mintAccess(data: Readonly<Data>, input: AccessTokenInput): { token: string; claims: Claims };
  mintId(data: Readonly<Data>, input: IdTokenInput): { token: string; claims: Claims };
  /** Signature, algorithm, issuer, expiry and typ; throws InvalidToken. `hs256Secret` verifies an ID token keyed with a client secret. */
  verify(data: Readonly<Data>, token: string, kind: TokenKind, opts?: { hs256Secret?: string }): Claims;
}
