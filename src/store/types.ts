import type { Collection, Data, Meta } from '../core/types.js';

/** What a transaction may change. Every change is one record, so changes from two processes merge. */
export interface Tx {
  /** The state as of this transaction, including its own earlier puts. Read only. */
  readonly data: Readonly<Data>;
  put<C extends Collection>(collection: C, id: string, value: Data[C][string]): void;
  delete(collection: Collection, id: string): void;
  setMeta<K extends keyof Meta>(key: K, value: Meta[K]): void;
}

export interface Store {
  /** The file behind the store, or null when it lives in memory only. */
  readonly path: string | null;
  /**
   * The current state. Cheap enough to call per request: a file store first picks up
   * what another process (the CLI) committed since the last call. Never mutate it.
   */
  read(): Readonly<Data>;
  /**
   * Runs `fn` against the latest state, exclusively across processes, and persists its
   * changes before resolving. If `fn` throws, nothing is written and the error propagates.
   * Concurrent calls may be committed together in one write (group commit).
   */
  update<T>(fn: (tx: Tx) => T): Promise<T>;
  /** Drops expired codes, grants and denylist entries (`now` in epoch seconds). */
  prune(now: number): Promise<number>;
  /** Replaces everything with `data` (reset/reseed). */
  replace(data: Data): Promise<void>;
  /** Flushes and releases files; the store is unusable afterwards. */
  close(): Promise<void>;
}
