// A store in Redis, shared by any number of server replicas and CLI commands. Each process keeps
// a mirror of the state (read() stays synchronous and free) that only ever moves along Redis's
// commit log: refresh() (once per request) asks Redis, in one script call, for the entries since
// the mirror's position; update() runs its callbacks on the mirror and commits their ops with
// that position, and Redis refuses the commit if anyone committed in between (optimistic
// concurrency, like WATCH/MULTI but in one round trip), so the callbacks rerun on the newer state.
// Every Redis call of one process goes through one queue: the mirror never sees uncommitted
// changes, and a request that starts after a commit was acknowledged anywhere sees that commit.
import { randomBytes } from 'node:crypto';
import { emptyData } from '../../core/types.js';
import type { Data } from '../../core/types.js';
import { TemporarilyUnavailable } from '../../errors.js';
import { findExpired } from '../prune.js';
import { applyOps, COLLECTIONS, parseOps, runBatch, toState } from '../tx.js';
import type { Job, Op } from '../tx.js';
import type { Store, Tx } from '../types.js';
import { RedisLink } from './link.js';
import { COMMIT, REPLACE, SNAPSHOT, SYNC } from './scripts.js';

export interface RedisStoreOptions {
  /** `redis://[user:pass@]host:port/db` (or `rediss://`). */
  url: string;
  /** Names the keys (`oauth-mock:<namespace>:...`): the issuer, so two mocks can share one Redis. */
  namespace: string;
  /** The data of a new (or reset) store; default empty. */
  seed?: () => Data;
  /** Start over from `seed()` (`--reset`). */
  reset?: boolean;
  /** Log entries kept for replicas that fell behind (default 10 000; older ones reload). */
  logLength?: number;
}

/** Seconds a record outlives its `expires_at` in Redis, so clocks a little apart never disagree. */
export const EXPIRY_GRACE = 60;
/** Attempts of one commit against other processes' commits before it gives up. */
const MAX_ATTEMPTS = 100;
/** How far behind a mirror may be and still catch up from the log rather than reload. */
const MAX_CATCH_UP = 1000;
/** How often the mirror drops records Redis has expired (Redis expires its own copies). */
const EVICT_EVERY_MS = 30_000;

const newId = (): string => randomBytes(9).toString('base64url');

type Reply = Array<string | number | Reply> | null;

class RedisStore implements Store {
  readonly path = null;
  readonly location: string;
  readonly expiresRecords = true;
  readonly #link: RedisLink;
  readonly #prefix: string;
  readonly #logLength: string;
  #state: Data = emptyData();
  #gen = '';
  #seq = 0;
  #tag = '';
  /** Every Redis call of this process, in order. */
  #chain: Promise<unknown> = Promise.resolve();
  /** The refresh that callers join until it starts. */
  #nextSync: Promise<void> | undefined;
  /** The batch that update() calls join until its commit starts. */
  #pending: Job[] | undefined;
  #evictedAt = Date.now();
  #closed = false;

  constructor(link: RedisLink, namespace: string, logLength: number) {
    this.#link = link;
    this.location = `${link.description} (keys oauth-mock:${namespace}:*)`;
    this.#prefix = `oauth-mock:${namespace}:`;
    this.#logLength = String(logLength);
  }

  async init(opts: RedisStoreOptions): Promise<void> {
    const seed = (): Data => toState(opts.seed?.() ?? emptyData(), 'seed');
    if (opts.reset) await this.#write(seed(), false);
    else if (!(await this.#reload())) {
      // Only-if-new: of replicas starting together, one seeds and the others load its data.
      await this.#write(seed(), true);
      if (!(await this.#reload())) throw new Error(`${this.location}: the store vanished while it was being created`);
    }
  }

  read(): Readonly<Data> {
    if (this.#closed) throw new Error('store is closed');
    return this.#state;
  }

  /** Brings read() up to every commit acknowledged before this call. */
  refresh(): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('store is closed'));
    // Joining a refresh that has not been sent yet still sees everything committed before now.
    return (this.#nextSync ??= this.#serial(async () => {
      this.#nextSync = undefined;
      await this.#catchUp();
    }));
  }

  update<T>(fn: (tx: Tx) => T): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('store is closed'));
    return new Promise<T>((resolve, reject) => {
      const job: Job = { fn, resolve: resolve as (value: unknown) => void, reject };
      (this.#pending ?? this.#newBatch()).push(job);
    });
  }

  /** Redis expires codes, grants and denylist entries by itself; this only drops them from the mirror. */
  prune(now: number): Promise<number> {
    return Promise.resolve(this.#evict(now));
  }

  async replace(data: Data): Promise<void> {
    if (this.#closed) throw new Error('store is closed');
    const next = toState(data);
    // Updates made after this call must land on the new data, so they start a new batch.
    this.#pending = undefined;
    await this.#serial(() => this.#write(next, false));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#pending = undefined;
    await this.#chain;
    await this.#link.close();
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(task);
    this.#chain = run.catch(() => {});
    return run;
  }

  #newBatch(): Job[] {
    const jobs: Job[] = [];
    this.#pending = jobs;
    this.#serial(() => this.#commit(jobs)).catch((error: unknown) => {
      if (this.#pending === jobs) this.#pending = undefined;
      for (const job of jobs) job.reject(error);
    });
    return jobs;
  }

  /** Group commit: every job queued meanwhile, in one script call (retried on conflict). */
  async #commit(jobs: Job[]): Promise<void> {
    if (this.#pending === jobs) this.#pending = undefined;
    for (let attempt = 1; ; attempt++) {
      const batch = runBatch(this.#state, jobs);
      // Out of the mirror until Redis has it: no read() sees an uncommitted change.
      batch.undo();
      const ops = parseOps(`{"ops":[${batch.ops.join(',')}]}`);
      const tag = newId();
      let reply: Reply;
      try {
        reply = await this.#link.eval(COMMIT, [
          this.#prefix, this.#gen, String(this.#seq), this.#tag, String(MAX_CATCH_UP),
          tag, `{"ops":[${batch.ops.join(',')}]}`, this.#logLength, ...opArgs(ops),
        ]);
      } catch (error) {
        batch.fail(error);
        return;
      }
      if (reply?.[0] === 'ok') {
        if (ops.length > 0) {
          applyOps(this.#state, ops);
          this.#seq = Number(reply[1]);
          this.#tag = tag;
        }
        batch.settle();
        return;
      }
      if (attempt === MAX_ATTEMPTS) {
        batch.fail(new TemporarilyUnavailable(`${this.location}: gave up after ${MAX_ATTEMPTS} commits conflicting with other processes`));
        return;
      }
      try {
        await this.#follow(reply);
      } catch (error) {
        batch.fail(error);
        return;
      }
    }
  }

  async #catchUp(): Promise<void> {
    await this.#follow(await this.#link.eval(SYNC, [this.#prefix, this.#gen, String(this.#seq), this.#tag, String(MAX_CATCH_UP)]));
    if (Date.now() - this.#evictedAt > EVICT_EVERY_MS) this.#evict(Math.floor(Date.now() / 1000) - EXPIRY_GRACE);
  }

  /** Acts on a SYNC-style reply: apply the entries it carries, or reload. */
  async #follow(reply: Reply): Promise<void> {
    const kind = reply?.[0];
    if (kind === 'k') return;
    if (kind === 'e' && reply) {
      for (let i = 2; i < reply.length; i += 2) {
        applyOps(this.#state, parseOps(String(reply[i + 1])));
        this.#seq++;
        this.#tag = String(reply[i]);
      }
      return;
    }
    if (!(await this.#reload())) {
      throw new TemporarilyUnavailable(`${this.location} holds no oauth-mock store any more (was Redis flushed, or restarted without persistence?); run \`oauth-mock reset --store ...\` and restart the servers`);
    }
  }

  /** Replaces the mirror with everything in Redis; false if nothing is stored there. */
  async #reload(): Promise<boolean> {
    const reply = await this.#link.eval(SNAPSHOT, [this.#prefix]);
    if (!reply) return false;
    const [gen, seq, tag, ...collections] = reply;
    const raw: Record<string, unknown> = {};
    ['meta', ...COLLECTIONS].forEach((name, i) => {
      const flat = collections[i] as string[];
      const record: Record<string, unknown> = {};
      for (let j = 0; j < flat.length; j += 2) Object.defineProperty(record, flat[j] as string, { value: JSON.parse(flat[j + 1] as string), enumerable: true, writable: true, configurable: true });
      raw[name] = record;
    });
    this.#state = toState(raw, this.location);
    [this.#gen, this.#seq, this.#tag] = [String(gen), Number(seq), String(tag)];
    this.#evictedAt = Date.now();
    return true;
  }

  /** Writes `data` as a new generation (reset), or only if nothing is stored yet (`onlyIfNew`). */
  async #write(data: Data, onlyIfNew: boolean): Promise<void> {
    const [gen, tag] = [newId(), newId()];
    const ops: Op[] = Object.entries(data.meta).map(([key, value]) => ['m', key, value]);
    for (const c of COLLECTIONS) for (const [id, value] of Object.entries(data[c])) ops.push(['p', c, id, value]);
    const wrote = await this.#link.eval(REPLACE, [this.#prefix, gen, tag, onlyIfNew ? '1' : '0', ...opArgs(ops)]);
    if (Number(wrote) === 1) {
      this.#state = toState(data);
      [this.#gen, this.#seq, this.#tag] = [gen, 0, tag];
    }
  }

  #evict(now: number): number {
    const expired = findExpired(this.#state, now);
    for (const [collection, id] of expired) delete (this.#state[collection] as Record<string, unknown>)[id];
    this.#evictedAt = Date.now();
    return expired.length;
  }
}

/** Five script arguments per op (see APPLY in scripts.ts); the expiring ones carry their EXAT. */
function opArgs(ops: readonly Op[]): string[] {
  const args: string[] = [];
  for (const op of ops) {
    if (op[0] === 'm') {
      args.push(op.length === 3 && op[2] !== undefined ? 'p' : 'd', 'meta', op[1], op[2] === undefined ? '' : JSON.stringify(op[2]), '');
    } else if (op[0] === 'd') {
      args.push('d', op[1], op[2], '', '');
    } else {
      const [, collection, id, value] = op;
      args.push('p', collection, id, JSON.stringify(value), expireAt(collection, value));
    }
  }
  return args;
}

/** The second Redis drops a record at: after nothing issued from it can be valid. */
function expireAt(collection: string, value: unknown): string {
  const at = collection === 'denylist' ? value : collection === 'codes' || collection === 'grants' ? (value as { expires_at?: unknown }).expires_at : undefined;
  if (typeof at !== 'number' || !Number.isFinite(at)) return '';
  return String(Math.max(1, Math.floor(at) + EXPIRY_GRACE));
}

/**
 * Connects to Redis and opens the store under `oauth-mock:<namespace>:`, seeding it when it is
 * new. Redis unreachable: rejects with one line that says so.
 */
export async function openRedisStore(opts: RedisStoreOptions): Promise<Store> {
  const link = await RedisLink.connect(opts.url);
  const store = new RedisStore(link, opts.namespace, opts.logLength ?? 10_000);
  try {
    await store.init(opts);
  } catch (error) {
    await link.close();
    throw error;
  }
  return store;
}
