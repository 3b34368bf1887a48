// A store in a snapshot file plus an append-only journal, shared by several processes (the
// server and CLI commands). Every commit appends one line under a cross-process lock; reads
// pick up other processes' lines with one stat; compaction folds the journal into a new
// snapshot once the journal outgrows it, so its cost stays O(1) per op amortized.
// The design, each crash point and the lock protocol: docs/store.md.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { storeAccessError } from './errors.js';
import { emptyData } from '../core/types.js';
import type { Data } from '../core/types.js';
import { Journal, journalPath } from './journal.js';
import { loadFiles } from './load.js';
import { withLock } from './lock.js';
import { pruneStore } from './prune.js';
import { GroupCommit } from './group-commit.js';
import { generationOnDisk, snapshotId, writeGeneration } from './snapshot.js';
import type { Snapshot } from './snapshot.js';
import { applyOps, parseOps, runBatch, toState } from './tx.js';
import type { Job } from './tx.js';
import type { Store, Tx } from './types.js';

export interface FileStoreOptions {
  /** The data of a new store (default: empty). */
  seed?: (() => Data) | undefined;
  /** Start over from `seed()` even if the file exists (`--reset`). */
  reset?: boolean | undefined;
  /** Compact once the journal exceeds max(this, snapshot size) bytes (default 1 MiB). */
  compactAt?: number | undefined;
}

class FileStore implements Store {
  readonly path: string;
  #compactAt: number;
  #state: Data = emptyData();
  #generation = -1;
  #snapshotBytes = 0;
  #snapshotInLines = true;
  #snapshotId = '';
  #journal: Journal | undefined;
  /** The batch that later update() calls join, until its commit takes the lock. */
  /** Serializes this process's critical sections; the lock serializes processes. */
  readonly #batches = new GroupCommit((jobs) => this.#commit(jobs));
  #closed = false;

  constructor(path: string, compactAt: number) {
    this.path = path;
    this.#compactAt = compactAt;
  }

  async init(opts: FileStoreOptions): Promise<void> {
    if (statSync(this.path, { throwIfNoEntry: false })?.isDirectory()) {
      throw new Error(`the store path ${this.path} is a directory; give a file inside it, e.g. --db ${join(this.path, 'db.json')}`);
    }
    try {
      mkdirSync(dirname(this.path), { recursive: true });
    } catch (error) {
      throw storeAccessError(error, this.path);
    }
    if (!opts.reset && existsSync(this.path) && existsSync(journalPath(this.path))) {
      // Opening an existing store only reads it, like read() does (a compaction under way is
      // handled there), so a terminal command that only reads never waits for the lock. Repairs
      // (a missing journal, a torn last line) happen under the lock, here or at the next commit.
      this.#catchUp(false);
      return;
    }
    await this.#batches.serial(() =>
      withLock(this.path, async (assertHeld) => {
        if (opts.reset || !existsSync(this.path)) {
          // Never over an existing file unless asked: a corrupt one fails in #load instead.
          const generation = opts.reset ? generationOnDisk(this.path) + 1 : 1;
          assertHeld();
          await writeGeneration(this.path, toState(opts.seed?.() ?? emptyData(), 'seed'), generation);
        }
        this.#catchUp(true);
      }),
    );
  }

  read(): Readonly<Data> {
    if (this.#closed) throw new Error('store is closed');
    this.#catchUp(false);
    return this.#state;
  }

  update<T>(fn: (tx: Tx) => T): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('store is closed'));
    return new Promise<T>((resolve, reject) => {
      const job: Job = { fn, resolve, reject };
      this.#batches.add(job);
    });
  }

  prune(now: number): Promise<number> {
    return pruneStore(this, now);
  }

  async replace(data: Data): Promise<void> {
    if (this.#closed) throw new Error('store is closed');
    const next = toState(data);
    // Updates made after this call must land on the new data, so they start a new batch.
    this.#batches.cut();
    return this.#batches.serial(() =>
      withLock(this.path, async (assertHeld) => {
        this.#catchUp(true);
        assertHeld();
        await this.#startGeneration(next, this.#generation + 1);
      }),
    );
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#batches.cut();
    await this.#batches.drained();
    this.#journal?.close();
    this.#journal = undefined;
  }

  /** Group commit: one lock, one catch-up and one append for every job queued meanwhile. */
  #commit(jobs: Job[]): Promise<void> {
    return withLock(this.path, async (assertHeld) => {
      // From here on, new update() calls start the next batch.
      this.#batches.take(jobs);
      this.#catchUp(true);
      // Synchronous from here to the append: no read() can see uncommitted changes.
      const batch = runBatch(this.#state, jobs);
      try {
        assertHeld();
        if (batch.ops.length > 0) this.#journal?.append(`{"ops":[${batch.ops.join(',')}]}\n`);
      } catch (error) {
        batch.fail(error);
        return;
      }
      batch.settle();
      // A snapshot in an earlier version's layout is rewritten at the first commit that wrote
      // (so the store is writable): from then on it is read a line at a time.
      const journalBytes = this.#journal?.bytes ?? 0;
      if (journalBytes > Math.max(this.#compactAt, this.#snapshotBytes) || (!this.#snapshotInLines && batch.ops.length > 0)) {
        // Let the callers just resolved carry on first; the lock is still held.
        await new Promise((resolve) => setImmediate(resolve));
        try {
          assertHeld();
          await this.#startGeneration(this.#state, this.#generation + 1);
        } catch (error) {
          // The commits are safe in the journal; a later commit retries the compaction.
          process.emitWarning(`oauth-mock store: compaction of ${this.path} failed: ${String(error)}`);
        }
      }
    });
  }

  /** Under the lock: writes `data` as snapshot `generation` with an empty journal. */
  async #startGeneration(data: Data, generation: number): Promise<void> {
    const bytes = await writeGeneration(this.path, data, generation);
    const journal = Journal.open(journalPath(this.path));
    this.#use(journal, { generation, data, bytes, inLines: true, id: snapshotId(this.path) });
  }

  /** Brings the state up to what is on disk. `locked`: we hold the lock and may repair. */
  #catchUp(locked: boolean): void {
    const journal = this.#journal;
    let current: boolean;
    // Under the lock, also notice a snapshot replaced without its journal (a compaction that
    // died midway): appending to the old journal then would lose the commit.
    if (!journal || (locked && snapshotId(this.path) !== this.#snapshotId)) current = false;
    else if (journal.generation === this.#generation) current = journal.poll((line) => applyOps(this.#state, parseOps(line)));
    // An older journal beside a newer snapshot (see loadFiles): only its replacement matters.
    else current = !locked && !journal.replaced();
    if (!current) this.#load(locked);
    if (locked) this.#journal?.truncateTail();
  }

  #load(locked: boolean): void {
    const { journal, snapshot } = loadFiles(this.path, locked);
    this.#use(journal, snapshot);
  }

  #use(journal: Journal, snapshot: Snapshot): void {
    if (this.#journal !== journal) this.#journal?.close();
    this.#journal = journal;
    this.#state = snapshot.data;
    this.#generation = snapshot.generation;
    this.#snapshotBytes = snapshot.bytes;
    this.#snapshotInLines = snapshot.inLines;
    this.#snapshotId = snapshot.id;
  }
}

/**
 * Opens (creating it and its directory if needed) the store at `path`: a snapshot `path` and
 * a journal `path.log`. A new or reset store starts from `seed()`. A snapshot that is not
 * valid JSON is an error, never overwritten.
 */
export async function openFileStore(path: string, opts: FileStoreOptions = {}): Promise<Store> {
  const store = new FileStore(resolve(path), opts.compactAt ?? 1 << 20);
  await store.init(opts);
  return store;
}
