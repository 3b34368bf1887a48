// `oauth-mock tls ca`: the CA path (or PEM) for scripts, made on first use, beside the store.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliDirs, runCli } from '../helpers/run-cli.js';

describe('oauth-mock tls ca', function () {
  this.timeout(30_000);
  const dirs = cliDirs();
  after(() => dirs.cleanup());

  it('makes the CA on first use beside the default store, then prints the same path', async () => {
    const cwd = dirs.make();
    const first = await runCli(['tls', 'ca'], { cwd });
    assert.equal(first.code, 0, first.stderr);
    const path = join(cwd, '.oauth-mock', 'tls', 'ca.pem');
    assert.equal(first.stdout, `${path}\n`);
    assert.equal(first.stderr, '✔ made a new local CA; start --https serves a certificate it issued\n');
    const pem = readFileSync(path, 'utf8');
    assert.equal(new X509Certificate(pem).ca, true);

    const again = await runCli(['tls', 'ca'], { cwd });
    assert.deepEqual(again, { code: 0, stdout: `${path}\n`, stderr: '' });
    assert.equal(readFileSync(path, 'utf8'), pem);

    const asPem = await runCli(['tls', 'ca', '--pem'], { cwd });
    assert.deepEqual(asPem, { code: 0, stdout: pem, stderr: '' });
    const asJson = await runCli(['tls', 'ca', '--json'], { cwd });
    assert.deepEqual(JSON.parse(asJson.stdout), { path, pem });
  });

  it('follows --db and OAUTH_MOCK_DB: the CA sits in tls/ beside the store file', async () => {
    const cwd = dirs.make();
    const flag = await runCli(['tls', 'ca', '--db', 'test/oauth.json'], { cwd });
    assert.equal(flag.stdout, `${join(cwd, 'test', 'tls', 'ca.pem')}\n`);
    const env = await runCli(['tls', 'ca'], { cwd, env: { OAUTH_MOCK_DB: 'other/db.json' } });
    assert.equal(env.stdout, `${join(cwd, 'other', 'tls', 'ca.pem')}\n`);
  });

  it('refuses --in-memory with exit 2 and says where the CA is then', async () => {
    const res = await runCli(['tls', 'ca', '--in-memory'], { cwd: dirs.make() });
    assert.equal(res.code, 2);
    assert.equal(res.stdout, '');
    assert.equal(
      res.stderr,
      'error: an in-memory server makes a new CA on each start; read its path from the ready line ("caPath") or --ready-file, or drop --in-memory to keep one CA beside the store\n',
    );
  });

  it('https, cert and key are settings: flag > env OAUTH_MOCK_HTTPS/CERT/KEY > config file (paths relative to it)', async () => {
    const cwd = dirs.make();
    const fromEnv = JSON.parse((await runCli(['config', '--json'], { cwd, env: { OAUTH_MOCK_HTTPS: '1' } })).stdout) as { settings: Record<string, unknown> };
    assert.deepEqual(fromEnv.settings.https, { value: true, source: 'env', from: 'OAUTH_MOCK_HTTPS' });
    assert.deepEqual(fromEnv.settings.issuer, { value: 'https://127.0.0.1:9400', source: 'default', from: 'host and port' });
    const plain = JSON.parse((await runCli(['config', '--json'], { cwd })).stdout) as { settings: Record<string, unknown> };
    assert.deepEqual(plain.settings.https, { value: false, source: 'default' });
    assert.deepEqual(plain.settings.issuer, { value: 'http://127.0.0.1:9400', source: 'default', from: 'host and port' });

    mkdirSync(join(cwd, 'sub'));
    const file = join(cwd, 'sub', 'oauth-mock.config.json');
    writeFileSync(file, JSON.stringify({ cert: 'certs/cert.pem', key: 'certs/key.pem' }));
    const fromFile = JSON.parse((await runCli(['config', '--json', '--config', 'sub/oauth-mock.config.json'], { cwd })).stdout) as {
      settings: Record<string, unknown>;
    };
    assert.deepEqual(fromFile.settings.cert, { value: join(cwd, 'sub', 'certs', 'cert.pem'), source: 'config file', from: file });
    assert.deepEqual(fromFile.settings.key, { value: join(cwd, 'sub', 'certs', 'key.pem'), source: 'config file', from: file });
    const flag = JSON.parse((await runCli(['config', '--json', '--config', 'sub/oauth-mock.config.json', '--cert', 'mine.pem'], { cwd })).stdout) as {
      settings: Record<string, unknown>;
    };
    assert.deepEqual(flag.settings.cert, { value: 'mine.pem', source: 'flag' });
  });

  it('refuses an OAUTH_MOCK_HTTPS that is not a boolean, with exit 2', async () => {
    const res = await runCli(['config'], { cwd: dirs.make(), env: { OAUTH_MOCK_HTTPS: 'maybe' } });
    assert.equal(res.code, 2);
    assert.equal(res.stderr, 'error: OAUTH_MOCK_HTTPS must be true or false (or 1 or 0)\n');
  });
});
