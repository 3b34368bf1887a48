// Loading snapshot + journal consistently while another process may be compacting them.
// Why the journal is opened first, and the retries: docs/store.md ("Reading").
import { existsSync } from 'node:fs';
import { Journal, journalPath, writeFreshJournal } from './journal.js';
import { readSnapshot } from './snapshot.js';
import type { Snapshot } from './snapshot.js';
import { applyOps, parseOps } from './tx.js';

/**
 * Reads the snapshot at `path` and replays its journal into `snapshot.data`; the lock is not
 * needed. The journal is opened first and its header must name the snapshot's generation.
 * A compaction writes the new snapshot, then the new journal; so a snapshot newer than the
 * journal means one is under way (or died midway), and the snapshot already holds that
 * journal's lines. Without the lock, that journal is returned only so the caller notices its
 * replacement; with it (`locked`), we finish the compaction by writing the fresh journal.
 */
export function loadFiles(path: string, locked: boolean): { journal: Journal; snapshot: Snapshot } {
  const logPath = journalPath(path);
  for (let attempt = 0; attempt < 20; attempt++) {
    // A store written by hand, or a crash between the first snapshot and its journal.
    if (locked && !existsSync(logPath)) writeFreshJournal(logPath, readSnapshot(path).generation);
    const journal = Journal.open(logPath);
    let snapshot: Snapshot;
    try {
      snapshot = readSnapshot(path);
      const { generation, data } = snapshot;
      if (journal.generation === generation) {
        journal.poll((line) => applyOps(data, parseOps(line)));
        return { journal, snapshot };
      }
      if (journal.generation < generation && !locked && !journal.replaced()) return { journal, snapshot };
    } catch (error) {
      journal.close();
      throw error;
    }
    journal.close();
    if (journal.generation > snapshot.generation) {
      throw new Error(
        `Journal ${logPath} is newer than store file ${path} (was the file restored from a ` +
          `backup?): delete the journal to use the file as it is, or start with --reset`,
      );
    }
    // Under the lock, finish the dead compaction; otherwise the journal moved: look again.
    if (locked) writeFreshJournal(logPath, snapshot.generation);
  }
  throw new Error(`Store file ${path} keeps changing under us; try again`);
}
