import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openStore } from '../../src/cli/store-options.js';
import { cliDirs, runCli } from '../helpers/run-cli.js';

describe('oauth-mock users', () => {
  const dirs = cliDirs();
  after(() => dirs.cleanup());
  let cwd: string;
  let db: string;
  const cli = (...argv: string[]) => runCli([...argv, '--db', db], { cwd });
  beforeEach(() => {
    cwd = dirs.make();
    db = join(cwd, 'db.json');
  });

  it('lists the seeded users as a table and as JSON', async () => {
    const table = await cli('users', 'list');
    assert.equal(table.code, 0);
    assert.equal(
      table.stdout,
      [
        'ID     NAME           EMAIL              CLAIMS',
        'alice  Alice Liddell  alice@example.com  {"roles":["admin","user"]}',
        'bob    Bob Builder    bob@example.com    {"roles":["user"]}',
        '',
      ].join('\n'),
    );
    const json = await cli('users', 'list', '--json');
    assert.equal(json.code, 0);
    assert.deepEqual(
      (JSON.parse(json.stdout) as { id: string }[]).map((u) => u.id),
      ['alice', 'bob'],
    );
  });

  it('adds a user with JSON and text claims, shows it, and stores it', async () => {
    const add = await cli(
      'users',
      'add',
      'carol',
      '--name',
      'Carol Danvers',
      '--email',
      'carol@example.com',
      '--email-verified',
      '--claim',
      'roles=["admin"]',
      '--claim',
      'tenant=acme',
      '--claim',
      'level=3',
      '--json',
    );
    assert.equal(add.code, 0, add.stderr);
    const user = JSON.parse(add.stdout) as Record<string, unknown>;
    assert.equal(typeof user.updated_at, 'number');
    delete user.updated_at;
    assert.deepEqual(user, {
      id: 'carol',
      name: 'Carol Danvers',
      email: 'carol@example.com',
      email_verified: true,
      claims: { roles: ['admin'], tenant: 'acme', level: 3 },
    });
    assert.equal(add.stderr, '');

    const show = await cli('users', 'show', 'carol');
    assert.equal(show.code, 0);
    assert.match(show.stdout, /^id: +carol\nname: +Carol Danvers\n/);
    assert.match(show.stdout, /\nclaims\.roles: +\["admin"\]\n/);

    const store = await openStore({ ...ioFor(cwd) }, { db });
    assert.deepEqual(store.read().users.carol?.claims, { roles: ['admin'], tenant: 'acme', level: 3 });
    await store.close();
  });

  it('prints a green check on stderr and nothing on stdout without --json', async () => {
    const add = await cli('users', 'add', 'dave');
    assert.deepEqual([add.code, add.stdout, add.stderr], [0, '', `✔ added user dave to ${db}\n`]);
  });

  it('refuses to add a user twice (exit 1, one line)', async () => {
    const again = await cli('users', 'add', 'alice');
    assert.deepEqual([again.code, again.stdout, again.stderr], [1, '', 'error: user "alice" already exists; change it with: oauth-mock users update alice\n']);
  });

  it('updates only the given fields, merges and removes claims', async () => {
    const res = await cli('users', 'update', 'alice', '--email', 'alice@wonderland.example', '--claim', 'tenant=acme', '--remove-claim', 'roles', '--json');
    assert.equal(res.code, 0, res.stderr);
    const user = JSON.parse(res.stdout) as Record<string, unknown>;
    assert.equal(user.email, 'alice@wonderland.example');
    assert.equal(user.name, 'Alice Liddell');
    assert.deepEqual(user.claims, { tenant: 'acme' });
    const cleared = await cli('users', 'update', 'alice', '--remove-claim', 'tenant', '--json');
    assert.equal(Object.hasOwn(JSON.parse(cleared.stdout) as object, 'claims'), false);
  });

  it('removes a user', async () => {
    const res = await cli('users', 'remove', 'bob');
    assert.deepEqual([res.code, res.stderr], [0, '✔ removed user bob\n']);
    const list = await cli('users', 'list', '--json');
    assert.deepEqual(
      (JSON.parse(list.stdout) as { id: string }[]).map((u) => u.id),
      ['alice'],
    );
  });

  const unknown = [
    ['show', 'zed'],
    ['update', 'zed', '--name', 'Z'],
    ['remove', 'zed'],
  ];
  for (const argv of unknown) {
    it(`users ${argv[0]} of an unknown user names those that exist (exit 1)`, async () => {
      const res = await cli('users', ...argv);
      assert.deepEqual([res.code, res.stdout, res.stderr], [1, '', `error: no user "zed" in ${db} (known: alice, bob)\n`]);
    });
  }

  const usage: [string, string[], RegExp][] = [
    ['a claim without =', ['add', 'x', '--claim', 'roles'], /^error: --claim roles must be key=value/],
    ['a registered claim', ['add', 'x', '--claim', 'sub=evil'], /^error: --claim sub: "sub" is a registered claim/],
    ['update with nothing to change', ['update', 'alice'], /^error: nothing to change/],
    ['add without an id', ['add'], /^error: missing required argument 'id'/],
  ];
  for (const [name, argv, message] of usage) {
    it(`answers ${name} with a usage error (exit 2)`, async () => {
      const res = await cli('users', ...argv);
      assert.equal(res.code, 2);
      assert.equal(res.stdout, '');
      assert.match(res.stderr, message);
    });
  }
});

function ioFor(cwd: string) {
  return { stdout() {}, stderr() {}, env: {}, cwd, color: false, interactive: false, stopSignal: new AbortController().signal, pid: process.pid };
}
