// The published entry is an esbuild bundle of the library (scripts/bundle-cli.mjs), in a child
// process as a user loads it: it must export what src/index.ts exports, from ESM and from the
// CommonJS entry, and run a mock (after `npm run build`, which npm test does first).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as api from '../../src/index.js';

const run = promisify(execFile);
const DIST = new URL('../../dist/', import.meta.url).pathname;

/**
 * name → typeof (and, for a function or class, its own `name`), sorted, for what `load` (an
 * expression) yields in a fresh node. The bundle keeps identifiers unminified rather than
 * wrapping every function in esbuild's keepNames helper: this catches a class renamed on a clash.
 */
async function exportsOf(load: string, type: 'module' | 'commonjs'): Promise<string[][]> {
  const script = `Promise.resolve(${load}).then((m) => process.stdout.write(JSON.stringify(Object.keys(m).sort().map((k) => typeof m[k] === 'function' ? [k, 'function', m[k].name] : [k, typeof m[k]]))))`;
  const { stdout } = await run(process.execPath, ['--input-type', type, '-e', script], { cwd: DIST });
  return JSON.parse(stdout) as [string, string][];
}

describe('the bundled library entry (dist/index.js, dist/index.cjs)', function () {
  this.timeout(30_000);
  const expected = Object.keys(api)
    .sort()
    .map((k) => {
      const value = (api as Record<string, unknown>)[k];
      return typeof value === 'function' ? [k, 'function', value.name] : [k, typeof value];
    });

  it('exports the names and kinds src/index.ts exports, from ESM and from require()', async () => {
    assert.deepEqual(await exportsOf("import('./index.js')", 'module'), expected);
    assert.deepEqual(await exportsOf("require('./index.cjs')", 'commonjs'), expected);
  });

  it('starts a mock whose discovery answers, and keeps error class names', async () => {
    const script = `
      const { startOAuthMock, InvalidGrant } = await import('./index.js');
      const mock = await startOAuthMock();
      const res = await fetch(mock.discoveryUrl);
      const doc = await res.json();
      await mock.stop();
      process.stdout.write(JSON.stringify({ status: res.status, issuer: doc.issuer === mock.issuer, name: new InvalidGrant('x').name }));`;
    const { stdout } = await run(process.execPath, ['--input-type', 'module', '-e', script], { cwd: DIST });
    assert.deepEqual(JSON.parse(stdout), { status: 200, issuer: true, name: 'InvalidGrant' });
  });

  describe('the V8 code cache beside the bundle (dist/.v8-cache/)', () => {
    const CACHE = join(DIST, '.v8-cache');
    const startOnce = async (env: Record<string, string> = {}) => {
      const script = `
        const { startOAuthMock } = await import('./index.js');
        const mock = await startOAuthMock();
        const res = await fetch(mock.discoveryUrl);
        await mock.stop();
        process.stdout.write(String(res.status));`;
      const { stdout } = await run(process.execPath, ['--input-type', 'module', '-e', script], { cwd: DIST, env: { ...process.env, ...env } });
      assert.equal(stdout, '200');
    };
    const cacheFiles = () => readdirSync(CACHE).filter((f) => !f.startsWith('.'));
    beforeEach(() => rmSync(CACHE, { recursive: true, force: true }));
    after(() => rmSync(CACHE, { recursive: true, force: true }));

    it('is written by the first process and used, unchanged, by the next', async () => {
      await startOnce();
      const files = cacheFiles();
      assert.equal(files.length, 1, files.join(', '));
      const file = files[0] as string;
      assert.match(file, new RegExp(`^lib-[0-9a-f]{16}-\\d+-\\d+-${process.version}-${process.arch}\\.bin$`));
      const written = statSync(join(CACHE, file)).mtimeMs;
      await startOnce();
      assert.deepEqual(cacheFiles(), [file]);
      assert.equal(statSync(join(CACHE, file)).mtimeMs, written, 'an accepted cache is not rewritten');
    });

    it('a damaged cache is refused by V8, the bundle compiles as usual, and the cache is written anew', async () => {
      await startOnce();
      const [file] = cacheFiles() as [string];
      writeFileSync(join(CACHE, file), 'not a code cache');
      await startOnce();
      assert.notEqual(readFileSync(join(CACHE, file), 'utf8'), 'not a code cache');
    });

    it('OAUTH_MOCK_CODE_CACHE=0 neither reads nor writes one', async () => {
      await startOnce({ OAUTH_MOCK_CODE_CACHE: '0' });
      assert.throws(() => readdirSync(CACHE), { code: 'ENOENT' });
    });
  });
});
