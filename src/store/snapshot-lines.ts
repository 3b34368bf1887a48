// The snapshot's layout on disk: one JSON document with one record per line, so that it is
// read and written a chunk at a time, never as one string (a store of 100k grants is tens of
// MB). The layout and why: docs/store.md ("The snapshot's format").
import { readSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Data } from '../core/types.js';
import { COLLECTIONS } from './tx.js';

const NEWLINE = 0x0a;
const CHUNK = 1 << 20;
/** Record lines parsed together: a string short enough for the young generation, at whole-file speed. */
const RUN = 128;
/** The first line of a snapshot in lines (the only layout written since): see docs/store.md. */
const HEAD = /^\{"generation":(0|[1-9][0-9]{0,15}),$/;

/** Calls `onLine` with each line of the file (without its newline); stops when it returns false. */
function eachLine(fd: number, onLine: (line: string) => boolean): boolean {
  let buf = Buffer.allocUnsafe(CHUNK);
  let filled = 0;
  let position = 0;
  for (;;) {
    if (filled === buf.length) {
      // A line longer than the buffer (a user with a huge claims object): grow it.
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, filled);
      buf = bigger;
    }
    const n = readSync(fd, buf, filled, buf.length - filled, position);
    position += n;
    filled += n;
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE, 0); nl >= 0 && nl < filled; nl = buf.indexOf(NEWLINE, start)) {
      if (!onLine(buf.toString('utf8', start, nl))) return false;
      start = nl + 1;
    }
    if (n === 0) return filled === start || onLine(buf.toString('utf8', start, filled));
    buf.copy(buf, 0, start, filled);
    filled -= start;
  }
}

/**
 * Reads a snapshot written in lines, holding a hundred-odd lines at a time. Undefined when the
 * file is not exactly in that layout: the caller then parses it whole, which gives the same
 * result for any valid JSON (or the error). Every comma and brace is checked, and records are
 * parsed in runs of whole lines (a JSON string never holds a raw newline), so a file accepted
 * here is valid JSON and means what `JSON.parse` of the whole file would.
 */
export function readLines(fd: number): Record<string, unknown> | undefined {
  const raw = Object.create(null) as Record<string, unknown>;
  let collection: Record<string, unknown> | undefined;
  // A collection's record lines not parsed yet; each but the last ends with a comma.
  let run: string[] = [];
  // Whether the previous member at this level ended with a comma (undefined: none yet).
  let comma: boolean | undefined;
  let state: 'head' | 'top' | 'after' = 'head';
  /** Parses `lines` as the members of one object into `into` (null prototype: `__proto__` is a key). */
  const parseInto = (lines: string[], into: Record<string, unknown>): boolean => {
    const text = lines.join('\n');
    try {
      Object.assign(into, JSON.parse(`{${text.endsWith(',') ? text.slice(0, -1) : text}}`));
      return true;
    } catch {
      return false;
    }
  };
  const member = (line: string): boolean => {
    if (comma === false || !line.startsWith('"')) return false;
    comma = line.endsWith(',');
    return true;
  };
  const ok = eachLine(fd, (line) => {
    if (state === 'head') {
      const m = HEAD.exec(line);
      if (!m) return false;
      raw['generation'] = Number(m[1]);
      state = 'top';
      comma = true;
      return true;
    }
    if (state === 'after') return line.trim() === '';
    if (collection) {
      if (line === '}' || line === '},') {
        if (comma === true || !parseInto(run, collection)) return false;
        run = [];
        collection = undefined;
        comma = line === '},';
        return true;
      }
      if (!member(line)) return false;
      run.push(line);
      // Cut only after a comma: the run then ends between two members.
      if (run.length >= RUN && comma) {
        if (!parseInto(run, collection)) return false;
        run = [];
      }
      return true;
    }
    if (line === '}') {
      if (comma === true) return false;
      state = 'after';
      return true;
    }
    if (line.endsWith('":{') && line.startsWith('"')) {
      let key: unknown;
      try {
        key = JSON.parse(line.slice(0, -2));
      } catch {
        return false;
      }
      if (typeof key !== 'string' || comma !== true) return false;
      collection = Object.create(null) as Record<string, unknown>;
      raw[key] = collection;
      comma = undefined;
      return true;
    }
    return member(line) && parseInto([line], raw);
  });
  // `state` is changed by the callback, which the compiler cannot see.
  return ok && (state as string) === 'after' ? raw : undefined;
}

/**
 * Writes `data` as the snapshot at `path`, a chunk at a time to a temp file beside it
 * (`.<name>.tmp`, the name lowdb uses for the journal), then renamed over it. Returns its size
 * in bytes. Only under the store lock, so the temp name cannot clash; `data` must not change
 * until it resolves (the lock holder's own commits wait for it).
 */
export async function writeSnapshot(path: string, data: Data, generation: number): Promise<number> {
  const temp = join(dirname(path), `.${basename(path)}.tmp`);
  const file = await open(temp, 'w');
  let bytes = 0;
  try {
    let chunk = `{"generation":${generation},\n"meta":${JSON.stringify(data.meta)},\n`;
    const flush = async (): Promise<void> => {
      const buf = Buffer.from(chunk);
      chunk = '';
      for (let done = 0; done < buf.length;) done += (await file.write(buf, done)).bytesWritten;
      bytes += buf.length;
    };
    for (const [i, name] of COLLECTIONS.entries()) {
      const records = data[name] as Record<string, unknown>;
      const ids = Object.keys(records);
      chunk += `${JSON.stringify(name)}:{\n`;
      for (const [n, id] of ids.entries()) {
        chunk += `${JSON.stringify(id)}:${JSON.stringify(records[id])}${n < ids.length - 1 ? ',' : ''}\n`;
        if (chunk.length >= CHUNK) await flush();
      }
      chunk += i < COLLECTIONS.length - 1 ? '},\n' : '}\n';
    }
    chunk += '}\n';
    await flush();
  } finally {
    await file.close();
  }
  await renameOver(temp, path);
  return bytes;
}

/**
 * `rename`, retried a few times when the target is briefly held (Windows, where a reader or a
 * virus scanner that has the file open makes it fail with EPERM/EBUSY), as lowdb's writer does.
 */
async function renameOver(from: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 10 || (code !== 'EPERM' && code !== 'EBUSY' && code !== 'EACCES')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
