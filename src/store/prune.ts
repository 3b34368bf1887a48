// What has expired, computed without touching the store, so both stores prune alike and the
// deletions go through an ordinary (journaled) transaction.
import type { Collection, Data } from '../core/types.js';
import type { Store, Tx } from './types.js';

export type Expired = Array<[Collection, string]>;

/**
 * Codes, grants and sessions whose `expires_at <= now` and denylist entries whose `exp <= now`
 * (epoch seconds): nothing issued from them can be valid any more.
 */
export function findExpired(data: Readonly<Data>, now: number): Expired {
  const expired: Expired = [];
  for (const [id, code] of Object.entries(data.codes)) if (code.expires_at <= now) expired.push(['codes', id]);
  for (const [id, grant] of Object.entries(data.grants)) if (grant.expires_at <= now) expired.push(['grants', id]);
  for (const [jti, exp] of Object.entries(data.denylist)) if (exp <= now) expired.push(['denylist', jti]);
  for (const [sid, session] of Object.entries(data.sessions)) if (session.expires_at <= now) expired.push(['sessions', sid]);
  return expired;
}

/** Deletes what `findExpired` names inside `tx`; returns how many records went. */
export function pruneTx(tx: Tx, now: number): number {
  const expired = findExpired(tx.data, now);
  for (const [collection, id] of expired) tx.delete(collection, id);
  return expired.length;
}

/** `Store.prune` for both stores: nothing expired, no transaction (an idle timer takes no lock). */
export function pruneStore(store: Pick<Store, 'read' | 'update'>, now: number): Promise<number> {
  if (findExpired(store.read(), now).length === 0) return Promise.resolve(0);
  return store.update((tx) => pruneTx(tx, now));
}
