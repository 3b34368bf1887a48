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

export function buildProgram(io: Io): Command {
  const program = new Command('oauth-mock')
    .description('A strict, persistent OAuth 2.0 / OpenID Connect mock authorization server.')
    .version(packageVersion())
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s), outputError: (s, write) => write(paint(io).red(s)) })
    .exitOverride();
  // `oauth-mock --help` lists the commands under these headings, in this order.
  program.addCommand(makeStartCommand(io).helpGroup('Server:'));
  program.addCommand(makeControlCommand(io).helpGroup('Server:'));
  program.addCommand(makeUsersCommand(io).helpGroup('Users and clients:'));
  program.addCommand(makeClientsCommand(io).helpGroup('Users and clients:'));
  program.addCommand(makeTokensCommand(io).helpGroup('Tokens and keys:'));
  program.addCommand(makeKeysCommand(io).helpGroup('Tokens and keys:'));
  program.addCommand(makeTlsCommand(io).helpGroup('Tokens and keys:'));
  program.addCommand(makeInitCommand(io).helpGroup('Setup:'));
  program.addCommand(makeConfigCommand(io).helpGroup('Setup:'));
  program.addCommand(makeResetCommand(io).helpGroup('Setup:'));
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
  const program = buildProgram(io);
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
