// Group commit, shared by the file store and the Redis store: update() calls made while a
// commit is queued or running join one batch, committed together (one lock and one append, or
// one script call), and every store task runs one after another. See docs/store.md.
import type { Job } from './tx.js';

export class GroupCommit {
  readonly #commit: (jobs: Job[]) => Promise<void>;
  #chain: Promise<unknown> = Promise.resolve();
  /** The batch that new jobs join; undefined once its commit has taken it (or a reset cut it). */
  #pending: Job[] | undefined;

  /** `commit(jobs)` calls `take(jobs)` once it holds what makes the batch exclusive. */
  constructor(commit: (jobs: Job[]) => Promise<void>) {
    this.#commit = commit;
  }

  /** Queues `job` in the open batch, or opens one whose commit runs after every earlier task. */
  add(job: Job): void {
    if (this.#pending) {
      this.#pending.push(job);
      return;
    }
    const jobs: Job[] = [job];
    this.#pending = jobs;
    this.serial(() => this.#commit(jobs)).catch((error: unknown) => {
      // The commit could not start (e.g. the lock could not be had): nothing ran, every job fails.
      this.take(jobs);
      for (const queued of jobs) queued.reject(error);
    });
  }

  /** Closes `jobs` to new jobs (a commit calls it when it starts): later update() calls open the next batch. */
  take(jobs: Job[]): void {
    if (this.#pending === jobs) this.#pending = undefined;
  }

  /** Closes the open batch, if any: updates made after this call land on what comes next (reset, close). */
  cut(): void {
    this.#pending = undefined;
  }

  /** Runs `task` after every task queued before it; one failing does not stop the next. */
  serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(task);
    this.#chain = run.catch(() => {});
    return run;
  }

  /** Settles when every task queued so far has. */
  drained(): Promise<unknown> {
    return this.#chain;
  }
}
