import supertest from 'supertest';
import { createApp } from '../../src/app.js';
import { BODY_LIMIT, DEFAULT_TTLS, type AppConfig } from '../../src/config/defaults.js';
import type { Clock } from '../../src/core/clock.js';
import { findUser } from '../../src/core/lookup.js';
import type { Data } from '../../src/core/types.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { loadFixtures } from '../../src/store/fixtures.js';
import type { Store } from '../../src/store/types.js';
import { ensureKeys, type SigningAlg } from '../../src/tokens/keys.js';

/** Decodes a JWT's header and payload without verifying (tests inspect what was issued): the CLI's decoder. */
export { decodeJwt } from '../../src/tokens/decode.js';

export const ISSUER = 'http://127.0.0.1:9400';
export const SEED = {
  clientId: 'client_123',
  secret: 'client_123-secret-change-me',
  redirectUri: 'https://client.example.com/callback',
  // RFC 7636 Appendix B.
  challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
} as const;
/**
 * The token request that redeems `code` for the seeded confidential client (RFC 6749 §4.1.3,
 * RFC 7636 §4.5). A code read from a Location header may be null: it is sent as is, and refused.
 */
export function codeExchange(code: string, overrides?: Record<string, string>): Record<string, string>;
export function codeExchange(code: string | null, overrides?: Record<string, string>): Record<string, string | null>;
export function codeExchange(code: string | null, overrides: Record<string, string> = {}): Record<string, string | null> {
  return {
    grant_type: 'authorization_code',
    code,
    redirect_uri: SEED.redirectUri,
    code_verifier: SEED.verifier,
    client_id: SEED.clientId,
    client_secret: SEED.secret,
    ...overrides,
  };
}
export const PUBLIC_CLIENT = { clientId: 'spa_public', redirectUri: 'http://localhost:3000/callback' } as const;

/** A clock the test moves by hand. */
export function fakeClock(startMs = Date.UTC(2026, 0, 1)): Clock & { advance(seconds: number): void } {
  let now = startMs;
  return { now: () => now, advance: (seconds) => void (now += seconds * 1000) };
}

export interface Harness {
  store: Store;
  clock: ReturnType<typeof fakeClock>;
  app: ReturnType<typeof createApp>;
  agent: ReturnType<typeof supertest>;
  userToken(id?: string, opts?: { ttl?: number; authTime?: number }): string;
  /** Runs authorize and returns the code from the redirect. */
  code(query?: Record<string, string | string[] | undefined>, user?: string): Promise<string>;
  /** Runs authorize + token for client_123 with the seed's PKCE pair. */
  tokens(query?: Record<string, string | string[] | undefined>): Promise<Record<string, string>>;
}

export function authorizeQuery(overrides: Record<string, string | string[] | undefined> = {}): string {
  const params = new URLSearchParams();
  const merged: Record<string, string | string[] | undefined> = {
    response_type: 'code',
    client_id: SEED.clientId,
    redirect_uri: SEED.redirectUri,
    scope: 'openid profile email',
    state: 'xyz123',
    code_challenge: SEED.challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  for (const [k, v] of Object.entries(merged)) {
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
  }
  return params.toString();
}

export async function bootstrap(opts: { alg?: SigningAlg; data?: Data; config?: Partial<AppConfig> } = {}): Promise<Harness> {
  const clock = fakeClock();
  const store = createMemoryStore(opts.data ?? loadFixtures());
  const alg = opts.alg ?? 'HS256';
  await ensureKeys(store, { alg }, Math.floor(clock.now() / 1000));
  const config: AppConfig = { issuer: ISSUER, basePath: '', alg, ttl: { ...DEFAULT_TTLS }, bodyLimit: BODY_LIMIT, ...opts.config };
  const app = createApp({ store, config, clock });
  const agent = supertest(app.callback());

  const userToken: Harness['userToken'] = (id = 'alice', o = {}) => {
    const data = store.read();
    const user = findUser(data, id) ?? { id };
    return app.appContext.tokens.mintUser(data, user, { ttl: o.ttl ?? 3600, ...(o.authTime !== undefined ? { authTime: o.authTime } : {}) }).token;
  };

  const code: Harness['code'] = async (query = {}, user = 'alice') => {
    const res = await agent.get(`${app.appContext.paths.authorize}?${authorizeQuery(query)}`).set('Authorization', `Bearer ${userToken(user)}`);
    if (res.status !== 302) throw new Error(`authorize answered ${res.status}: ${JSON.stringify(res.body)}`);
    const location = new URL(res.headers.location as string);
    const value = location.searchParams.get('code');
    if (!value) throw new Error(`no code in ${location.href}`);
    return value;
  };

  const tokens: Harness['tokens'] = async (query = {}) => {
    const c = await code(query);
    const res = await agent.post(app.appContext.paths.token).send(codeExchange(c));
    if (res.status !== 200) throw new Error(`token answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.data as Record<string, string>;
  };

  return { store, clock, app, agent, userToken, code, tokens };
}
