// The cross-process lock around every read-modify-write of the store files. proper-lockfile
// makes `<path>.lock` with mkdir (atomic everywhere) and keeps refreshing its mtime, so a
// holder killed with -9 is taken over once the lock is `STALE_MS` old.
// The protocol between CLI and server: docs/store.md.
import { setTimeout as sleep } from 'node:timers/promises';
import type { lock as lockFn } from 'proper-lockfile';
import { storeAccessError } from './errors.js';

// Short, so a server restarted after kill -9 waits seconds, not tens of them; commits hold the
// lock for milliseconds and the lock is refreshed every STALE_MS / 2 while held.
const STALE_MS = 3_000;
// A commit holds the lock for about a millisecond, but waiters must also outlast a dead
// holder's stale lock (up to ~STALE_MS + one update period): 400 small, randomized waits,
// 24 to 47 s in all (the random factor applies after the 60 ms cap).
const ATTEMPTS = 400;
const backoff = (attempt: number) => Math.min(60, 2 * 1.5 ** attempt) * (1 + Math.random());

// Loaded at the first lock, not at import: proper-lockfile brings graceful-fs (which clones
// and patches node:fs, loading its streams), signal-exit and node:assert, ~5 ms of the start of
// every process, while a memory store and a terminal command that only reads never lock.
let lockImpl: Promise<typeof lockFn> | undefined;
const loadLock = () => (lockImpl ??= import('proper-lockfile').then((m) => m.default.lock));

/** Takes the lock, waiting only while another holder has it: any other error (EACCES, EROFS) fails at once. */
async function acquire(path: string, onCompromised: (error: Error) => void): Promise<() => Promise<void>> {
  const lock = await loadLock();
  for (let attempt = 0; ; attempt++) {
    try {
      return await lock(path, { realpath: false, stale: STALE_MS, retries: 0, onCompromised });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw storeAccessError(error, path);
      if (attempt >= ATTEMPTS) throw new Error(`the store ${path} stayed locked by another process (${path}.lock); try again`, { cause: error });
      await sleep(backoff(attempt));
    }
  }
}

/**
 * Runs `fn` holding the lock on `path`. `assertHeld` throws if the lock was lost meanwhile
 * (event loop blocked past the stale time): call it right before writing.
 */
export async function withLock<T>(path: string, fn: (assertHeld: () => void) => Promise<T> | T): Promise<T> {
  let lost: Error | undefined;
  // The default throws from a timer and would crash a server; fail the next write instead.
  const release = await acquire(path, (error) => {
    lost = error;
  });
  try {
    return await fn(() => {
      if (lost) throw new Error(`lost the lock on ${path}: ${lost.message}`, { cause: lost });
    });
  } finally {
    // Releasing a compromised lock rejects; there is nothing left to release then.
    await release().catch(() => {});
  }
}
