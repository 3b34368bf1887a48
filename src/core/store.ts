// The persistence port the core works against; src/store/ implements it (file, memory or Redis).
import type { Collection, Data, Meta } from './types.js';

/** What a transaction may change. Every change is one record, so changes from two processes merge. */
export interface Tx {
  /** The state as of this transaction, including its own earlier puts. Read only. */
  readonly data: Readonly<Data>;
  put<C extends Collection>(collection: C, id: string, value: Data[C][string]): void;
  delete(collection: Collection, id: string): void;
  setMeta<K extends keyof Meta>(key: K, value: Meta[K]): void;
  /**
   * Keeps the changes made so far, commits them, then rejects `update()` with `error`: for a
   * refusal that must still leave a trace (a replayed code revokes its tokens, RFC 6749 §4.1.2).
   * A plain `throw` instead rolls the transaction back.
   */
  fail(error: Error): never;
}

export interface Store {
  /** The file behind the store, or null when it lives in memory only (or in Redis). */
  readonly path: string | null;
  /** Where a store that is not a file lives, for people to read (Redis: its address and key prefix). */
  readonly location?: string;
  /**
   * True when the backend expires codes, grants and denylist entries by itself (Redis TTLs),
   * so no pruning timer is needed.
   */
  readonly expiresRecords?: boolean;
  /**
   * Present on a store shared over the network (Redis), whose read() is a mirror: brings it up
   * to every commit acknowledged anywhere before the call. Servers await it once per request,
   * before the first read(). A file store needs none: its read() checks the file itself.
   */
  refresh?(): Promise<void>;
  /**
   * The current state. Cheap enough to call per request: a file store first picks up
   * what another process (the CLI) committed since the last call. Never mutate it.
   * Collections are null-prototype objects (so an id like `__proto__` is just a key): use
   * `Object.hasOwn`, `Object.keys`/`entries`; compare with literals via a JSON copy.
   * Later commits change the collections in place, so re-read rather than keep it.
   */
  read(): Readonly<Data>;
  /**
   * Runs `fn` against the latest state, exclusively across processes, and persists its
   * changes before resolving. If `fn` throws, nothing is written and the error propagates.
   * Concurrent calls may be committed together in one write (group commit).
   * `fn` runs after this call returns, in call order, and must be synchronous (a returned
   * promise is rejected). Values put are stored as copies of their JSON.
   */
  update<T>(fn: (tx: Tx) => T): Promise<T>;
  /** Drops expired codes, grants, sessions and denylist entries (`now` in epoch seconds). */
  prune(now: number): Promise<number>;
  /** Replaces everything with `data` (reset/reseed). */
  replace(data: Data): Promise<void>;
  /** Flushes and releases files; the store is unusable afterwards. */
  close(): Promise<void>;
}
