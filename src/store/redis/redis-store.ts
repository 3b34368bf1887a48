// A store in Redis, shared by any number of server replicas and CLI commands. Each process keeps
// a mirror of the state (read() stays synchronous and free) that only ever moves along Redis's
// commit log, entry by entry in log order: refresh() (once per request) asks Redis, in one script
// call, for the entries since the mirror's position; update() runs its callbacks on the mirror,
// noting which records they read, and commits their ops with that position and those records.
// Redis refuses the commit if another process wrote one of those records in between (optimistic
// concurrency, like WATCH/MULTI but in one round trip and per record), and the callbacks rerun on
// the newer state. All calls share one connection, whose replies come back in the order the calls
// were sent: that order is what keeps the mirror consistent without a lock. The mirror never holds
// an uncommitted change, and a request that starts after a commit was acknowledged anywhere sees it.
import { randomBytes } from 'node:crypto';
import { emptyData } from '../../core/types.js';
import type { Data } from '../../core/types.js';
import { TemporarilyUnavailable } from '../../errors.js';
import { GroupCommit } from '../group-commit.js';
import { findExpired } from '../prune.js';
import { applyOps, COLLECTIONS, parseOps, runBatch, toState } from '../tx.js';
import type { Job, Op } from '../tx.js';
import type { Store, Tx } from '../types.js';
import { RedisLink } from './link.js';
import { COMMIT, EXPIRING, ORDERED, REPLACE, SNAPSHOT, SYNC } from './scripts.js';

// Every collection must have a place in Redis: a new one added to the store fails here, loudly.
for (const c of COLLECTIONS) {
  if (!(ORDERED as readonly string[]).includes(c) && !(EXPIRING as readonly string[]).includes(c))
    throw new Error(`the Redis store has no place for the collection "${c}" (src/store/redis/scripts.ts)`);
}

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
  /** Commits and replaces, one at a time: each batch runs on the state the previous one left. */
  readonly #batches = new GroupCommit((jobs) => this.#commit(jobs));
  /** The refresh that callers join until it is sent (the end of the current tick). */
  #nextSync: Promise<void> | undefined;
  /** The batch that update() calls join until its commit starts. */
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

  /** Brings read() up to every commit acknowledged (anywhere) before this call. */
  refresh(): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('store is closed'));
    // Callers in the same tick share one call: it is sent after all of them were made.
    return (this.#nextSync ??= Promise.resolve().then(() => {
      this.#nextSync = undefined;
      return this.#sync();
    }));
  }

  update<T>(fn: (tx: Tx) => T): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('store is closed'));
    return new Promise<T>((resolve, reject) => {
      const job: Job = { fn, resolve: resolve, reject };
      this.#batches.add(job);
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
    this.#batches.cut();
    await this.#batches.serial(() => this.#write(next, false));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#batches.cut();
    await Promise.allSettled([this.#batches.drained(), this.#nextSync]);
    await this.#link.close();
  }

  /** Group commit: every job queued meanwhile, in one script call (rerun on a conflict). */
  async #commit(jobs: Job[]): Promise<void> {
    this.#batches.take(jobs);
    for (let attempt = 1; ; attempt++) {
      const touched = new Set<string>();
      const batch = runBatch(tracking(this.#state, touched), jobs);
      // Out of the mirror until Redis has it: no read() sees an uncommitted change.
      batch.undo();
      const line = `{"ops":[${batch.ops.join(',')}]}`;
      const ops = parseOps(line);
      const tag = newId();
      let reply: Reply;
      try {
        reply = await this.#link.eval(COMMIT, [
          this.#prefix,
          this.#gen,
          String(this.#seq),
          this.#tag,
          String(MAX_CATCH_UP),
          tag,
          line,
          this.#logLength,
          String(touched.size),
          ...touched,
          ...opArgs(ops),
        ]);
      } catch (error) {
        batch.fail(error);
        return;
      }
      if (reply?.[0] === 'ok') {
        // First what others committed meanwhile (none of it touched what we read), then ours.
        const seq = Number(reply[1]);
        let inOrder = this.#apply(Number(reply[2]), reply.slice(3));
        if (inOrder && ops.length > 0) {
          if (this.#seq === seq - 1) {
            applyOps(this.#state, ops);
            [this.#seq, this.#tag] = [seq, tag];
          } else inOrder = this.#seq >= seq;
        }
        batch.settle();
        if (!inOrder) await this.#reload().catch(() => {});
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

  async #sync(): Promise<void> {
    await this.#follow(await this.#link.eval(SYNC, [this.#prefix, this.#gen, String(this.#seq), this.#tag, String(MAX_CATCH_UP)]));
    if (Date.now() - this.#evictedAt > EVICT_EVERY_MS) this.#evict(Math.floor(Date.now() / 1000) - EXPIRY_GRACE);
  }

  /** Acts on a SYNC-style reply: apply the entries it carries, or reload. */
  async #follow(reply: Reply): Promise<void> {
    const kind = reply?.[0];
    if (kind === 'k') return;
    if (kind === 'e' && reply && this.#apply(Number(reply[2]), reply.slice(3))) return;
    if (!(await this.#reload())) {
      throw new TemporarilyUnavailable(
        `${this.location} holds no oauth-mock store any more (was Redis flushed, or restarted without persistence?); run \`oauth-mock reset --store ...\` and restart the servers`,
      );
    }
  }

  /**
   * Applies log entries (tag, line pairs) numbered from `first`: those the mirror has not seen
   * yet, in order. An answer to an earlier call may carry entries already applied. False on a gap.
   */
  #apply(first: number, pairs: Reply[] | Array<string | number | Reply>): boolean {
    for (let i = 0; i < pairs.length; i += 2) {
      const seq = first + i / 2;
      if (seq <= this.#seq) continue;
      if (seq !== this.#seq + 1) return false;
      applyOps(this.#state, parseOps(String(pairs[i + 1])));
      [this.#seq, this.#tag] = [seq, String(pairs[i])];
    }
    return true;
  }

  /** Replaces the mirror with everything in Redis; false if nothing is stored there. */
  async #reload(): Promise<boolean> {
    const reply = await this.#link.eval(SNAPSHOT, [this.#prefix]);
    if (!reply) return false;
    // Replies come in call order, so this snapshot is newer than anything applied so far.
    const [gen, seq, tag, ...named] = reply;
    const raw: Record<string, unknown> = {};
    for (let i = 0; i < named.length; i += 2) {
      const flat = named[i + 1] as string[];
      const record: Record<string, unknown> = {};
      for (let j = 0; j < flat.length; j += 2)
        Object.defineProperty(record, flat[j] as string, { value: JSON.parse(flat[j + 1] as string), enumerable: true, writable: true, configurable: true });
      raw[String(named[i])] = record;
    }
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

/**
 * `state` as a transaction sees it, noting each record read or written (`users:alice`), a whole
 * collection listed (`users*`) and meta (`meta`): what Redis checks a commit against.
 */
function tracking(state: Data, touched: Set<string>): Data {
  const views = new Map<string, object>();
  for (const c of COLLECTIONS) {
    const note = (id: string | symbol): void => void (typeof id === 'string' && touched.add(`${c}:${id}`));
    views.set(
      c,
      new Proxy(state[c], {
        get: (target, id): unknown => (note(id), Reflect.get(target, id)),
        has: (target, id) => (note(id), Reflect.has(target, id)),
        getOwnPropertyDescriptor: (target, id) => (note(id), Reflect.getOwnPropertyDescriptor(target, id)),
        ownKeys: (target) => (touched.add(`${c}*`), Reflect.ownKeys(target)),
      }),
    );
  }
  return new Proxy(state, {
    get(target, key): unknown {
      if (key === 'meta') touched.add('meta');
      return views.get(key as string) ?? (Reflect.get(target, key) as unknown);
    },
  });
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
  if (!(EXPIRING as readonly string[]).includes(collection)) return '';
  // A denylist entry is its expiry; every other expiring record carries `expires_at`.
  const at = collection === 'denylist' ? value : (value as { expires_at?: unknown } | null)?.expires_at;
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
