// README's "Development" section and the fast test lane stay true: the scripts it names exist,
// and `test:unit` leaves out every test that needs the build or runs other processes.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [relative(ROOT, path)] : [];
  });
}

describe('README "Development" and npm run test:unit', () => {
  it('names only scripts that package.json has', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.split(/^## Development$/m)[1]?.split(/^## /m)[0];
    assert.ok(section !== undefined, 'README has a "## Development" section');
    const named = [...section.matchAll(/npm (?:run ([\w:-]+)|(test)\b)/g)].map((m) => m[1] ?? m[2]);
    assert.ok(named.includes('test:unit') && named.includes('test'));
    for (const name of named) assert.ok(name !== undefined && scripts[name] !== undefined, `npm run ${name} is not a script`);
  });

  it('leaves out every test file that spawns the built binary, the bench script, a redis-server, store processes or a Python venv', () => {
    // Each --exclude glob as a RegExp: `**` any path, `*` any name part.
    const excluded = [...(scripts['test:unit'] ?? '').matchAll(/--exclude '([^']+)'/g)].map(
      (m) =>
        new RegExp(
          `^${(m[1] ?? '')
            .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
            .replace(/\*\*\/?/g, '\0')
            .replace(/\*/g, '[^/]*')
            .replace(/\0/g, '.*')}$`,
        ),
    );
    assert.ok(excluded.some((re) => re.test('test/e2e/start.test.ts')) && excluded.some((re) => re.test('test/bench/smoke.test.ts')));
    const self = relative(ROOT, fileURLToPath(import.meta.url));
    const outOfProcess = testFiles(join(ROOT, 'test')).filter(
      (file) =>
        file !== self &&
        /spawnCli|startServerProcess|spawnBin|bench\/run\.mjs|bin\/oauth-mock|redis-server\.js|interop\/python\.js|fixtures\/(add-users|commit-loop)/.test(
          readFileSync(join(ROOT, file), 'utf8'),
        ),
    );
    assert.ok(outOfProcess.length > 0);
    for (const file of outOfProcess)
      assert.ok(
        excluded.some((re) => re.test(file)),
        `${file} runs out of process but is in test:unit`,
      );
  });
});
