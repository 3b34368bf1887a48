// A store the user may not write, and system errors at start-up, on the built binary: one line
// that names the input and the fix, at once (never a retry loop, never a bare EACCES).
// Permission checks need a user other than root: as root the child runs as `nobody` via
// setpriv (util-linux, on every Debian); as any other user it runs as that user.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirs } from '../helpers/temp-dirs.js';
import { BIN, killAll, spawnBin } from './helpers.js';

const isRoot = process.getuid?.() === 0;
const UNPRIVILEGED = isRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];

function canDropPrivileges(): string | undefined {
  if (!isRoot) return undefined;
  try {
    execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', 'process.exit(process.getuid() === 65534 ? 0 : 1)']);
  } catch (error) {
    return `cannot run a child as nobody with setpriv (${(error as Error).message})`;
  }
  try {
    execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, '--version'], { stdio: 'pipe' });
    return undefined;
  } catch {
    return 'the user nobody cannot read this checkout (bin/, dist/, node_modules/); make it world-readable to run them';
  }
}

/** Why nobody cannot reach `dir` (a temp dir under TMPDIR), or undefined. */
function tempDirReachable(dir: string): string | undefined {
  if (!isRoot) return undefined;
  try {
    execFileSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', 'require("node:fs").readdirSync(process.argv[1])', dir],
      { stdio: 'pipe' },
    );
    return undefined;
  } catch {
    return `the user nobody cannot reach ${dir}; point TMPDIR at a world-readable directory to run them`;
  }
}

describe('store permissions and start-up system errors (the built binary)', function () {
  const dirs = tempDirs('oauth-mock-e2e-perm-');
  after(() => {
    killAll();
    dirs.cleanup();
  });

  /** A temp dir every user may enter and read (mkdtemp makes it 0700). */
  function sharedDir(): string {
    const dir = dirs.make();
    chmodSync(dir, 0o755);
    return dir;
  }

  before(function () {
    const reason = canDropPrivileges() ?? tempDirReachable(sharedDir());
    if (reason) {
      console.warn(`skipping the permission tests: ${reason}`);
      this.skip();
    }
  });

  it('an unwritable store directory fails at once, naming the path and the permission (no lock retries)', async () => {
    const dir = sharedDir();
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    const db = join(locked, 'db.json');
    const run = spawnBin(['users', 'list', '--db', db], { cwd: dir, prefix: UNPRIVILEGED });
    assert.equal(await run.exited, 1);
    assert.equal(
      run.stderr(),
      `error: the store ${db} is read-only for this user: no permission to write ${db}.lock (EACCES); run as the user who owns it, make it writable, or use another --db (or --in-memory)\n`,
    );
  });

  it('a store owned by another user can be listed and minted from; a write says it is read-only', async () => {
    const dir = sharedDir();
    const db = join(dir, 'store', 'db.json');
    // Made by root (with its signing key), then used by nobody: readable, not writable.
    const seeded = spawnBin(['tokens', 'mint', '--user', 'alice', '--db', db], { cwd: dir });
    assert.equal(await seeded.exited, 0);
    const list = spawnBin(['users', 'list', '--db', db, '--json'], { cwd: dir, prefix: UNPRIVILEGED });
    assert.equal(await list.exited, 0, list.stderr());
    assert.deepEqual(
      (JSON.parse(list.stdout()) as Array<{ id: string }>).map((u) => u.id),
      ['alice', 'bob'],
    );
    const mint = spawnBin(['tokens', 'mint', '--user', 'bob', '--db', db], { cwd: dir, prefix: UNPRIVILEGED });
    assert.equal(await mint.exited, 0, mint.stderr());
    assert.match(mint.stdout(), /^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const verify = spawnBin(['tokens', 'verify', mint.stdout().trim(), '--db', db], { cwd: dir });
    assert.equal(await verify.exited, 0, verify.stderr());
    const before = readFileSync(`${db}.log`, 'utf8');
    const add = spawnBin(['users', 'add', 'carol', '--db', db], { cwd: dir, prefix: UNPRIVILEGED });
    assert.equal(await add.exited, 1);
    assert.match(add.stderr(), new RegExp(`^error: the store ${db} is read-only for this user: no permission to write ${db}\\.lock \\(EACCES\\); `));
    assert.equal(readFileSync(`${db}.log`, 'utf8'), before, 'nothing was written');
  });

  it('--port 80 as an unprivileged user names the port and the fix', async function () {
    if (Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8')) <= 80) this.skip();
    const run = spawnBin(['start', '--port', '80', '--in-memory'], { cwd: sharedDir(), prefix: UNPRIVILEGED });
    assert.equal(await run.exited, 1);
    assert.equal(
      run.stderr(),
      'error: no permission to listen on port 80 of 127.0.0.1 (ports below 1024 need root); pass --port 9400, or --port 0 for a free one\n',
    );
  });
});

describe('start-up system errors (the built binary)', () => {
  const dirs = tempDirs('oauth-mock-e2e-syserr-');
  after(() => {
    killAll();
    dirs.cleanup();
  });

  it('--host that does not resolve names the host and the fix', async () => {
    const run = spawnBin(['start', '--port', '0', '--in-memory', '--host', '999.1.1.1'], { cwd: dirs.make() });
    assert.equal(await run.exited, 1);
    assert.match(
      run.stderr(),
      /^error: --host 999\.1\.1\.1 is neither an IP address nor a name this machine resolves \((ENOTFOUND|EAI_AGAIN|EAI_FAIL)\); use 127\.0\.0\.1, ::1 or 0\.0\.0\.0\n$/,
    );
  });

  it('--db naming a directory says to give a file inside it', async () => {
    const dir = dirs.make();
    const run = spawnBin(['users', 'list', '--db', dir], { cwd: dir });
    assert.equal(await run.exited, 1);
    assert.equal(run.stderr(), `error: the store path ${dir} is a directory; give a file inside it, e.g. --db ${join(dir, 'db.json')}\n`);
  });
});
