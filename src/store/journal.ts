// The append-only journal `<path>.log`: a header line naming the snapshot generation it
// extends, then one JSON line per committed batch. Appending a line is the whole cost of a
// commit, whatever the size of the store. Torn lines and crash points: docs/store.md.
import { closeSync, constants, fstatSync, ftruncateSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { TextFileSync } from 'lowdb/node';
import { CorruptStoreError, REPAIR_HINT, storeAccessError } from './errors.js';

const NEWLINE = 0x0a;

export const journalPath = (snapshotPath: string): string => `${snapshotPath}.log`;

/**
 * Creates `path` holding only a header, atomically (lowdb's temp file + rename, as for the
 * snapshot), replacing any journal there. Synchronous, because a locked catch-up repairs the
 * journal from inside synchronous code; only ever called under the store lock, so lowdb's
 * fixed temp name `.<name>.tmp` cannot clash.
 */
export function writeFreshJournal(path: string, generation: number): void {
  new TextFileSync(path).write(`${JSON.stringify({ generation })}\n`);
}

/** An open journal file: reads what others appended since the last look, and appends. */
export class Journal {
  readonly path: string;
  readonly generation: number;
  #fd: number;
  #ino: number;
  #dev: number;
  /** End of the last complete line consumed. */
  #offset: number;
  /** Number of that line in the file (the header is line 1), for error messages. */
  #line = 1;
  /** File size at the last look, so an unchanged journal costs one stat. */
  #seen = -1;
  /** Opened read-only (a store this user may read but not write): reads work, appends say why not. */
  readonly readOnly: boolean;

  private constructor(path: string, fd: number, generation: number, offset: number, readOnly: boolean) {
    this.readOnly = readOnly;
    const st = fstatSync(fd);
    this.path = path;
    this.#fd = fd;
    this.#ino = st.ino;
    this.#dev = st.dev;
    this.generation = generation;
    this.#offset = offset;
  }

  /** Opens the journal and reads its header; the lines after it are left for `poll`. */
  static open(path: string): Journal {
    // No O_CREAT: a reader must never create a journal; only the lock holder does.
    let fd: number;
    let readOnly = false;
    try {
      fd = openSync(path, constants.O_RDWR | constants.O_APPEND);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS') throw error;
      // Read-only commands must work on a store they cannot write.
      fd = openSync(path, constants.O_RDONLY);
      readOnly = true;
    }
    try {
      const head = Buffer.alloc(256);
      const n = readSync(fd, head, 0, head.length, 0);
      const end = head.subarray(0, n).indexOf(NEWLINE);
      const generation = end < 0 ? undefined : parseHeader(head.toString('utf8', 0, end));
      if (generation === undefined) throw new CorruptStoreError(`Journal ${path} line 1 is not a valid journal header: ${REPAIR_HINT}`);
      return new Journal(path, fd, generation, end + 1, readOnly);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** Bytes of complete lines, header included. */
  get bytes(): number {
    return this.#offset;
  }

  /**
   * Passes each complete line appended since the last call to `onLine`. Returns false when
   * the path now names another file (compacted or reset): the caller must reload. A line
   * still being written (no newline yet) is left for a later call.
   */
  poll(onLine: (line: string) => void): boolean {
    const st = statSync(this.path, { throwIfNoEntry: false });
    if (!st || this.#moved(st)) return false;
    if (st.size === this.#seen) return true;
    const buf = Buffer.alloc(st.size - this.#offset);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(this.#fd, buf, got, buf.length - got, this.#offset + got);
      if (n === 0) break;
      got += n;
    }
    const base = this.#offset;
    for (let start = 0, nl = buf.indexOf(NEWLINE); nl >= 0 && nl < got; nl = buf.indexOf(NEWLINE, start)) {
      try {
        onLine(buf.toString('utf8', start, nl));
      } catch (error) {
        throw new CorruptStoreError(`Journal ${this.path} line ${this.#line + 1} is not a valid store change (${(error as Error).message}): ${REPAIR_HINT}`, {
          cause: error,
        });
      }
      // Advanced per line, so a line that fails is met again rather than skipped.
      this.#offset = base + nl + 1;
      this.#line++;
      start = nl + 1;
    }
    this.#seen = st.size;
    return true;
  }

  /** Whether the path now names another file (or none). */
  replaced(): boolean {
    const st = statSync(this.path, { throwIfNoEntry: false });
    return !st || this.#moved(st);
  }

  #moved(st: Stats): boolean {
    // Our fd keeps the old inode alive, so a new file at the path cannot reuse its number.
    return st.ino !== this.#ino || st.dev !== this.#dev || st.size < this.#offset;
  }

  /** Under the lock only: cuts a torn last line (a writer died mid-append) before appending. */
  truncateTail(): void {
    if (fstatSync(this.#fd).size > this.#offset) {
      if (this.readOnly) throw this.#readOnlyError();
      ftruncateSync(this.#fd, this.#offset);
    }
    this.#seen = this.#offset;
  }

  /** Under the lock only: appends `text` (whole lines) in one write; on failure, undoes it. */
  append(text: string): void {
    if (this.readOnly) throw this.#readOnlyError();
    const buf = Buffer.from(text);
    let done = 0;
    try {
      while (done < buf.length) done += writeSync(this.#fd, buf, done);
    } catch (error) {
      // Leave no torn line behind: the batch is rejected, so it must not be replayed.
      if (done > 0) ftruncateSync(this.#fd, this.#offset);
      throw error;
    }
    this.#offset += buf.length;
    this.#seen = this.#offset;
  }

  #readOnlyError(): Error {
    return storeAccessError(Object.assign(new Error('read-only'), { code: 'EACCES', path: this.path }), this.path.replace(/\.log$/, ''));
  }

  /** Idempotent: closing an fd number twice could close a file opened since. */
  close(): void {
    if (this.#fd >= 0) closeSync(this.#fd);
    this.#fd = -1;
  }
}

function parseHeader(line: string): number | undefined {
  try {
    const header: unknown = JSON.parse(line);
    const gen = (header as { generation?: unknown } | null)?.generation;
    return Number.isSafeInteger(gen) && (gen as number) >= 0 ? (gen as number) : undefined;
  } catch {
    return undefined;
  }
}
