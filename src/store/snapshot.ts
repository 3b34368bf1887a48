// The snapshot `<path>`: the whole Data as pretty JSON plus the generation the journal
// extends. It is only ever replaced whole (temp file + rename, by lowdb's steno writer), so
// any reader sees a complete file. Why before the journal: docs/store.md ("A compaction").
import { closeSync, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import type { TextFile } from 'lowdb/node';
import type { Data } from '../core/types.js';
import { journalPath, writeFreshJournal } from './journal.js';
import { normalize } from './tx.js';
import { CorruptStoreError, REPAIR_HINT } from './errors.js';

export interface Snapshot {
  generation: number;
  data: Data;
  bytes: number;
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
  let text: string;
  let id: string;
  try {
    id = idOf(fstatSync(fd));
    text = readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CorruptStoreError(`Store file ${path} is not valid JSON (${(error as Error).message}): ${RESET_HINT}`, {
      cause: error,
    });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CorruptStoreError(`Store file ${path} is not a JSON object: ${RESET_HINT}`);
  }
  const { generation = 0, ...data } = raw as Record<string, unknown>;
  if (!Number.isSafeInteger(generation) || (generation as number) < 0) {
    throw new CorruptStoreError(`Store file ${path} has a bad "generation": ${RESET_HINT}`);
  }
  try {
    return { generation: generation as number, data: normalize(data, `Store file ${path}`), bytes: Buffer.byteLength(text), id };
  } catch (error) {
    throw new CorruptStoreError(`${(error as Error).message}: ${RESET_HINT}`, { cause: error });
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
export async function writeGeneration(file: TextFile, path: string, data: Data, generation: number): Promise<number> {
  // Generation first so a person reading the file sees it; collections keep their order.
  const text = JSON.stringify({ generation, ...data }, null, 2);
  await file.write(text);
  writeFreshJournal(journalPath(path), generation);
  return Buffer.byteLength(text);
}
