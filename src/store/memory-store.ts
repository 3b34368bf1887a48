// A store that lives in this process only (tests, `--in-memory`). It shares the transaction
// code with the file store, so both behave the same apart from persistence.
import { emptyData } from '../core/types.js';
import type { Data } from '../core/types.js';
import { pruneStore } from './prune.js';
import { runBatch, toState } from './tx.js';
import type { Job } from './tx.js';
import type { Store, Tx } from './types.js';

class MemoryStore implements Store {
  readonly path = null;
  #state: Data;
  #queue: Job[] = [];
  #closed = false;

  constructor(initial: Data) {
    this.#state = toState(initial);
  }

  read(): Readonly<Data> {
    this.#assertOpen();
    return this.#state;
  }

  update<T>(fn: (tx: Tx) => T): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('store is closed'));
    return new Promise<T>((resolve, reject) => {
      // Callbacks run a microtask later, in call order, like the file store's group commit:
      // an update() made inside a callback therefore runs after it, never nested in it.
      const job: Job = { fn, resolve, reject };
      if (this.#queue.push(job) === 1) queueMicrotask(() => this.#flush());
    });
  }

  prune(now: number): Promise<number> {
    return pruneStore(this, now);
  }

  async replace(data: Data): Promise<void> {
    const next = toState(data);
    // A queued job, so updates made before it land under it and later ones on top of it.
    await this.update(() => void Object.assign(this.#state, next));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    const drained = this.update(() => undefined);
    this.#closed = true;
    await drained;
  }

  #flush(): void {
    runBatch(this.#state, this.#queue.splice(0)).settle();
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('store is closed');
  }
}

/** An in-process store, starting from a copy of `initial` (empty by default). */
export function createMemoryStore(initial: Data = emptyData()): Store {
  return new MemoryStore(initial);
}
