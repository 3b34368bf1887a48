// Runs every command of README's "From the terminal" block, in order, in one fresh directory.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cliDirs, runCli } from '../helpers/run-cli.js';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));

/** The first ```sh block after the heading. */
function block(markdown: string, heading: string): string[] {
  const section = markdown.slice(markdown.indexOf(`\n${heading}\n`));
  const match = /```sh\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error(`no sh block under ${heading}`);
  return match[1].split('\n').filter((l) => l.trim() !== '');
}

/** Just enough shell: quotes, "$VAR", a `# comment`, and `VAR=$(...)`. */
function parseLine(line: string, vars: Record<string, string>): { assign?: string; argv: string[] } {
  let rest = line.trim();
  let assign: string | undefined;
  const sub = /^([A-Z_]+)=\$\((.*)\)(\s+#.*)?$/.exec(rest);
  if (sub) [assign, rest] = [sub[1], sub[2] as string];
  const argv: string[] = [];
  let current: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const ch = rest[i] as string;
    if (ch === "'") {
      const end = rest.indexOf("'", i + 1);
      current = (current ?? '') + rest.slice(i + 1, end);
      i = end;
    } else if (ch === '"') {
      const end = rest.indexOf('"', i + 1);
      current = (current ?? '') + rest.slice(i + 1, end).replace(/\$([A-Z_]+)/g, (_, name: string) => vars[name] ?? '');
      i = end;
    } else if (ch === '#' && current === undefined) {
      break;
    } else if (/\s/.test(ch)) {
      if (current !== undefined) argv.push(current);
      current = undefined;
    } else {
      current = (current ?? '') + ch;
    }
  }
  if (current !== undefined) argv.push(current);
  return assign === undefined ? { argv } : { assign, argv };
}

describe('README "From the terminal"', () => {
  const dirs = cliDirs();
  after(() => dirs.cleanup());

  it('every command in the block runs and exits 0', async () => {
    const lines = block(readFileSync(README, 'utf8'), '## From the terminal');
    assert.ok(lines.length >= 15);
    const cwd = dirs.make();
    const vars: Record<string, string> = {};
    const ran = new Set<string>();
    for (const line of lines) {
      const parsed = parseLine(line, vars);
      const { assign } = parsed;
      // A clone has no oauth-mock on PATH: the block says `npx oauth-mock`, which runs this checkout's bin.
      assert.deepEqual(parsed.argv.slice(0, 2), ['npx', 'oauth-mock'], line);
      const argv = parsed.argv.slice(1);
      const res = await runCli(argv.slice(1), { cwd });
      assert.equal(res.code, 0, `${line}\n${res.stderr}`);
      if (assign !== undefined) {
        assert.notEqual(res.stdout.trim(), '', line);
        vars[assign] = res.stdout.trim();
      }
      ran.add(argv.slice(1, argv[1] === 'users' || argv[1] === 'clients' || argv[1] === 'tokens' ? 3 : 2).join(' '));
    }
    // Every command the issue names appears in the block.
    for (const command of [
      'init',
      'config',
      'reset',
      'users list',
      'users show',
      'users add',
      'users update',
      'users remove',
      'clients list',
      'clients show',
      'clients add',
      'clients update',
      'clients remove',
      'tokens mint',
      'tokens decode',
      'tokens verify',
      'tokens revoke',
      'tokens list',
    ]) {
      assert.ok(ran.has(command), command);
    }
    assert.match(vars.SECRET ?? '', /^[\w-]{43}$/);
  });
});
