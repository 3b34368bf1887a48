// The snapshot `<path>`: the whole Data as JSON plus the generation the journal extends, in
// lines (snapshot-lines.ts). It is only ever replaced whole (temp file + rename), so any
// reader sees a complete file. Why before the journal: docs/store.md ("A compaction").
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import type { Data } from '../core/types.js';
import { journalPath, writeFreshJournal } from './journal.js';
import { readLines, writeSnapshot } from './snapshot-lines.js';
import { normalize } from './tx.js';
import { CorruptStoreError, REPAIR_HINT } from './errors.js';

export interface Snapshot {
  generation: number;
  data: Data;
  bytes: number;
  /** Whether it is in lines; one in an earlier version's layout is rewritten at the next commit. */
  inLines: boolean;
  /** Which file was read, to notice a replacement (see `snapshotId`). */
  id: string;
}

/**
 * Identifies the file now at `path`. Every write is a rename of a new file, so this changes
 * whenever the snapshot is replaced; size and mtime guard against inode numbers reused.
 */
export function snapshotId(path: string): string {
  const st = statSync(path, { throwIfNoEntry: false });
  return st ? idOf(st) : 'missing';
}

const idOf = (st: Stats): string => `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;

const RESET_HINT = REPAIR_HINT;

export function readSnapshot(path: string): Snapshot {
  const fd = openSync(path, 'r');
  let raw: unknown;
  let st: Stats;
  let inLines: Record<string, unknown> | undefined;
  try {
    st = fstatSync(fd);
    // A file in lines parses a line at a time; anything else (a store written by an earlier
    // version, pretty-printed, or by hand) is parsed whole, as before.
    inLines = readLines(fd);
    raw = inLines ?? parseWhole(fd, path);
  } finally {
    closeSync(fd);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CorruptStoreError(`Store file ${path} is not a JSON object: ${RESET_HINT}`);
  }
  const { generation = 0, ...data } = raw as Record<string, unknown>;
  if (!Number.isSafeInteger(generation) || (generation as number) < 0) {
    throw new CorruptStoreError(`Store file ${path} has a bad "generation": ${RESET_HINT}`);
  }
  try {
    return { generation: generation as number, data: normalize(data, `Store file ${path}`), bytes: st.size, inLines: inLines !== undefined, id: idOf(st) };
  } catch (error) {
    throw new CorruptStoreError(`${(error as Error).message}: ${RESET_HINT}`, { cause: error });
  }
}

function parseWhole(fd: number, path: string): unknown {
  const size = fstatSync(fd).size;
  const buf = Buffer.allocUnsafe(size);
  let got = 0;
  while (got < size) {
    const n = readSync(fd, buf, got, size - got, got);
    if (n === 0) break;
    got += n;
  }
  try {
    return JSON.parse(buf.toString('utf8', 0, got));
  } catch (error) {
    throw new CorruptStoreError(`Store file ${path} is not valid JSON (${(error as Error).message}): ${RESET_HINT}`, {
      cause: error,
    });
  }
}

/** The generation of whatever is on disk, or 0; used to pick a newer one on reset. */
export function generationOnDisk(path: string): number {
  try {
    return readSnapshot(path).generation;
  } catch {
    return 0;
  }
}

/**
 * Under the lock: starts generation `generation` holding `data`. The snapshot goes first, then
 * a fresh journal: a reader that sees the new snapshot beside the old journal knows the
 * snapshot already holds that journal's lines (see FileStore's load).
 */
export async function writeGeneration(path: string, data: Data, generation: number): Promise<number> {
  const bytes = await writeSnapshot(path, data, generation);
  writeFreshJournal(journalPath(path), generation);
  return bytes;
}
