import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const README = new URL('../../README.md', import.meta.url);
const EXAMPLE = new URL('./readme-example.test.ts', import.meta.url);

describe('README "In your test suite"', () => {
  it('shows readme-example.test.ts exactly, importing from the package name', () => {
    const readme = readFileSync(README, 'utf8');
    const section = readme.split(/^## In your test suite$/m)[1];
    assert.ok(section !== undefined, 'README has an "## In your test suite" section');
    const block = /^```ts\n([\s\S]*?)^```$/m.exec(section.split(/^## /m)[0] ?? '')?.[1];
    assert.ok(block !== undefined, 'the section opens with a ts code block');
    const example = readFileSync(EXAMPLE, 'utf8');
    assert.ok(example.includes("from '../../src/index.js'"), 'the example imports the public barrel');
    assert.equal(block, example.replace("from '../../src/index.js'", "from 'oauth-mock'"));
  });
});
