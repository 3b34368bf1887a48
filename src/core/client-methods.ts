// Client authentication methods (RFC 6749 §2.3, RFC 7523 §2.2, OIDC Core §9): which one a
// request used, and which ones a client record allows.
import { InvalidRequest } from '../errors.js';
import type { Client } from './types.js';

export const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

export function isAuthMethod(value: unknown): value is AuthMethod {
  return (AUTH_METHODS as readonly unknown[]).includes(value);
}

/** RFC 7523 §2.2: the only assertion type this server understands. */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Denylist keys of used assertions start with this; it holds a `:`, which no access-token jti does. */
export const ASSERTION_KEY_PREFIX = 'client-assertion:';

/** What a request carried, before any of it is checked. */
export interface ClientCredentials {
  /** From HTTP Basic (RFC 6749 §2.3.1), already form-decoded. */
  basic?: { id: string; secret: string };
  /** From the request body. */
  clientId?: string;
  clientSecret?: string;
  /** `client_assertion` and `client_assertion_type` from the body (RFC 7521 §4.2). */
  assertion?: string;
  assertionType?: string;
}

/**
 * The methods a client may use. A client record that names `token_endpoint_auth_method` gets
 * exactly that one; otherwise a public client uses `none` and a confidential one either
 * secret method (what most servers accept for a client registered without a method).
 */
export function allowedMethods(client: Client): readonly AuthMethod[] {
  if (client.token_endpoint_auth_method !== undefined) return [client.token_endpoint_auth_method];
  return client.public ? ['none'] : ['client_secret_basic', 'client_secret_post'];
}

/**
 * The one method the request used. RFC 6749 §2.3: a client MUST NOT use more than one
 * authentication method in a request, so two of them is `invalid_request`.
 */
export function presentedMethod(creds: ClientCredentials): AuthMethod {
  const used: AuthMethod[] = [];
  if (creds.basic !== undefined) used.push('client_secret_basic');
  if (creds.clientSecret !== undefined) used.push('client_secret_post');
  if (creds.assertion !== undefined || creds.assertionType !== undefined) used.push('private_key_jwt');
  if (used.length > 1) {
    if (used.includes('client_secret_basic') && used.includes('client_secret_post') && used.length === 2) {
      throw new InvalidRequest('send the client secret either in the Authorization header or in the body, not both');
    }
    throw new InvalidRequest(`use one client authentication method per request (RFC 6749 §2.3), not ${used.join(' and ')}`);
  }
  return used[0] ?? 'none';
}
