// docs/store.md names the test that covers each crash point: those tests must exist, under the
// titles it quotes, so the page cannot drift from the suite.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? testFiles(join(dir, entry.name)) : entry.name.endsWith('.test.ts') ? [relative(ROOT, join(dir, entry.name))] : [],
  );
}

describe('docs/store.md', () => {
  const doc = readFileSync(join(ROOT, 'docs/store.md'), 'utf8');
  const files = testFiles(join(ROOT, 'test'));
  const find = (cited: string): string | undefined => files.find((f) => f === cited || basename(f) === cited);

  it('cites test files that exist', () => {
    const cited = [...doc.matchAll(/`((?:test\/)?[\w/-]+\.test\.ts)`/g)].map((m) => m[1] as string);
    assert.ok(cited.length >= 8, `only ${cited.length} citations`);
    for (const file of cited) assert.ok(find(file), `${file} is cited but does not exist`);
  });

  it('quotes test titles that those files have', () => {
    const quoted = [...doc.matchAll(/`([\w/-]+\.test\.ts)` "([^"…]+)…?"/g)].map((m) => [m[1] as string, m[2] as string] as const);
    assert.ok(quoted.length >= 6, `only ${quoted.length} quoted titles`);
    for (const [file, title] of quoted) {
      const path = find(file);
      assert.ok(path, `${file} does not exist`);
      assert.ok(readFileSync(join(ROOT, path), 'utf8').includes(`it('${title}`), `${file} has no test titled "${title}…"`);
    }
  });
});
