// README's "Development" section and the fast test lane stay true: the scripts it names exist,
// and `test:unit` leaves out every test that needs the build.
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

  it('leaves out every test file that spawns the built binary or the bench script', () => {
    const excluded = [...(scripts['test:unit'] ?? '').matchAll(/--exclude '([^']+)\/\*\*'/g)].map((m) => `${m[1]}/`);
    assert.deepEqual(excluded.slice(0, 2), ['test/e2e/', 'test/bench/']);
    const self = relative(ROOT, fileURLToPath(import.meta.url));
    const needsBuild = testFiles(join(ROOT, 'test')).filter((file) => file !== self &&
      /spawnCli|startServerProcess|bench\/run\.mjs|bin\/oauth-mock/.test(readFileSync(join(ROOT, file), 'utf8')),
    );
    assert.ok(needsBuild.length > 0);
    for (const file of needsBuild) assert.ok(excluded.some((dir) => file.startsWith(dir)), `${file} needs the build but runs in test:unit`);
  });
});
