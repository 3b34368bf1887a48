import type { LoginFacts } from './types.js';

// The extra claims a tester types on the login page for one sign-in (for example `acr`,
// `amr` or `roles`). Registered claims stay the server's: a token whose `sub`, `aud` or
// `nonce` came from a text box would no longer test the relying party's checks.

/** Set by the server for every token; refused in the claims box (OIDC Core §2, RFC 9068 §2.2). */
export const SERVER_CLAIMS: readonly string[] = [
  'iss',
  'sub',
  'aud',
  'exp',
  'iat',
  'nbf',
  'jti',
  'auth_time',
  'nonce',
  'azp',
  'at_hash',
  'c_hash',
  'sid',
  'client_id',
  'scope',
  'typ',
  'cnf',
];

/** 8 KiB is plenty for claims, and keeps tokens (and cookies of RPs that store them) sane. */
export const MAX_LOGIN_CLAIMS_LENGTH = 8 * 1024;

export type LoginClaimsResult = { ok: true; claims: Record<string, unknown> } | { ok: false; error: string };

/** Parses the claims box: empty is no claims; otherwise a JSON object without server claims. */
export function parseLoginClaims(text: string | undefined): LoginClaimsResult {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') return { ok: true, claims: {} };
  if (trimmed.length > MAX_LOGIN_CLAIMS_LENGTH) return { ok: false, error: `Extra claims are limited to ${MAX_LOGIN_CLAIMS_LENGTH} characters.` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch (error) {
    return { ok: false, error: `Extra claims are not valid JSON: ${(error as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, error: 'Extra claims must be a JSON object, e.g. {"acr": "urn:example:mfa", "roles": ["admin"]}.' };
  }
  const keys = Object.keys(parsed);
  // JSON.parse makes `__proto__` an own key; keep it out of every object the claims reach.
  if (keys.includes('__proto__')) return { ok: false, error: 'Extra claims may not contain a "__proto__" key.' };
  const reserved = keys.filter((k) => SERVER_CLAIMS.includes(k));
  if (reserved.length > 0) {
    return {
      ok: false,
      error: `Extra claims may not set ${reserved.join(', ')}: the server sets ${reserved.length === 1 ? 'it' : 'them'}. To sign in as another subject, type its name as the username.`,
    };
  }
  const claims = parsed as Record<string, unknown>;
  // OIDC Core §2: acr is a string; amr an array of strings (RFC 8176).
  if (claims.acr !== undefined && typeof claims.acr !== 'string') return { ok: false, error: 'Extra claims: "acr" must be a string, e.g. "urn:example:mfa".' };
  if (claims.amr !== undefined && !(Array.isArray(claims.amr) && claims.amr.every((m) => typeof m === 'string'))) {
    return { ok: false, error: 'Extra claims: "amr" must be an array of strings, e.g. ["pwd", "otp"].' };
  }
  return { ok: true, claims };
}

/** What the tokens of a sign-in carry besides the user: its session, and acr, amr and other claims typed for it. */
export function loginFacts(sid: string | undefined, claims: Record<string, unknown> = {}): LoginFacts {
  const { acr, amr, ...rest } = claims;
  return {
    ...(sid !== undefined ? { sid } : {}),
    ...(typeof acr === 'string' ? { acr } : {}),
    ...(Array.isArray(amr) ? { amr: amr as string[] } : {}),
    ...(Object.keys(rest).length > 0 ? { claims: rest } : {}),
  };
}

/** OIDC Core §2: `sub` is at most 255 ASCII characters; the login page also refuses control characters and spaces at the ends. */
export function checkUsername(name: string): string | undefined {
  if (name === '') return 'Type a username, or pick a known user.';
  if (name.length > 255) return 'A username (the sub) is at most 255 characters (OpenID Connect Core section 2).';
  if (!/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(name))
    return 'A username (the sub) must be printable ASCII without spaces at its ends (OpenID Connect Core section 2).';
  return undefined;
}
