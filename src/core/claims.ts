import type { User } from './types.js';

// OIDC Core §5.4: the claims each scope releases at userinfo.
const SCOPE_CLAIMS: Record<string, readonly (keyof User)[]> = {
  profile: [
    'name',
    'given_name',
    'family_name',
    'middle_name',
    'nickname',
    'preferred_username',
    'profile',
    'picture',
    'website',
    'gender',
    'birthdate',
    'zoneinfo',
    'locale',
    'updated_at',
  ],
  email: ['email', 'email_verified'],
  address: ['address'],
  phone: ['phone_number', 'phone_number_verified'],
};

/** The claims every ID token carries or may carry (OIDC Core §2). */
const ID_TOKEN_CLAIMS = ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'azp', 'at_hash'] as const;

/** The oidc profile's scopes: OIDC Core §5.4's standard ones. */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'address', 'phone'] as const;
/** The claims the oidc profile's tokens and userinfo may carry (OIDC Core §2, §5.1). */
export const OIDC_CLAIMS = [...ID_TOKEN_CLAIMS, 'sid', 'acr', 'amr', ...Object.values(SCOPE_CLAIMS).flat()];

export const STANDARD_SCOPES = ['openid', 'profile', 'email'] as const;
export const SUPPORTED_CLAIMS = [
  ...ID_TOKEN_CLAIMS,
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'picture',
  'updated_at',
  'email',
  'email_verified',
];

/**
 * Registered claims oauth-mock sets itself (RFC 7519 §4.1, OIDC Core §2, RFC 9068 §2.2): a
 * user's or a minted token's custom claims never replace one.
 */
export const REGISTERED_CLAIMS: ReadonlySet<string> = new Set([
  'iss',
  'sub',
  'aud',
  'azp',
  'exp',
  'iat',
  'nbf',
  'jti',
  'auth_time',
  'nonce',
  'at_hash',
  'scope',
  'client_id',
]);

// A custom claim never stands in for a standard one (those are released by scope only, OIDC
// Core §5.4) nor for a registered JWT claim, so `claims: {email}` cannot leak without `email`.
const NOT_CUSTOM = new Set<string>([...REGISTERED_CLAIMS, ...Object.values(SCOPE_CLAIMS).flat()]);

/** `sub` always; standard claims by granted scope; custom claims always. Absent ones are omitted, never null. */
export function userinfoClaims(user: User, scope: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(user.claims ?? {})) {
    if (value !== null && value !== undefined && !NOT_CUSTOM.has(name)) out[name] = value;
  }
  for (const s of scope) {
    for (const claim of SCOPE_CLAIMS[s] ?? []) {
      const value = user[claim];
      if (value !== undefined && value !== null) out[claim] = value;
    }
  }
  out.sub = user.id;
  return out;
}
