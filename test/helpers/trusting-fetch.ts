// Node's fetch trusting exactly one CA, as a suite of an app under test would do it: an undici
// Agent with `connect.ca`, and no opt-out (no NODE_TLS_REJECT_UNAUTHORIZED, no rejectUnauthorized).
import { Agent } from 'undici';

export interface TrustingFetch {
  fetch: typeof fetch;
  close(): Promise<void>;
}

export function trustingFetch(ca: string): TrustingFetch {
  const dispatcher = new Agent({ connect: { ca } });
  // The global fetch takes undici's `dispatcher`; @types/node's RequestInit does not name it
  // (and types a different undici version), hence the cast.
  const withCa = (input: string | URL | Request, init: RequestInit = {}) => fetch(input, { ...init, dispatcher } as unknown as RequestInit);
  return { fetch: withCa, close: () => dispatcher.close() };
}
