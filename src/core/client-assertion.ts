// private_key_jwt (RFC 7523 §2.2, §3; OIDC Core §9): the client proves itself with a JWT signed
// by a key from the JWKS in its record. The key set is never fetched: a mock must not reach out.
import { createLocalJWKSet, decodeJwt, errors, jwtVerify } from 'jose';
import { InvalidClient } from '../errors.js';
import { ASSERTION_KEY_PREFIX } from './client-methods.js';
import { digestKey } from './random.js';
import type { Tx } from './store.js';
import type { Client } from './types.js';

/** The algorithms a client may sign its assertion with (advertised in discovery). */
export const ASSERTION_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

/** The unverified `sub` (else `iss`) of an assertion: which client it claims to be, to find its keys. */
export function assertionSubject(assertion: string): string | undefined {
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(assertion);
  } catch {
    throw new InvalidClient('client_assertion is not a JWT (RFC 7523 §2.2)');
  }
  const sub = claims.sub ?? claims.iss;
  return typeof sub === 'string' && sub !== '' ? sub : undefined;
}

export interface VerifiedAssertion {
  jti: string;
  exp: number;
}

/**
 * RFC 7523 §3: `iss` and `sub` are the client_id, `aud` names this server (its issuer or the
 * endpoint's URL), `exp` is required and in the future, `jti` is required (single use is
 * checked by `consumeAssertion` in a transaction), and the signature verifies with a key of
 * the client's JWKS. Every failure is `invalid_client`, with the reason.
 */
export async function verifyClientAssertion(
  client: Client,
  assertion: string,
  opts: { audiences: readonly string[]; now: number },
): Promise<VerifiedAssertion> {
  const fail = (why: string) => new InvalidClient(`client_assertion rejected: ${why}`);
  if (!client.jwks || !Array.isArray(client.jwks.keys) || client.jwks.keys.length === 0) {
    throw fail(`client ${client.id} has no jwks registered to verify it with`);
  }
  let payload;
  try {
    const keys = createLocalJWKSet(client.jwks);
    ({ payload } = await jwtVerify(assertion, keys, {
      algorithms: [...ASSERTION_ALGS],
      issuer: client.id,
      subject: client.id,
      audience: [...opts.audiences],
      currentDate: new Date(opts.now * 1000),
      requiredClaims: ['exp', 'jti'],
    }));
  } catch (error) {
    throw fail(describe(error, opts.audiences));
  }
  if (typeof payload.jti !== 'string' || payload.jti === '') throw fail('jti must be a non-empty string');
  return { jti: payload.jti, exp: payload.exp as number };
}

function describe(error: unknown, audiences: readonly string[]): string {
  if (error instanceof errors.JWTExpired) return 'it has expired (exp)';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return `aud must be one of ${audiences.join(', ')}`;
    if (error.claim === 'iss' || error.claim === 'sub') return `${error.claim} must be the client_id`;
    if (error.reason === 'missing') return `the ${error.claim} claim is required`;
    return `the ${error.claim} claim is invalid (${error.reason})`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return "the signature does not verify with the client's jwks";
  if (error instanceof errors.JWKSNoMatchingKey) return "no key in the client's jwks matches its kid and alg";
  if (error instanceof errors.JWKSMultipleMatchingKeys) return "several keys in the client's jwks match: give each a kid";
  if (error instanceof errors.JOSEAlgNotAllowed) return `its alg is not one of ${ASSERTION_ALGS.join(', ')}`;
  if (error instanceof errors.JOSEError) return error.message;
  return 'it could not be verified';
}

// A used assertion is remembered in the denylist until it expires (pruned with it). Per client, so
// two clients' jti values never collide.
export function assertionKey(clientId: string, jti: string): string {
  return `${ASSERTION_KEY_PREFIX}${digestKey(JSON.stringify([clientId, jti]))}`;
}

/** Marks the assertion used in the same transaction that checks it, so two parallel requests cannot both pass. */
export function consumeAssertion(tx: Tx, clientId: string, verified: VerifiedAssertion): boolean {
  const key = assertionKey(clientId, verified.jti);
  if (Object.hasOwn(tx.data.denylist, key)) return false;
  tx.put('denylist', key, verified.exp);
  return true;
}
