import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openFileStore } from '../../../src/store/file-store.js';
import { journalLines, tempDirs, user } from './helpers.js';

const script = fileURLToPath(new URL('./fixtures/add-users.ts', import.meta.url));
const loop = fileURLToPath(new URL('./fixtures/commit-loop.ts', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs the add-users fixture in a child process; resolves once it exited 0. */
function addUsersInChild(path: string, prefix: string, count: number, compactAt = 1 << 20): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, path, prefix, String(count), String(compactAt)], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`child ${prefix} exited ${code}: ${stderr}`))));
  });
}

describe('file store shared by processes', function () {
  this.timeout(60_000);
  const dirs = tempDirs();
  after(() => dirs.cleanup());

  it('loses no update when three children and the parent write at once (with compactions)', async () => {
    const path = join(dirs.make(), 'db.json');
    // A small compaction threshold so compactions race with the other writers and readers.
    const store = await openFileStore(path, { compactAt: 8_000 });
    const children = Promise.all([0, 1, 2].map((i) => addUsersInChild(path, `c${i}-`, 100, 8_000)));
    let childrenDone = false;
    children.then(
      () => (childrenDone = true),
      () => (childrenDone = true),
    );
    // The parent keeps writing (at least 100 users) until every child has exited.
    let parents = 0;
    for (; parents < 100 || !childrenDone; parents++) {
      await store.update((tx) => tx.put('users', `parent-${parents}`, user(`parent-${parents}`)));
      assert.ok(Object.keys(store.read().users).length > parents);
      JSON.parse(readFileSync(path, 'utf8'));
    }
    await children;
    const ids = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
    const expected = [...ids('parent-', parents), ...ids('c0-', 100), ...ids('c1-', 100), ...ids('c2-', 100)];
    assert.deepEqual(Object.keys(store.read().users).sort(), expected.sort());
    await store.close();
    const snapshot = JSON.parse(readFileSync(path, 'utf8')) as { generation: number };
    assert.ok(snapshot.generation > 1, 'compactions happened');
    journalLines(path).forEach((line) => JSON.parse(line));
    const reopened = await openFileStore(path);
    assert.deepEqual(Object.keys(reopened.read().users).sort(), expected);
    await reopened.close();
  });

  it("sees a child's commit at the next read(), appended or compacted", async () => {
    const path = join(dirs.make(), 'db.json');
    const store = await openFileStore(path);
    assert.equal(store.read().users['fresh-0'], undefined);
    await addUsersInChild(path, 'fresh-', 1);
    assert.ok(store.read().users['fresh-0'], 'appended line picked up');
    // compactAt 1: the child compacts after its commit, replacing both files.
    await addUsersInChild(path, 'compacted-', 1, 1);
    assert.ok(JSON.parse(readFileSync(path, 'utf8')).users['compacted-0'], 'child compacted');
    assert.ok(store.read().users['compacted-0'], 'reloaded after the compaction');
    assert.ok(store.read().users['fresh-0']);
    await store.close();
  });

  it('keeps every resolved update of a process killed with -9 mid-stream', async () => {
    const path = join(dirs.make(), 'db.json');
    await (await openFileStore(path)).close();
    const child = spawn(process.execPath, ['--import', 'tsx', loop, path], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        // Enough commits for a few compactions (compactAt 4000), then kill at a random point.
        if (out.split('\n').length > 150) resolve();
      });
    });
    child.kill('SIGKILL');
    await exited;
    const committed = out
      .split('\n')
      .filter((line) => line !== '')
      .map(Number);
    // Opening waits out a lock the child may have held when killed (stale after 3 s).
    const store = await openFileStore(path);
    const users = store.read().users;
    for (const i of committed) assert.ok(users[`k${i}`], `k${i} was committed, then lost`);
    JSON.parse(readFileSync(path, 'utf8'));
    await store.close();
  });
});
