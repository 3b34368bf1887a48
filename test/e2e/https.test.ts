// `start --https` and `--cert/--key` on the built binary: the CA beside the store, the trust
// hints in the banner and ready line, a host change re-issuing from the same CA, and a bad
// pair refused with exit 2.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { once } from 'node:events';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createCa, issueServerCert } from '../../src/tls/certificates.js';
import { spawnCli, startServerProcess, type ServerProcess } from '../helpers/run-cli.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { trustingFetch } from '../helpers/trusting-fetch.js';

const dirs = tempDirs('oauth-mock-https-e2e-');
const run = promisify(execFile);

interface ReadyLine {
  event: string;
  url: string;
  issuer: string;
  pid: number;
  caPath?: string;
  ca?: string;
}

const readyLine = (server: ServerProcess) => JSON.parse(server.output().stdout.split('\n')[0] ?? '') as ReadyLine;

async function discoveryStatus(url: string, ca: string): Promise<number> {
  const client = trustingFetch(ca);
  try {
    return (await client.fetch(`${url}/.well-known/openid-configuration`)).status;
  } finally {
    await client.close();
  }
}

/** The server certificate a TLS client sees on `port`, asking for `servername`. */
async function servedCert(port: number, servername: string): Promise<X509Certificate> {
  const socket = connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false });
  await once(socket, 'secureConnect');
  const raw = socket.getPeerX509Certificate() as X509Certificate;
  socket.destroy();
  return raw;
}

describe('oauth-mock start --https (the built binary)', function () {
  this.timeout(60_000);
  const servers: ServerProcess[] = [];
  const started = async (args: string[], cwd: string) => {
    const server = await startServerProcess(args, { cwd });
    servers.push(server);
    return server;
  };
  after(async () => {
    for (const server of servers) await server.stop();
    dirs.cleanup();
  });

  it('makes a CA beside the store, says how to trust it, and serves discovery to clients that do', async () => {
    const cwd = dirs.make();
    const server = await started(['--https'], cwd);
    const ready = readyLine(server);
    const caPath = join(cwd, '.oauth-mock', 'tls', 'ca.pem');
    assert.match(ready.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(ready.issuer, ready.url);
    assert.equal(ready.caPath, caPath);
    assert.equal(ready.ca, readFileSync(caPath, 'utf8'));
    const { stderr } = server.output();
    assert.match(stderr, new RegExp(`listening on ${ready.url}\\n`));
    assert.ok(stderr.includes(`  tls CA     ${caPath} (new: trust it once)\n`), stderr);
    assert.ok(stderr.includes(`  trust it   Node: NODE_EXTRA_CA_CERTS=${caPath}\n`));
    assert.ok(stderr.includes(`             curl: curl --cacert ${caPath} …\n`));
    assert.ok(stderr.includes(`             Python requests: REQUESTS_CA_BUNDLE=${caPath}\n`));
    assert.equal(await discoveryStatus(ready.url, ready.ca), 200);

    // What the banner says works: Node with NODE_EXTRA_CA_CERTS, curl with --cacert.
    const node = await run(
      process.execPath,
      ['-e', `fetch(process.argv[1]).then(async (r) => console.log(r.status, (await r.json()).issuer))`, `${ready.url}/.well-known/openid-configuration`],
      {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: caPath },
      },
    );
    assert.equal(node.stdout, `200 ${ready.issuer}\n`);
    const curl = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--cacert', caPath, `${ready.url}/.well-known/openid-configuration`]);
    assert.equal(curl.stdout, '200');
    const untrusted = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', `${ready.url}/.well-known/openid-configuration`]).catch(
      (error: { code: number }) => error.code,
    );
    assert.equal(untrusted, 60); // curl: peer certificate cannot be authenticated with known CA certificates

    // `oauth-mock tls ca` names the same CA.
    const tlsCa = await spawnCli(['tls', 'ca'], { cwd });
    assert.deepEqual(tlsCa, { code: 0, stdout: `${caPath}\n`, stderr: '' });
  });

  it('keeps the CA across restarts and re-issues the server certificate from it when the host changes', async () => {
    const cwd = dirs.make();
    const first = await started(['--https'], cwd);
    const ca = readyLine(first).ca as string;
    await first.stop();

    const same = await started(['--https'], cwd);
    assert.equal(readyLine(same).ca, ca);
    assert.ok(same.output().stderr.includes('.oauth-mock/tls/ca.pem\n'), 'kept: no note after the path');
    await same.stop();

    const moved = await started(['--https', '--issuer', 'https://login.oauth.test:8443'], cwd);
    const ready = readyLine(moved);
    assert.equal(ready.ca, ca);
    assert.equal(ready.issuer, 'https://login.oauth.test:8443');
    assert.match(moved.output().stderr, /tls\/ca\.pem \(server certificate re-issued\)\n/);
    const cert = await servedCert(Number(new URL(ready.url).port), 'login.oauth.test');
    assert.equal(cert.checkHost('login.oauth.test'), 'login.oauth.test');
    assert.equal(cert.checkIssued(new X509Certificate(ca)), true);
  });

  it('--in-memory: a new CA for this run, its certificate in a temp file removed on stop', async () => {
    const cwd = dirs.make();
    const server = await started(['--https', '--in-memory'], cwd);
    const ready = readyLine(server);
    assert.ok(ready.caPath && existsSync(ready.caPath));
    assert.equal(readFileSync(ready.caPath, 'utf8'), ready.ca);
    assert.equal(existsSync(join(cwd, '.oauth-mock')), false);
    assert.match(server.output().stderr, /tls CA .* \(new each run: --in-memory\)\n/);
    assert.equal(await discoveryStatus(ready.url, ready.ca as string), 200);
    assert.equal(await server.stop(), 0);
    assert.equal(existsSync(ready.caPath), false);
  });

  it('OAUTH_MOCK_HTTPS=1 does what --https does', async () => {
    const cwd = dirs.make();
    const server = await startServerProcess(['--in-memory'], { cwd, env: { OAUTH_MOCK_HTTPS: '1' } });
    servers.push(server);
    const ready = readyLine(server);
    assert.match(ready.url, /^https:\/\//);
    assert.equal(await discoveryStatus(ready.url, ready.ca as string), 200);
  });

  describe('--cert/--key', () => {
    let cwd: string;
    let caPem: string;
    before(async () => {
      cwd = dirs.make();
      // A pair made as mkcert would: the test's own CA and a leaf for localhost and 127.0.0.1.
      const ca = await createCa();
      const leaf = await issueServerCert(ca, ['localhost', '127.0.0.1']);
      const other = await issueServerCert(ca, ['localhost']);
      caPem = ca.cert;
      writeFileSync(join(cwd, 'cert.pem'), leaf.cert);
      writeFileSync(join(cwd, 'key.pem'), leaf.key);
      writeFileSync(join(cwd, 'other-key.pem'), other.key);
    });

    it('serves the given pair; no CA of its own is made', async () => {
      const server = await started(['--cert', 'cert.pem', '--key', 'key.pem', '--in-memory'], cwd);
      const ready = readyLine(server);
      assert.match(ready.url, /^https:\/\//);
      assert.equal(ready.caPath, undefined);
      assert.match(server.output().stderr, /tls +your --cert; clients must trust the CA that issued it\n/);
      assert.equal(await discoveryStatus(ready.url, caPem), 200);
      const served = await servedCert(Number(new URL(ready.url).port), 'localhost');
      assert.equal(served.fingerprint256, new X509Certificate(readFileSync(join(cwd, 'cert.pem'))).fingerprint256);
      assert.equal(existsSync(join(cwd, '.oauth-mock')), false);
    });

    const refused: Array<[string, string[], RegExp]> = [
      [
        'a mismatched pair',
        ['--cert', 'cert.pem', '--key', 'other-key.pem'],
        /^error: --key .*other-key\.pem does not belong to the certificate in --cert .*cert\.pem \(mismatched pair\)\n$/,
      ],
      ['an unreadable certificate', ['--cert', 'missing.pem', '--key', 'key.pem'], /^error: cannot read the --cert file .*missing\.pem: no such file\n$/],
      [
        '--cert without --key',
        ['--cert', 'cert.pem'],
        /^error: --cert and --key go together: give both files \(or neither, and --https makes a certificate\)\n$/,
      ],
    ];
    for (const [name, args, message] of refused) {
      it(`refuses ${name}: one line, exit 2, nothing started or written`, async () => {
        const res = await spawnCli(['start', '--port', '0', ...args], { cwd });
        assert.equal(res.code, 2);
        assert.equal(res.stdout, '');
        assert.match(res.stderr, message);
        assert.equal(existsSync(join(cwd, '.oauth-mock')), false);
      });
    }
  });
});
