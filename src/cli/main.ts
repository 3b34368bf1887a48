import { Command, CommanderError } from 'commander';
import { makeClientsCommand } from './commands/clients.js';
import { makeConfigCommand } from './commands/config.js';
import { makeControlCommand } from './commands/control.js';
import { makeInitCommand } from './commands/init.js';
import { makeKeysCommand } from './commands/keys.js';
import { makeResetCommand } from './commands/reset.js';
import { makeStartCommand } from './commands/start.js';
import { makeTlsCommand } from './commands/tls.js';
import { makeTokensCommand } from './commands/tokens.js';
import { makeUsersCommand } from './commands/users.js';
import { packageVersion } from '../package-root.js';
import { CliError, paint, type Io } from './io.js';

export { watchParent } from './parent-watch.js';

// `oauth-mock --help` lists the commands under these headings, in this order.
const COMMANDS: readonly (readonly [name: string, group: string, make: (io: Io) => Command])[] = [
  ['start', 'Server:', makeStartCommand],
  ['control', 'Server:', makeControlCommand],
  ['users', 'Users and clients:', makeUsersCommand],
  ['clients', 'Users and clients:', makeClientsCommand],
  ['tokens', 'Tokens and keys:', makeTokensCommand],
  ['keys', 'Tokens and keys:', makeKeysCommand],
  ['tls', 'Tokens and keys:', makeTlsCommand],
  ['init', 'Setup:', makeInitCommand],
  ['config', 'Setup:', makeConfigCommand],
  ['reset', 'Setup:', makeResetCommand],
];

/**
 * The whole program, or (`only`, a command's name) the program with that one command: a run
 * of `oauth-mock tokens mint` need not build the option tables of the nine others, which is a
 * few ms of every terminal command's start. Help, version and unknown commands get them all.
 */
export function buildProgram(io: Io, only?: string): Command {
  const program = new Command('oauth-mock')
    .description('A strict, persistent OAuth 2.0 / OpenID Connect mock authorization server.')
    .version(packageVersion())
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s), outputError: (s, write) => write(paint(io).red(s)) })
    .exitOverride();
  for (const [name, group, make] of COMMANDS) if (only === undefined || only === name) program.addCommand(make(io).helpGroup(group));
  program.addHelpText(
    'after',
    '\nExamples:\n  $ oauth-mock init && oauth-mock start\n  $ oauth-mock users add carol --name Carol --claim \'roles=["admin"]\'\n  $ TOKEN=$(oauth-mock tokens mint --user carol)\n\nRun oauth-mock <command> --help for the options of each.\n',
  );
  // Subcommands inherit output and exit handling.
  for (const command of program.commands) applyRecursively(command, (c) => c.configureOutput(program.configureOutput()).exitOverride());
  return program;
}

function applyRecursively(command: Command, fn: (c: Command) => void): void {
  fn(command);
  for (const sub of command.commands) applyRecursively(sub, fn);
}

/** Runs the CLI in-process and returns the exit code: 0 ok, 1 failure, 2 usage. */
export async function run(argv: string[], io: Io): Promise<number> {
  const first = argv[0];
  const program = buildProgram(io, COMMANDS.some(([name]) => name === first) ? first : undefined);
  // No command at all is a usage error (exit 2), with the overview on stderr.
  if (argv.length === 0) {
    io.stderr(program.helpInformation());
    return 2;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return 2;
    }
    if (error instanceof CliError) {
      // One red line: what went wrong and what to do.
      io.stderr(`${paint(io).red(`error: ${error.message}`)}\n`);
      return error.exitCode;
    }
    io.stderr(`${paint(io).red('error:')} ${(error as Error)?.message ?? String(error)}\n`);
    return 1;
  }
}
