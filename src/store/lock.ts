// The cross-process lock around every read-modify-write of the store files. proper-lockfile
// makes `<path>.lock` with mkdir (atomic everywhere) and keeps refreshing its mtime, so a
// holder killed with -9 is taken over once the lock is `STALE_MS` old.
import lockfile from 'proper-lockfile';

// Short, so a server restarted after kill -9 waits seconds, not tens of them; commits hold the
// lock for milliseconds and the lock is refreshed every STALE_MS / 2 while held.
const STALE_MS = 3_000;

/**
 * Runs `fn` holding the lock on `path`. `assertHeld` throws if the lock was lost meanwhile
 * (event loop blocked past the stale time): call it right before writing.
 */
export async function withLock<T>(path: string, fn: (assertHeld: () => void) => Promise<T> | T): Promise<T> {
  let lost: Error | undefined;
  const release = await lockfile.lock(path, {
    // The store files may not exist yet, and the lock must not follow symlinks elsewhere.
    realpath: false,
    stale: STALE_MS,
    // Small randomized backoff: a commit holds the lock for about a millisecond, but waiters
    // must also outlast a dead holder's stale lock (up to ~STALE_MS + one update period).
    retries: { retries: 400, minTimeout: 2, maxTimeout: 60, factor: 1.5, randomize: true },
    // The default throws from a timer and would crash a server; fail the next write instead.
    onCompromised: (error) => {
      lost = error;
    },
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
