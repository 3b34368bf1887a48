// File-system refusals, said once and plainly: which path, which permission, what to do.
import { dirname } from 'node:path';

/** A store that cannot be written (permissions or a read-only file system). */
export class StoreAccessError extends Error {}

const FIX = 'run as the user who owns it, make it writable, or use another --db (or --in-memory)';

/** Turns EACCES/EPERM/EROFS on a store file into one clear line; other errors pass through. */
export function storeAccessError(error: unknown, path: string): Error {
  const { code, path: at } = error as NodeJS.ErrnoException;
  const where = at ?? dirname(path);
  if (code === 'EACCES' || code === 'EPERM') {
    return new StoreAccessError(`the store ${path} is read-only for this user: no permission to write ${where} (${code}); ${FIX}`, { cause: error });
  }
  if (code === 'EROFS') {
    return new StoreAccessError(`the store ${path} is on a read-only file system (EROFS at ${where}); ${FIX}`, { cause: error });
  }
  return error as Error;
}

/** The store's files cannot be read as a store: the message names the file, the line and the way out. */
export class CorruptStoreError extends Error {}

/** What to do about a corrupt store, said the same way for the snapshot and the journal. */
export const REPAIR_HINT =
  'fix or remove it, or reseed the store with `oauth-mock reset --yes` (or start with --reset); the reseed loses its users, clients and tokens but keeps the signing keys when it can';
