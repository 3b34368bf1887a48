import { InvalidClient, InvalidRequest } from '../errors.js';
import { findClient } from './lookup.js';
import { safeEqual } from './random.js';
import type { Client, Data } from './types.js';

export interface ClientCredentials {
  /** From HTTP Basic (RFC 6749 §2.3.1), already form-decoded. */
  basic?: { id: string; secret: string };
  /** From the request body. */
  clientId?: string;
  clientSecret?: string;
}

// Compared against when the client is unknown, so that case costs the same as a wrong secret.
const DUMMY_SECRET = 'oauth-mock-unknown-client-dummy-secret';

/**
 * RFC 6749 §2.3 / §3.2.1: exactly one authentication method; confidential clients prove
 * their secret, public clients name themselves only. Every failure reads the same, so the
 * response does not tell an unknown client from a wrong secret.
 */
export function authenticateClient(data: Readonly<Data>, creds: ClientCredentials): Client {
  const basic = creds.basic !== undefined;
  if (basic && creds.clientSecret !== undefined) {
    throw new InvalidRequest('send the client secret either in the Authorization header or in the body, not both');
  }
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
    throw new InvalidClient(`client ${client.id} is confidential: send its client_secret (body or HTTP Basic)`, { basic });
  }
  if (!safeEqual(secret, client.secret ?? DUMMY_SECRET) || client.secret === undefined) throw failed();
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
