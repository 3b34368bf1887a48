// The snapshot's format on disk (docs/store.md, "The snapshot's format"): one record per line,
// read and written a line at a time, still one JSON document; and stores written by earlier
// versions (pretty-printed) still load.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emptyData } from '../../../src/core/types.js';
import type { Data } from '../../../src/core/types.js';
import { openFileStore } from '../../../src/store/file-store.js';
import { readSnapshot } from '../../../src/store/snapshot.js';
import { grant, plain, tempDirs, user } from './helpers.js';

/** Ids and values that a line-by-line reader could get wrong. */
function awkwardData(): Data {
  const data = emptyData();
  const users = Object.create(null) as Data['users'];
  for (const id of ['__proto__', 'constructor', 'a"b', 'line\nbreak', '":{', 'ünï 😀', '}', '},']) users[id] = user(id, `${id}\n},\n"x":{`);
  data.users = users;
  data.grants = { g1: grant('g1', 10), g2: { ...grant('g2', 20), login: { claims: { nested: { deep: ['},', '\n'] } } } } };
  data.denylist = { jti: 5 };
  data.meta = { schema: 1, secret: 's', alg: 'HS256' };
  return data;
}

describe('snapshot format', () => {
  const dirs = tempDirs();
  after(() => dirs.cleanup());
  const newPath = (): string => join(dirs.make(), 'db.json');

  it('writes one record per line in one JSON document, and reads back what JSON.parse of the file gives', async () => {
    const path = newPath();
    const data = awkwardData();
    const store = await openFileStore(path, { seed: () => data });
    await store.close();
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    assert.equal(lines[0], '{"generation":1,');
    assert.equal(lines[1], '"meta":{"schema":1,"secret":"s","alg":"HS256"},');
    assert.equal(lines[2], '"users":{');
    assert.equal(lines[3], `"__proto__":${JSON.stringify(user('__proto__', '__proto__\n},\n"x":{'))},`);
    assert.ok(lines.includes(`"g2":${JSON.stringify(data.grants['g2'])}`), 'the last record of a collection has no comma');
    assert.deepEqual(lines.slice(-4), ['"sessions":{', '}', '}', '']);
    const whole = JSON.parse(text) as Record<string, unknown>;
    assert.deepEqual(Object.keys(whole.users as object), Object.keys(data.users));
    const snapshot = readSnapshot(path);
    assert.equal(snapshot.generation, 1);
    assert.equal(snapshot.bytes, Buffer.byteLength(text));
    assert.equal(snapshot.inLines, true);
    assert.equal(Object.getPrototypeOf(snapshot.data.users), null);
    assert.ok(Object.hasOwn(snapshot.data.users, '__proto__'));
    assert.deepEqual(plain(snapshot.data), plain(data));
    const { generation, ...rest } = whole;
    assert.equal(generation, 1);
    assert.deepEqual(plain(snapshot.data), rest);
  });

  it('loads a store written by earlier versions (pretty-printed), and rewrites it in lines at its first commit', async () => {
    const path = newPath();
    const data = awkwardData();
    writeFileSync(path, JSON.stringify({ generation: 3, ...data }, null, 2));
    writeFileSync(`${path}.log`, '{"generation":3}\n');
    const store = await openFileStore(path);
    assert.deepEqual(plain(store.read()), plain(data));
    assert.equal(readFileSync(path, 'utf8').slice(0, 2), '{\n', 'reading changes nothing');
    await store.update(() => 'writes nothing');
    assert.equal(readFileSync(path, 'utf8').slice(0, 2), '{\n', 'nor does a commit without changes');
    // The journal is far smaller than the snapshot, yet the commit compacts into generation 4.
    await store.update((tx) => tx.put('users', 'bob', user('bob')));
    await store.close();
    const text = readFileSync(path, 'utf8');
    assert.ok(text.startsWith('{"generation":4,\n"meta":'), text.slice(0, 40));
    assert.equal(readFileSync(`${path}.log`, 'utf8'), '{"generation":4}\n');
    const reopened = await openFileStore(path);
    assert.deepEqual(plain(reopened.read()), plain({ ...data, users: { ...plain(data.users), bob: user('bob') } }));
    await reopened.close();
  });

  it('reads valid JSON in any other layout whole, and refuses a file in lines that is not valid JSON', async () => {
    const path = newPath();
    const data = awkwardData();
    // Starts like a file in lines, but a record spans lines and a collection is on one line.
    const layouts = [
      `{"generation":2,\n"meta":${JSON.stringify(data.meta)},\n"users":{\n"a":{\n"id":"a"},\n"b":{"id":"b"}\n},\n"grants":${JSON.stringify(data.grants)}\n}`,
      `{"generation":2,"meta":${JSON.stringify(data.meta)},"users":{"a":{"id":"a"},"b":{"id":"b"}},"grants":${JSON.stringify(data.grants)}}`,
    ];
    for (const text of layouts) {
      writeFileSync(path, text);
      const snapshot = readSnapshot(path);
      assert.equal(snapshot.generation, 2);
      assert.equal(snapshot.inLines, false);
      assert.deepEqual(plain(snapshot.data), { ...emptyData(), meta: data.meta, users: { a: { id: 'a' }, b: { id: 'b' } }, grants: plain(data.grants) });
    }
    const broken = [
      '{"generation":2,\n"users":{\n"a":{"id":"a"}\n"b":{"id":"b"}\n}\n}\n', // a missing comma
      '{"generation":2,\n"users":{\n"a":{"id":"a"},\n}\n}\n', // a comma before the brace
      '{"generation":2,\n"users":{\n"a":{"id":"a"}\n}\n}\ntrailing\n',
      '{"generation":2,\n"users":{\n"a":{"id":"a"}\n',
    ];
    for (const text of broken) {
      writeFileSync(path, text);
      assert.throws(() => readSnapshot(path), /is not valid JSON/, JSON.stringify(text));
    }
  });

  it('reads and writes a record longer than the read buffer', async () => {
    const path = newPath();
    const big = user('big', 'é'.repeat(1_500_000));
    const store = await openFileStore(path, { seed: () => ({ ...emptyData(), users: { big, small: user('small') } }) });
    await store.close();
    assert.deepEqual(plain(readSnapshot(path).data.users), { big, small: user('small') });
  });
});
