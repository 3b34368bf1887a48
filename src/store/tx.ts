// The transaction logic both stores share: applying changes to an in-memory Data in place,
// undoing them when a callback throws, and encoding them as journal ops. See docs/store.md.
import type { Collection, Data, Meta } from '../core/types.js';
import type { Tx } from './types.js';

export const COLLECTIONS: readonly Collection[] = ['users', 'clients', 'codes', 'grants', 'denylist', 'sessions'];
const isCollection = (c: unknown): c is Collection => COLLECTIONS.includes(c as Collection);

/**
 * A journal op, as JSON: `["p", collection, id, value]` (put), `["d", collection, id]`
 * (delete), `["m", key, value]` or `["m", key]` (set or clear a meta key).
 */
export type Op = ['p', Collection, string, unknown] | ['d', Collection, string] | ['m', string, unknown?];

/**
 * Copies `data` (JSON round trip, so the state holds exactly what the file will) into the
 * internal shape: collections have a null prototype, so an id such as `__proto__` or
 * `constructor` is an ordinary own key and an absent one reads as undefined.
 */
export function toState(data: unknown, what = 'store data'): Data {
  return normalize(JSON.parse(JSON.stringify(data ?? null)), what);
}

/** Like `toState` for a value fresh from JSON.parse, which need not be copied again. */
export function normalize(raw: unknown, what: string): Data {
  if (!isObject(raw)) throw new Error(`${what} is not a JSON object`);
  // Refused rather than dropped: the next compaction would lose them (a newer version's
  // collection, or a file that is not an oauth-mock store at all).
  const unknown = Object.keys(raw).filter((key) => key !== 'meta' && !isCollection(key));
  if (unknown.length > 0) throw new Error(`${what} has unknown top-level keys: ${unknown.join(', ')}`);
  const meta = raw['meta'] ?? { schema: 1 };
  if (!isObject(meta)) throw new Error(`${what}: "meta" is not an object`);
  const state = { meta: meta as unknown as Meta } as Data;
  for (const c of COLLECTIONS) {
    const src = raw[c] ?? {};
    if (!isObject(src)) throw new Error(`${what}: "${c}" is not an object`);
    // Object.assign defines own keys on a null-prototype target, `__proto__` included. A
    // collection that already has a null prototype (a snapshot read in lines) is taken as is.
    (state as unknown as Record<string, unknown>)[c] = Object.getPrototypeOf(src) === null ? src : Object.assign(Object.create(null), src);
  }
  return state;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses one journal line into its ops, checking all of them before any is applied. */
export function parseOps(line: string): Op[] {
  const parsed: unknown = JSON.parse(line);
  const ops = isObject(parsed) ? parsed['ops'] : undefined;
  if (!Array.isArray(ops)) throw new Error('journal line has no "ops" array');
  for (const op of ops) {
    const fields: unknown[] = Array.isArray(op) ? op : [];
    const [kind, a, b] = fields;
    const ok =
      kind === 'm'
        ? typeof a === 'string' && fields.length <= 3
        : isCollection(a) && typeof b === 'string' && (kind === 'd' || (kind === 'p' && fields.length === 4));
    if (!ok) throw new Error(`bad journal op ${JSON.stringify(op)}`);
  }
  return ops as Op[];
}

/** Applies ops that `parseOps` accepted. */
export function applyOps(state: Data, ops: readonly Op[]): void {
  for (const op of ops) {
    if (op[0] === 'm') setMetaKey(state, op[1], op[2]);
    else if (op[0] === 'd') delete (state[op[1]] as Record<string, unknown>)[op[2]];
    else (state[op[1]] as Record<string, unknown>)[op[2]] = op[3];
  }
}

function setMetaKey(state: Data, key: string, value: unknown): void {
  // Meta is replaced, never mutated, like every record; a computed key is always an own key.
  const next: Record<string, unknown> = { ...state.meta, [key]: value };
  if (value === undefined) delete next[key];
  state.meta = next as unknown as Meta;
}

/** Thrown by `tx.fail`: the batch commits the transaction, then rejects its job with `error`. */
class CommitThenFail extends Error {
  constructor(readonly error: Error) {
    super('tx.fail', { cause: error });
  }
}

/** Applies changes to the live state as they are made and can undo them. */
class Transaction implements Tx {
  readonly data: Data;
  readonly ops: string[] = [];
  #undo: Array<() => void> = [];
  #open = true;

  constructor(state: Data) {
    this.data = state;
  }

  put<C extends Collection>(collection: C, id: string, value: Data[C][string]): void {
    this.#check(collection, id);
    const json = JSON.stringify(value) as string | undefined;
    if (json === undefined) throw new TypeError(`put ${collection}/${id}: value is not JSON`);
    // Stored as parsed from its JSON, so later mutation of `value` cannot change the state.
    this.#remember(collection, id);
    (this.data[collection] as Record<string, unknown>)[id] = JSON.parse(json);
    this.ops.push(`["p",${JSON.stringify(collection)},${JSON.stringify(id)},${json}]`);
  }

  delete(collection: Collection, id: string): void {
    this.#check(collection, id);
    const coll = this.data[collection] as Record<string, unknown>;
    if (!Object.hasOwn(coll, id)) return;
    this.#remember(collection, id);
    delete coll[id];
    this.ops.push(`["d",${JSON.stringify(collection)},${JSON.stringify(id)}]`);
  }

  setMeta<K extends keyof Meta>(key: K, value: Meta[K]): void {
    if (!this.#open) throw new Error('transaction is over: update() callbacks must be synchronous');
    const json = value === undefined ? undefined : JSON.stringify(value);
    const prev = this.data.meta;
    this.#undo.push(() => (this.data.meta = prev));
    setMetaKey(this.data, key, json === undefined ? undefined : JSON.parse(json));
    const k = JSON.stringify(key);
    this.ops.push(json === undefined ? `["m",${k}]` : `["m",${k},${json}]`);
  }

  fail(error: Error): never {
    throw new CommitThenFail(error);
  }

  /** Ends the transaction; later calls on it throw. */
  end(): void {
    this.#open = false;
  }

  rollback(): void {
    this.end();
    for (const undo of this.#undo.reverse()) undo();
    this.#undo = [];
  }

  #check(collection: unknown, id: unknown): void {
    if (!this.#open) throw new Error('transaction is over: update() callbacks must be synchronous');
    if (!isCollection(collection)) throw new TypeError(`unknown collection ${String(collection)}`);
    if (typeof id !== 'string') throw new TypeError(`${collection}: id must be a string`);
  }

  #remember(collection: Collection, id: string): void {
    const coll = this.data[collection] as Record<string, unknown>;
    const had = Object.hasOwn(coll, id);
    const prev = coll[id];
    this.#undo.push(() => {
      if (had) coll[id] = prev;
      else delete coll[id];
    });
  }
}

export interface Job {
  fn: (tx: Tx) => unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export interface Batch {
  /** The ops of every callback that returned, in order. */
  ops: string[];
  /** Resolves or rejects every job; call once the ops are durable. */
  settle(): void;
  /** Undoes every applied callback and rejects every job with `error` (the write failed). */
  fail(error: unknown): void;
  /**
   * Undoes every applied callback without settling: a store that commits elsewhere (Redis)
   * keeps uncommitted changes out of read(), then settles, fails, or reruns the jobs.
   */
  undo(): void;
}

/**
 * Runs queued callbacks in order against `state`, each seeing the ones before it. A callback
 * that throws is undone alone; the others stand.
 */
export function runBatch(state: Data, jobs: Job[]): Batch {
  const ops: string[] = [];
  const applied: Transaction[] = [];
  // `committed`: its changes are in `ops` (it returned, or called tx.fail); `ok`: it resolves.
  const outcomes: Array<{ job: Job; ok: boolean; committed: boolean; result: unknown }> = [];
  for (const job of jobs) {
    const tx = new Transaction(state);
    try {
      const value = job.fn(tx);
      if (isThenable(value)) {
        // Its changes after the first await would be silently lost: refuse it outright.
        value.then(undefined, () => {});
        throw new TypeError('update() callbacks must be synchronous (got a promise)');
      }
      tx.end();
      applied.push(tx);
      ops.push(...tx.ops);
      outcomes.push({ job, ok: true, committed: true, result: value });
    } catch (error) {
      if (error instanceof CommitThenFail) {
        tx.end();
        applied.push(tx);
        ops.push(...tx.ops);
        outcomes.push({ job, ok: false, committed: true, result: error.error });
      } else {
        tx.rollback();
        outcomes.push({ job, ok: false, committed: false, result: error });
      }
    }
  }
  // A rolled-back transaction has nothing left to undo, so a second call changes nothing.
  const undo = (): void => {
    for (const tx of [...applied].reverse()) tx.rollback();
  };
  return {
    ops,
    undo,
    settle() {
      for (const { job, ok, result } of outcomes) {
        if (ok) job.resolve(result);
        else job.reject(result);
      }
    },
    fail(error) {
      undo();
      for (const { job, committed, result } of outcomes) job.reject(committed ? error : result);
    },
  };
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}
