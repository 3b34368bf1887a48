// Picks the store: a file shared with other processes, memory only (tests, --in-memory), or
// Redis shared by replicas on any number of machines (--store redis://...).
import type { Data } from '../core/types.js';
import { openFileStore } from './file-store.js';
import { createMemoryStore } from './memory-store.js';
import { openRedisStore } from './redis/redis-store.js';
import type { Store } from './types.js';

export { createMemoryStore } from './memory-store.js';
export { openFileStore } from './file-store.js';
export type { FileStoreOptions } from './file-store.js';
export type { RedisStoreOptions } from './redis/redis-store.js';
export { describeRedisUrl, redisUrlProblem } from './redis/url.js';
export type { Store, Tx } from './types.js';

export interface StoreOptions {
  /** The snapshot file; null or absent means in memory. */
  path?: string | null;
  /** Keep everything in memory even if `path` is set. */
  inMemory?: boolean;
  /** A `redis://` URL: the store lives in Redis (`path` and `inMemory` are then ignored). */
  url?: string;
  /** With `url`: the issuer, which names the keys (`oauth-mock:<issuer>:...`). */
  namespace?: string;
  /** The data of a new (or reset) store; default empty. */
  seed?: () => Data;
  /** Start over from `seed()` (`--reset`); a memory store always starts from it. */
  reset?: boolean;
}

export async function createStore(opts: StoreOptions): Promise<Store> {
  if (opts.url !== undefined) {
    if (opts.namespace === undefined) throw new Error('a Redis store needs the issuer, which names its keys');
    return openRedisStore({ url: opts.url, namespace: opts.namespace, ...(opts.seed ? { seed: opts.seed } : {}), reset: opts.reset === true });
  }
  if (opts.inMemory || !opts.path) return createMemoryStore(opts.seed?.());
  return openFileStore(opts.path, { seed: opts.seed, reset: opts.reset });
}
