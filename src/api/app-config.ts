// For supertest users who build the app with createApp and no port: a complete AppConfig
// from the few values that matter, and a store that already holds its signing key.
import type { AppConfig } from '../config/defaults.js';
import { appConfigFor, resolveServerOptions, type ServerOptionsInput } from '../config/server-options.js';
import { epochSeconds, systemClock, type Clock } from '../core/clock.js';
import { createMemoryStore } from '../store/memory-store.js';
import type { Store } from '../store/types.js';
import { ensureKeys, type SigningAlg } from '../tokens/keys.js';
import { seedFrom, type SeedOptions } from './seed.js';

/** The server options that shape the app (no port: supertest drives `app.callback()`), with the issuer required. */
export type AppConfigInput = Pick<ServerOptionsInput, 'basePath' | 'alg' | 'ttl' | 'bodyLimit' | 'profile' | 'login'> & { issuer: string };

export function appConfig(input: AppConfigInput): AppConfig {
  const { issuer, ...rest } = input;
  return appConfigFor(resolveServerOptions(rest), issuer);
}

/** An in-memory store seeded like startOAuthMock's, with the key `alg` needs already in it. */
export async function createSeededStore(opts: SeedOptions & { alg?: SigningAlg; secret?: string; clock?: Clock } = {}): Promise<Store> {
  const store = createMemoryStore(seedFrom(opts)());
  const keyOptions = { alg: opts.alg ?? 'HS256', ...(opts.secret !== undefined ? { secret: opts.secret } : {}) } as const;
  await ensureKeys(store, keyOptions, epochSeconds(opts.clock ?? systemClock));
  return store;
}
