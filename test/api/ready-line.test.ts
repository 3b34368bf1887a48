import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startInProcess } from '../helpers/start-in-process.js';

/** `oauth-mock start` in-process, as a harness in another language would drive the binary. */
const start = (argv: string[], cwd: string) => startInProcess(argv, cwd, 4242);

describe('oauth-mock start: the ready line and --ready-file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'oauth-mock-ready-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one JSON ready line on stdout, writes the ready file, and removes it on stop', async () => {
    const started = start(['--port', '0', '--in-memory', '--ready-file', 'ready.json'], dir);
    const line = await started.ready;
    assert.equal(line.event, 'ready');
    assert.match(line.url as string, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(line, { event: 'ready', url: line.url, issuer: line.url, pid: 4242 });
    const file = JSON.parse(readFileSync(join(dir, 'ready.json'), 'utf8')) as unknown;
    assert.deepEqual(file, { url: line.url, issuer: line.url, pid: 4242 });
    const res = await fetch(`${line.url as string}/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { issuer: string }).issuer, line.url);
    const { code, stdout, stderr } = await started.stop();
    assert.equal(code, 0);
    assert.equal(stdout, `${JSON.stringify(line)}\n`, 'stdout holds the ready line only; the banner is on stderr');
    assert.match(stderr, /oauth-mock listening on/);
    assert.equal(existsSync(join(dir, 'ready.json')), false);
  });

  it('prints the ready line with --quiet too, carrying the configured issuer', async () => {
    const started = start(['--port', '0', '--in-memory', '--quiet', '--issuer', 'https://auth.test'], dir);
    const line = await started.ready;
    assert.equal(line.issuer, 'https://auth.test');
    const { code, stderr } = await started.stop();
    assert.equal(code, 0);
    assert.equal(stderr, '');
  });

  it('fails with exit code 1 and one message when the ready file cannot be written', async () => {
    const started = start(['--port', '0', '--in-memory', '--quiet', '--ready-file', join(dir, 'missing', 'ready.json')], dir);
    const { code, stderr } = await started.stop();
    assert.equal(code, 1);
    assert.match(stderr, /^error: cannot write the --ready-file: ENOENT/);
  });
});
