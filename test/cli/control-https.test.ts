// `oauth-mock control` against a server on https: it trusts the server's own CA (from the ready
// file, --cacert, NODE_EXTRA_CA_CERTS or beside the store), never turns verification off, and
// says which CA it used when the certificate is not trusted.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startOAuthMock, type OAuthMock } from '../../src/index.js';
import { cliDirs, runCli } from '../helpers/run-cli.js';

const dirs = cliDirs();

interface Status {
  clock: { offsetMs: number };
}

describe('oauth-mock control over https', function () {
  this.timeout(60_000);
  after(() => dirs.cleanup());

  describe('an in-memory mock with https and control', () => {
    let mock: OAuthMock;
    let dir: string;
    let direct: string[];
    before(async () => {
      mock = await startOAuthMock({ https: true, control: true });
      dir = dirs.make();
      direct = ['--url', mock.controlUrl as string, '--token', mock.controlToken as string];
      writeFileSync(join(dir, 'ca.pem'), mock.ca as string);
      writeFileSync(
        join(dir, 'ready.json'),
        JSON.stringify({ url: mock.url, issuer: mock.issuer, pid: process.pid, ca: mock.ca, controlUrl: mock.controlUrl, controlToken: mock.controlToken }),
      );
      writeFileSync(
        join(dir, 'ready-path.json'),
        JSON.stringify({ url: mock.url, caPath: join(dir, 'ca.pem'), controlUrl: mock.controlUrl, controlToken: mock.controlToken }),
      );
    });
    after(() => mock.stop());
    afterEach(() => mock.clock.reset());

    it('is served on https', () => {
      assert.match(mock.controlUrl as string, /^https:\/\/127\.0\.0\.1:\d+\/_oauth-mock$/);
    });

    it('control status --ready-file: trusts the ca the ready file carries (PEM, or its caPath)', async () => {
      for (const file of ['ready.json', 'ready-path.json']) {
        const res = await runCli(['control', 'status', '--ready-file', file], { cwd: dir });
        assert.equal(res.code, 0, res.stderr);
        assert.match(res.stdout, /^clock {10}\S+ \(real time\)\nfaults {9}none\n/);
        assert.equal(res.stderr, '');
      }
    });

    it('control status --url --token --cacert: trusts the given CA', async () => {
      const res = await runCli(['control', 'status', ...direct, '--cacert', 'ca.pem', '--json'], { cwd: dir });
      assert.equal(res.code, 0, res.stderr);
      assert.equal((JSON.parse(res.stdout) as Status).clock.offsetMs, 0);
    });

    it('--url --token without the CA: exit 1, the certificate is not trusted, and what to pass', async () => {
      const res = await runCli(['control', 'status', ...direct], { cwd: dir });
      assert.equal(res.code, 1);
      assert.equal(res.stdout, '');
      assert.equal(
        res.stderr,
        `error: the certificate of ${mock.controlUrl as string} is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate); trusted: Node's default CAs. Pass --cacert with the server's CA (caPath of its ready line; oauth-mock tls ca for a store file), or --ready-file\n`,
      );
    });

    it("a --cacert that is not the server's CA: refused the same way, naming the CA used", async () => {
      const other = await startOAuthMock({ https: true });
      try {
        writeFileSync(join(dir, 'other-ca.pem'), other.ca as string);
      } finally {
        await other.stop();
      }
      const res = await runCli(['control', 'status', ...direct, '--cacert', 'other-ca.pem'], { cwd: dir });
      assert.equal(res.code, 1);
      assert.match(
        res.stderr,
        new RegExp(
          `^error: the certificate of \\S+ is not trusted \\(UNABLE_TO_VERIFY_LEAF_SIGNATURE: .*\\); trusted: --cacert ${join(dir, 'other-ca.pem').replace(/[.\\]/g, '\\$&')}, Node's default CAs\\. Pass --cacert`,
        ),
      );
    });

    it('NODE_EXTRA_CA_CERTS is trusted, as Node trusts it', async () => {
      const res = await runCli(['control', 'status', ...direct, '--json'], { cwd: dir, env: { NODE_EXTRA_CA_CERTS: 'ca.pem' } });
      assert.equal(res.code, 0, res.stderr);
      assert.equal((JSON.parse(res.stdout) as Status).clock.offsetMs, 0);
      const missing = await runCli(['control', 'status', ...direct], { cwd: dir, env: { NODE_EXTRA_CA_CERTS: 'nope.pem' } });
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /^warning: ignoring NODE_EXTRA_CA_CERTS \S+nope\.pem \(ENOENT\)\nerror: the certificate of .* is not trusted/);
    });

    it("control clock advance 1h over https moves the server's clock", async () => {
      const res = await runCli(['control', 'clock', 'advance', '1h', '--ready-file', 'ready.json'], { cwd: dir });
      assert.equal(res.code, 0, res.stderr);
      assert.equal(res.stderr, '✓ clock advanced by 1h\n');
      assert.equal(mock.controlStatus().clock.offsetMs, 3_600_000);
      const status = await runCli(['control', 'status', '--json', ...direct, '--cacert', 'ca.pem'], { cwd: dir });
      assert.equal((JSON.parse(status.stdout) as Status).clock.offsetMs, 3_600_000);
    });

    it('an unreadable --cacert is a usage mistake (exit 2), found before anything is sent', async () => {
      const res = await runCli(['control', 'clock', 'advance', '1h', ...direct, '--cacert', 'missing.pem'], { cwd: dir });
      assert.equal(res.code, 2);
      assert.match(res.stderr, /^error: cannot read --cacert \S+missing\.pem \(ENOENT\)\n$/);
      assert.equal(mock.controlStatus().clock.offsetMs, 0);
    });
  });

  describe('a mock on a store file, found through the store', () => {
    let mock: OAuthMock;
    let dir: string;
    before(async () => {
      dir = dirs.make();
      mkdirSync(join(dir, '.oauth-mock'));
      mock = await startOAuthMock({ https: true, control: true, store: { path: join(dir, '.oauth-mock', 'db.json') } });
    });
    after(() => mock.stop());

    it('trusts the CA beside the store (where oauth-mock tls ca finds it)', async () => {
      const ca = await runCli(['tls', 'ca', '--pem'], { cwd: dir });
      assert.equal(ca.stdout, mock.ca);
      const res = await runCli(['control', 'clock', 'advance', '2h', '--json'], { cwd: dir });
      assert.equal(res.code, 0, res.stderr);
      assert.equal((JSON.parse(res.stdout) as Status).clock.offsetMs, 7_200_000);
      assert.equal(mock.controlStatus().clock.offsetMs, 7_200_000);
    });
  });
});
