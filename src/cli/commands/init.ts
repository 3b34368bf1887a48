// `oauth-mock init [DIR]`: a starter config file and fixtures to edit, next to a project.
import { Command, Option } from 'commander';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { DEFAULT_DB, DEFAULT_HOST, DEFAULT_PORT } from '../../config/defaults.js';
import { CONFIG_FILE } from '../../config/load-file.js';
import { DEFAULT_FIXTURES_DIR } from '../../store/fixtures.js';
import { CliError, paint, printJson, type Io } from '../io.js';

interface InitFlags {
  force?: boolean;
  db?: string;
  json?: boolean;
}

export function makeInitCommand(io: Io): Command {
  const init = new Command('init')
    .description('write a starter config file and fixtures/ to edit')
    .argument('[dir]', 'where to write them (default: the working directory)')
    .addOption(new Option('--db <path>', `store file to put in the config file (default ${DEFAULT_DB})`))
    .addOption(new Option('--force', 'overwrite files that exist'))
    .addOption(new Option('--json', 'print what was written as JSON'));
  init.addHelpText(
    'after',
    '\nExamples:\n  $ oauth-mock init\n  $ oauth-mock init test/oauth --db test/oauth/db.json\n  $ oauth-mock start   # picks up ./oauth-mock.config.json\n',
  );
  init.action((dir: string | undefined, flags: InitFlags) => {
    const root = resolve(io.cwd, dir ?? '.');
    const files = {
      config: join(root, CONFIG_FILE),
      users: join(root, 'fixtures', 'users.json'),
      clients: join(root, 'fixtures', 'clients.json'),
    };
    const existing = Object.values(files).filter((f) => existsSync(f));
    if (existing.length > 0 && !flags.force) {
      throw new CliError(
        `${existing.map((f) => relative(io.cwd, f) || f).join(', ')} already exist${existing.length === 1 ? 's' : ''}; pass --force to overwrite`,
      );
    }
    mkdirSync(join(root, 'fixtures'), { recursive: true });
    copyFileSync(join(DEFAULT_FIXTURES_DIR, 'users.json'), files.users);
    copyFileSync(join(DEFAULT_FIXTURES_DIR, 'clients.json'), files.clients);
    // Paths in the config file are relative to it (see src/config/load-file.ts).
    const config = { port: DEFAULT_PORT, host: DEFAULT_HOST, db: flags.db ?? DEFAULT_DB, fixtures: 'fixtures', alg: 'HS256' };
    writeFileSync(files.config, `${JSON.stringify(config, null, 2)}\n`);
    if (flags.json) return printJson(io, { dir: root, files: Object.values(files), config });
    const c = paint(io);
    io.stderr(
      `${c.green('✔')} wrote ${Object.values(files)
        .map((f) => relative(io.cwd, f) || f)
        .join(', ')}\n`,
    );
    io.stderr(
      `  edit them, then run ${c.bold('oauth-mock start')}${dir === undefined ? '' : ` --config ${relative(io.cwd, files.config)}`} (a store already seeded needs ${c.bold('oauth-mock reset --yes')})\n`,
    );
  });
  return init;
}
