import { InvalidClient, InvalidRequest } from '../errors.js';
import type { Store } from './store.js';
import { assertionSubject, consumeAssertion, verifyClientAssertion } from './client-assertion.js';
import { allowedMethods, JWT_BEARER_ASSERTION, presentedMethod, type AuthMethod, type ClientCredentials } from './client-methods.js';
import { findClient } from './lookup.js';
import { safeEqual } from './random.js';
import type { Client, Data } from './types.js';

export type { ClientCredentials } from './client-methods.js';

// Compared against when the client is unknown, so that case costs the same as a wrong secret.
const DUMMY_SECRET = 'oauth-mock-unknown-client-dummy-secret';

export interface ClientAuthDeps {
  store: Pick<Store, 'read' | 'update'>;
  /** Epoch seconds. */
  now: number;
  /** What a private_key_jwt assertion's `aud` may name: the issuer and the endpoint's URLs (RFC 7523 §3). */
  audiences: readonly string[];
}

/**
 * RFC 6749 §2.3 / §3.2.1, RFC 7523 §3: exactly one authentication method per request, and
 * one the client is registered for (`token_endpoint_auth_method`). Confidential clients
 * prove their secret or sign an assertion, public clients name themselves only. A failed
 * secret reads the same for an unknown client and a wrong secret.
 */
export async function authenticateClient(deps: ClientAuthDeps, creds: ClientCredentials): Promise<Client> {
  const method = presentedMethod(creds);
  if (method === 'private_key_jwt') return authenticateAssertion(deps, creds);
  return authenticateSecret(deps.store.read(), creds, method);
}

function authenticateSecret(data: Readonly<Data>, creds: ClientCredentials, method: AuthMethod): Client {
  const basic = creds.basic !== undefined;
  if (basic && creds.clientId !== undefined && creds.clientId !== creds.basic?.id) {
    throw new InvalidRequest('client_id in the body differs from the one in the Authorization header');
  }
  const id = creds.basic?.id ?? creds.clientId;
  if (id === undefined) throw new InvalidClient('client authentication is required: send client_id (and client_secret for confidential clients)');
  const secret = creds.basic?.secret ?? creds.clientSecret;
  const client = findClient(data, id);
  const failed = () => new InvalidClient('client authentication failed: unknown client or wrong secret', { basic });

  if (!client) {
    safeEqual(secret ?? '', DUMMY_SECRET);
    throw failed();
  }
  if (client.public) {
    if (secret !== undefined && secret !== '') {
      throw new InvalidClient(`client ${client.id} is public and must not send a secret`, { basic });
    }
    return client;
  }
  if (secret === undefined) {
    const allowed = allowedMethods(client);
    if (allowed.includes('private_key_jwt')) {
      throw new InvalidClient(`client ${client.id} authenticates with private_key_jwt: send client_assertion and client_assertion_type`);
    }
    throw new InvalidClient(`client ${client.id} is confidential: send its client_secret (${describeSecretMethods(allowed)})`, { basic });
  }
  if (!safeEqual(secret, client.secret ?? DUMMY_SECRET) || client.secret === undefined) throw failed();
  const allowed = allowedMethods(client);
  if (!allowed.includes(method)) {
    throw new InvalidClient(`client ${client.id} is registered for ${allowed.join(', ')}, not ${method} (its token_endpoint_auth_method)`, { basic });
  }
  return client;
}

function describeSecretMethods(allowed: readonly AuthMethod[]): string {
  const basic = allowed.includes('client_secret_basic');
  const post = allowed.includes('client_secret_post');
  return basic && post ? 'body or HTTP Basic' : basic ? 'HTTP Basic only' : 'in the body only';
}

async function authenticateAssertion(deps: ClientAuthDeps, creds: ClientCredentials): Promise<Client> {
  if (creds.assertionType === undefined) throw new InvalidRequest(`client_assertion_type is required with client_assertion (use ${JWT_BEARER_ASSERTION})`);
  if (creds.assertion === undefined) throw new InvalidRequest('client_assertion is required with client_assertion_type');
  if (creds.assertionType !== JWT_BEARER_ASSERTION) {
    throw new InvalidClient(`client_assertion_type ${creds.assertionType} is not supported; use ${JWT_BEARER_ASSERTION} (RFC 7523 §2.2)`);
  }
  const claimed = assertionSubject(creds.assertion);
  if (claimed === undefined) throw new InvalidClient('client_assertion rejected: sub (the client_id) is required');
  // RFC 7521 §4.2: client_id may accompany the assertion, and must then name the same client.
  if (creds.clientId !== undefined && creds.clientId !== claimed) {
    throw new InvalidClient("client_id differs from the client_assertion's sub");
  }
  const client = findClient(deps.store.read(), claimed);
  if (!client) throw new InvalidClient(`client_assertion rejected: unknown client ${JSON.stringify(claimed)}`);
  const allowed = allowedMethods(client);
  if (!allowed.includes('private_key_jwt')) {
    throw new InvalidClient(`client ${client.id} is registered for ${allowed.join(', ')}, not private_key_jwt (its token_endpoint_auth_method)`);
  }
  const verified = await verifyClientAssertion(client, creds.assertion, { audiences: deps.audiences, now: deps.now });
  const fresh = await deps.store.update((tx) => consumeAssertion(tx, client.id, verified));
  if (!fresh) throw new InvalidClient('client_assertion rejected: its jti was already used; sign a new assertion for each request (RFC 7523 §3)');
  return client;
}

/**
 * RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64, so a secret may
 * hold `:` `+` `%` or non-ASCII characters.
 */
export function parseBasic(header: string): { id: string; secret: string } | undefined {
  const match = /^basic +([A-Za-z0-9+/]+=*) *$/i.exec(header.trim());
  if (!match?.[1]) {
    if (/^basic\b/i.test(header.trim())) throw new InvalidClient('the Authorization header is not valid HTTP Basic', { basic: true });
    return undefined;
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new InvalidClient('the HTTP Basic credentials have no ":" between id and secret', { basic: true });
  try {
    const formDecode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    throw new InvalidClient('the HTTP Basic credentials are not form-urlencoded correctly (RFC 6749 §2.3.1)', { basic: true });
  }
}
