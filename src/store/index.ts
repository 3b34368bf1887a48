// Picks the store: a file shared with other processes, or memory only (tests, --in-memory).
import type { Data } from '../core/types.js';
import { openFileStore } from './file-store.js';
import { createMemoryStore } from './memory-store.js';
import type { Store } from './types.js';

export { createMemoryStore } from './memory-store.js';
export { openFileStore } from './file-store.js';
export type { FileStoreOptions } from './file-store.js';
export { findExpired } from './prune.js';
export type { Store, Tx } from './types.js';

export interface StoreOptions {
  /** The snapshot file; null or absent means in memory. */
  path?: string | null;
  /** Keep everything in memory even if `path` is set. */
  inMemory?: boolean;
  /** The data of a new (or reset) store; default empty. */
  seed?: () => Data;
  /** Start over from `seed()` (`--reset`); a memory store always starts from it. */
  reset?: boolean;
}

export async function createStore(opts: StoreOptions): Promise<Store> {
  if (opts.inMemory || !opts.path) return createMemoryStore(opts.seed?.());
  return openFileStore(opts.path, { seed: opts.seed, reset: opts.reset });
}
