// For supertest users who build the app with createApp and no port: a complete AppConfig
// from the few values that matter, and a store that already holds its signing key.
import { BODY_LIMIT, DEFAULT_TTLS, normalizeBasePath, type AppConfig, type Ttls } from '../config/defaults.js';
import { epochSeconds, systemClock, type Clock } from '../core/clock.js';
import { createMemoryStore } from '../store/memory-store.js';
import type { Store } from '../store/types.js';
import { ensureKeys, type SigningAlg } from '../tokens/keys.js';
import { seedFrom, type SeedOptions } from './seed.js';

export interface AppConfigInput {
  issuer: string;
  basePath?: string;
  alg?: SigningAlg;
  ttl?: Partial<Ttls>;
  bodyLimit?: number;
}

export function appConfig(input: AppConfigInput): AppConfig {
  return {
    issuer: input.issuer.replace(/\/+$/, ''),
    basePath: normalizeBasePath(input.basePath ?? ''),
    alg: input.alg ?? 'HS256',
    ttl: { ...DEFAULT_TTLS, ...input.ttl },
    bodyLimit: input.bodyLimit ?? BODY_LIMIT,
  };
}

/** An in-memory store seeded like startOAuthMock's, with the key `alg` needs already in it. */
export async function createSeededStore(opts: SeedOptions & { alg?: SigningAlg; secret?: string; clock?: Clock } = {}): Promise<Store> {
  const store = createMemoryStore(seedFrom(opts)());
  const keyOptions = { alg: opts.alg ?? 'HS256', ...(opts.secret !== undefined ? { secret: opts.secret } : {}) } as const;
  await ensureKeys(store, keyOptions, epochSeconds(opts.clock ?? systemClock));
  return store;
}
