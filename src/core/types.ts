// The records oauth-mock keeps. Everything here is plain JSON so the store can
// write it as is; times are epoch seconds unless a name says otherwise.

export interface User {
  /** The subject (`sub`): stable, unique, the key in the store. */
  id: string;
  name?: string;
  given_name?: string;
  family_name?: string;
  preferred_username?: string;
  middle_name?: string;
  nickname?: string;
  /** URL of the profile page (OIDC Core §5.1). */
  profile?: string;
  picture?: string;
  website?: string;
  gender?: string;
  /** YYYY-MM-DD or YYYY (OIDC Core §5.1). */
  birthdate?: string;
  zoneinfo?: string;
  locale?: string;
  email?: string;
  email_verified?: boolean;
  phone_number?: string;
  phone_number_verified?: boolean;
  /** OIDC Core §5.1.1. */
  address?: { formatted?: string; street_address?: string; locality?: string; region?: string; postal_code?: string; country?: string };
  /** Epoch seconds of the last profile change (OIDC Core §5.1). */
  updated_at?: number;
  /** Custom claims copied into access tokens and userinfo (for example `roles`). */
  claims?: Record<string, unknown>;
}

export interface Client {
  id: string;
  name?: string;
  /** Absent for public clients; compared in constant time. */
  secret?: string;
  /** Public clients authenticate with client_id only and must use PKCE (RFC 9700 §2.1.1). */
  public: boolean;
  /** Compared byte for byte (RFC 6749 §3.1.2.3, RFC 9700 §4.1.3). */
  redirect_uris: string[];
  /** Where RP-Initiated Logout 1.0 §3 may send the browser after logout; compared exactly. Absent: nowhere. */
  post_logout_redirect_uris?: string[];
  /** Scopes the client may request. */
  scopes: string[];
  /** Scopes granted when a request names none (RFC 6749 §3.3). Defaults to `scopes`. */
  default_scopes?: string[];
  /** Resource indicators the client may target (RFC 8707). Absent: any absolute URI; a list, even empty, limits to it. */
  resources?: string[];
  /** Whether the client receives refresh tokens. */
  refresh?: boolean;
  /**
   * How the client authenticates at token, revoke and introspection (OIDC Dynamic Client
   * Registration §2). Absent: `none` for public clients, either secret method otherwise.
   */
  token_endpoint_auth_method?: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';
  /** The public keys a `private_key_jwt` client signs its assertions with (RFC 7523); never fetched. */
  jwks?: { keys: Record<string, unknown>[] };
  /** Grant types the client may use. Absent: authorization_code and refresh_token. */
  grant_types?: string[];
}

/** What an authenticator knows of a login, carried from authorize to every ID token of the grant. */
export interface LoginFacts {
  /** The login session's id (the ID token's `sid`). */
  sid?: string;
  /** Authentication context class reference (OIDC Core §2). */
  acr?: string;
  /** Authentication methods references (RFC 8176). */
  amr?: string[];
  /** Other claims chosen for this sign-in (the login page's extra claims): added to its ID and access tokens. */
  claims?: Record<string, unknown>;
}

/** An issued authorization code, keyed in the store by the SHA-256 of the code. */
export interface CodeRecord {
  client_id: string;
  redirect_uri: string;
  user_id: string;
  scope: string[];
  resource: string[];
  code_challenge?: string;
  code_challenge_method?: 'S256' | 'plain';
  nonce?: string;
  auth_time: number;
  /** What is known of the end user's login, for the ID token (OIDC Core §2; Front-Channel Logout §3 for sid). */
  login?: LoginFacts;
  expires_at: number;
  /** Set when the code is redeemed: the grant it created, so a replay can revoke it. */
  redeemed_grant?: string;
}

/**
 * One authorization grant: what a redeemed code created. Its refresh tokens are one
 * rotating family (RFC 9700 §4.14.2) and its access tokens carry its id in `jti`,
 * so revoking the grant revokes every token issued from it.
 */
export interface Grant {
  id: string;
  client_id: string;
  user_id: string;
  scope: string[];
  resource: string[];
  nonce?: string;
  auth_time: number;
  login?: LoginFacts;
  created_at: number;
  /** The current refresh-token generation; earlier generations are reuse. Absent: no refresh. */
  refresh_gen?: number;
  /** Per-grant key that authenticates refresh tokens (HMAC), so no token is stored. */
  refresh_key?: string;
  refresh_expires_at?: number;
  revoked_at?: number;
  /** When nothing issued from this grant can be valid any more; pruned after that. */
  expires_at: number;
}

/**
 * A browser's login at the `oidc` profile's login page, keyed in the store by its `sid`
 * (OIDC Front-Channel Logout §3: the session id in ID tokens and logout). The cookie holds
 * `<sid>.<secret>`; only the secret's digest is stored, so the store never holds a live cookie.
 */
export interface Session {
  user_id: string;
  /** SHA-256 (base64url) of the cookie's secret half. */
  secret_digest: string;
  /** When the user logged in (OIDC Core §2 `auth_time`; `max_age` is measured from it). */
  auth_time: number;
  created_at: number;
  expires_at: number;
  /** Extra claims typed on the login page: added to the tokens issued under this login. */
  claims?: Record<string, unknown>;
}

export interface StoredKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  /** PKCS#8 PEM. */
  private_pem: string;
  created_at: number;
  /** Set when a newer key replaced it; kept published until tokens it signed expire. */
  retired_at?: number;
  /** With `retired_at`: when the tokens it signed have expired, so it is unpublished and dropped. */
  drop_at?: number;
}

export interface Meta {
  schema: 1;
  /** HS256 server secret, base64url, ≥ 32 bytes; generated once and kept. */
  secret?: string;
  keys?: StoredKey[];
  /** Written by earlier versions (the last server's issuer); no longer read. */
  issuer?: string;
  /** The algorithm of the last server started on this store, so terminal-minted tokens match it. */
  alg?: 'HS256' | 'RS256' | 'ES256';
  /** The servers serving this store now (removed at stop; a dead pid is ignored). */
  servers?: LiveServer[];
  /**
   * When the store was last reset (epoch seconds): a token issued earlier is refused, so a
   * reset never brings back a revoked token.
   */
  reset_at?: number;
}

/** A server serving the store, so terminal commands sign for its issuer. */
export interface LiveServer {
  issuer: string;
  url: string;
  pid: number;
  alg: 'HS256' | 'RS256' | 'ES256';
  /** Epoch seconds. */
  started_at: number;
  /** With start --control: where its control API is, and the control token (oauth-mock control reads it). */
  control?: { url: string; token: string };
}

export interface Data {
  meta: Meta;
  users: Record<string, User>;
  clients: Record<string, Client>;
  codes: Record<string, CodeRecord>;
  grants: Record<string, Grant>;
  /**
   * Revoked access-token `jti` → its `exp`, kept until then (RFC 7009 §2). Used private_key_jwt
   * assertions are kept here too, under `assertionKey(client, jti)`, so each is single use (RFC 7523 §3).
   */
  denylist: Record<string, number>;
  /** Browser login sessions of the `oidc` profile, by sid; pruned once expired. */
  sessions: Record<string, Session>;
}

export type Collection = Exclude<keyof Data, 'meta'>;

export function emptyData(): Data {
  return { meta: { schema: 1 }, users: {}, clients: {}, codes: {}, grants: {}, denylist: {}, sessions: {} };
}
