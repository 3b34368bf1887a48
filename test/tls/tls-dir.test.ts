// The CA kept beside the store: made once, the server certificate re-issued from it when the
// host changes; and the user's own --cert/--key pair, checked before use.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCa, issueServerCert, serverNames } from '../../src/tls/certificates.js';
import { ensureCa, ensureTlsDir, inMemoryTls, tlsDirFor, writeTempCa } from '../../src/tls/tls-dir.js';
import { readUserPair, TlsPairError } from '../../src/tls/user-pair.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const dirs = tempDirs('oauth-mock-tls-');
const mode = (path: string) => statSync(path).mode & 0o777;

describe('tls: the directory beside the store', function () {
  this.timeout(60_000);
  after(() => dirs.cleanup());

  it('sits beside the store file', () => {
    assert.equal(tlsDirFor('/x/.oauth-mock/db.json'), '/x/.oauth-mock/tls');
    assert.equal(tlsDirFor('/x/test/oauth.json'), '/x/test/tls');
  });

  it('makes the CA on first use, keeps it, and re-issues the server certificate from it when the host changes', async () => {
    const dir = join(dirs.make(), 'tls');
    const first = await ensureTlsDir(dir, serverNames('127.0.0.1'));
    assert.equal(first.made, 'new CA');
    assert.equal(first.caPath, join(dir, 'ca.pem'));
    assert.equal(readFileSync(join(dir, 'ca.pem'), 'utf8'), first.ca);
    assert.equal(readFileSync(join(dir, 'server.pem'), 'utf8'), first.cert);
    assert.equal(mode(dir), 0o700);
    assert.equal(mode(join(dir, 'ca-key.pem')), 0o600);
    assert.equal(mode(join(dir, 'server-key.pem')), 0o600);

    const again = await ensureTlsDir(dir, serverNames('127.0.0.1'));
    assert.deepEqual(again, { ...first, made: 'kept' });

    const moved = await ensureTlsDir(dir, serverNames('oauth.test', 'https://login.oauth.test'));
    assert.equal(moved.made, 'new server certificate');
    assert.equal(moved.ca, first.ca);
    assert.notEqual(moved.cert, first.cert);
    const x509 = new X509Certificate(moved.cert);
    assert.equal(x509.checkIssued(new X509Certificate(first.ca as string)), true);
    assert.equal(x509.checkHost('login.oauth.test'), 'login.oauth.test');
    assert.equal(x509.checkHost('oauth.test'), 'oauth.test');
  });

  it('two servers starting together on a new directory end up with one CA', async () => {
    const dir = join(dirs.make(), 'tls');
    const [a, b] = await Promise.all([ensureTlsDir(dir, serverNames('127.0.0.1')), ensureTlsDir(dir, serverNames('127.0.0.1'))]);
    assert.equal(a.ca, b.ca);
    assert.deepEqual([a.made, b.made].sort(), ['kept', 'new CA']);
    assert.equal(readFileSync(join(dir, 'ca.pem'), 'utf8'), a.ca);
  });

  it('ensureCa makes only the CA, and the next start issues the server certificate from it', async () => {
    const dir = join(dirs.make(), 'tls');
    const made = await ensureCa(dir);
    assert.equal(made.created, true);
    assert.deepEqual(await ensureCa(dir), { ...made, created: false });
    const started = await ensureTlsDir(dir, serverNames('127.0.0.1'));
    assert.equal(started.made, 'new server certificate');
    assert.equal(started.ca, made.ca);
  });

  it('an in-memory CA writes nothing; writeTempCa puts only the certificate in a temp dir it removes', async () => {
    const tls = await inMemoryTls(serverNames('127.0.0.1'));
    assert.equal(tls.caPath, undefined);
    const temp = await writeTempCa(tls.ca as string);
    assert.equal(readFileSync(temp.caPath, 'utf8'), tls.ca);
    await temp.remove();
    assert.throws(() => statSync(temp.caPath), { code: 'ENOENT' });
  });
});

describe("tls: --cert/--key, the user's own pair", function () {
  this.timeout(60_000);
  let dir: string;
  let certPath: string;
  let keyPath: string;
  let otherKeyPath: string;

  before(async () => {
    dir = dirs.make();
    // As mkcert would: the user's own CA and a leaf it issued.
    const ca = await createCa();
    const leaf = await issueServerCert(ca, ['localhost']);
    const other = await issueServerCert(ca, ['localhost']);
    certPath = join(dir, 'cert.pem');
    keyPath = join(dir, 'key.pem');
    otherKeyPath = join(dir, 'other-key.pem');
    writeFileSync(certPath, leaf.cert);
    writeFileSync(keyPath, leaf.key);
    writeFileSync(otherKeyPath, other.key);
    writeFileSync(join(dir, 'ca.pem'), ca.cert);
    writeFileSync(join(dir, 'ca-key.pem'), ca.key);
  });
  after(() => dirs.cleanup());

  it('reads a matching pair; a leaf from another CA has no CA to hand out', async () => {
    const pair = await readUserPair(certPath, keyPath);
    assert.equal(pair.cert, readFileSync(certPath, 'utf8'));
    assert.equal(pair.key, readFileSync(keyPath, 'utf8'));
    assert.equal(pair.ca, undefined);
    assert.equal(pair.caPath, undefined);
  });

  it('a self-signed certificate is its own CA', async () => {
    const pair = await readUserPair(join(dir, 'ca.pem'), join(dir, 'ca-key.pem'));
    assert.equal(pair.caPath, join(dir, 'ca.pem'));
    assert.equal(pair.ca, pair.cert);
  });

  const cases: Array<[string, () => [string, string], RegExp]> = [
    [
      'a key from another pair',
      () => [certPath, otherKeyPath],
      /^--key .*other-key\.pem does not belong to the certificate in --cert .*cert\.pem \(mismatched pair\)$/,
    ],
    ['a missing certificate', () => [join(dir, 'nope.pem'), keyPath], /^cannot read the --cert file .*nope\.pem: no such file$/],
    ['a missing key', () => [certPath, join(dir, 'nope.pem')], /^cannot read the --key file .*nope\.pem: no such file$/],
    ['a directory as certificate', () => [dir, keyPath], /^cannot read the --cert file .*: it is a directory$/],
    ['a key given as the certificate', () => [keyPath, keyPath], /^--cert .*key\.pem is not a PEM certificate$/],
    ['a certificate given as the key', () => [certPath, certPath], /^--key .*cert\.pem is not a PEM private key$/],
  ];
  for (const [name, paths, message] of cases) {
    it(`refuses ${name} with one clear message`, async () => {
      const [cert, key] = paths();
      await assert.rejects(readUserPair(cert, key), (error: Error) => error instanceof TlsPairError && message.test(error.message));
    });
  }
});
