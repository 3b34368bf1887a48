// start --exit-with-parent: the watch itself, with a fake process table.
import assert from 'node:assert/strict';
import { exitWithParentByDefault, watchParent } from '../../src/cli/parent-watch.js';

/** Resolves when `onGone` is called; rejects after `ms` (a bound on a hang, not a timing check). */
function goneWithin(start: (onGone: () => void) => void, ms = 5_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('onGone was not called')), ms);
    start(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('exit with parent: the watch', () => {
  it('fires once when the parent pid changes (the orphan was re-parented)', async () => {
    let ppid = 4242;
    let calls = 0;
    await goneWithin((onGone) => {
      watchParent({ parent: 4242, ppid: () => ppid, alive: () => true }, () => ((calls += 1), onGone()), 5);
      setTimeout(() => (ppid = 1), 20);
    });
    await pause(30);
    assert.equal(calls, 1);
  });

  it('fires when the parent is no longer alive even if the pid is unchanged (no re-parenting, as on Windows)', async () => {
    let alive = true;
    const asked: number[] = [];
    await goneWithin((onGone) => {
      watchParent({ parent: 77, ppid: () => 77, alive: (pid) => (asked.push(pid), alive) }, onGone, 5);
      setTimeout(() => (alive = false), 20);
    });
    assert.ok(asked.every((pid) => pid === 77));
  });

  it('fires when the IPC channel to the parent closes', async () => {
    let close: (() => void) | undefined;
    await goneWithin((onGone) => {
      watchParent({ parent: 1, ppid: () => 1, alive: () => true, onChannelClose: (cb) => ((close = cb), () => (close = undefined)) }, onGone, 5);
      setTimeout(() => close?.(), 10);
    });
  });

  it('compares with the parent at process start: a parent that exited before the watch began is noticed', async () => {
    await goneWithin((onGone) => watchParent({ parent: 500, ppid: () => 1, alive: () => false }, onGone, 5));
  });

  it('stops watching when told to, and leaves the channel listener removed', async () => {
    let ppid = 10;
    let calls = 0;
    let unsubscribed = false;
    const stop = watchParent({ parent: 10, ppid: () => ppid, alive: () => true, onChannelClose: () => () => (unsubscribed = true) }, () => (calls += 1), 5);
    stop();
    ppid = 1;
    await pause(40);
    assert.equal(calls, 0);
    assert.equal(unsubscribed, true);
  });

  it('is on by default only when npm exec / npx started the server', () => {
    const cases: Array<[Record<string, string | undefined>, boolean]> = [
      [{ npm_command: 'exec', npm_lifecycle_event: 'npx' }, true],
      [{ npm_lifecycle_event: 'npx' }, true],
      [{ npm_command: 'exec' }, true],
      [{ npm_command: 'run-script', npm_lifecycle_event: 'test' }, false],
      [{ npm_command: 'start', npm_lifecycle_event: 'start' }, false],
      [{}, false],
    ];
    for (const [env, on] of cases) assert.equal(exitWithParentByDefault(env), on, JSON.stringify(env));
  });
});
