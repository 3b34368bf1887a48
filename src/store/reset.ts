// What a reset leaves: the seed's users and clients, the same signing keys (so a running
// server and a test's copy of the secret go on working), and a reset epoch.
import { readFileSync } from 'node:fs';
import type { Data, Grant, Meta } from '../core/types.js';
import { journalPath } from './journal.js';
import { readSnapshot } from './snapshot.js';
import { applyOps, parseOps } from './tx.js';

/**
 * The state after a reset at `now` (epoch seconds). Every token issued before `now` is refused
 * from then on (meta.reset_at: a reset epoch; see tokens.verify), and the revocation records
 * (denylist, revoked grants) are kept until they expire, so a token revoked in the very second
 * of the reset stays revoked too. Codes, live grants and everything else added go.
 */
export function resetState(current: Readonly<Data>, seed: Data, now: number): Data {
  const grants = Object.create(null) as Record<string, Grant>;
  for (const [id, grant] of Object.entries(current.grants)) if (grant.revoked_at !== undefined) grants[id] = grant;
  const denylist = Object.assign(Object.create(null) as Record<string, number>, current.denylist);
  return { ...seed, meta: { ...current.meta, reset_at: now }, grants, denylist };
}

/**
 * The meta (keys, secret) of a store that no longer loads: the snapshot's, with every journal
 * line up to the first bad one applied. Undefined when even the snapshot cannot be read.
 */
export function salvageMeta(path: string): Meta | undefined {
  let data: Data;
  try {
    data = readSnapshot(path).data;
  } catch {
    return undefined;
  }
  let lines: string[] = [];
  try {
    lines = readFileSync(journalPath(path), 'utf8').split('\n').slice(1, -1);
  } catch {
    // No journal: the snapshot is all there is.
  }
  for (const line of lines) {
    try {
      applyOps(data, parseOps(line));
    } catch {
      break;
    }
  }
  return data.meta;
}
