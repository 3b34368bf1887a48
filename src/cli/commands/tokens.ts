// `oauth-mock tokens ...`: mint, inspect and revoke tokens against the store a server uses.
import { Command } from 'commander';
import type { Io } from '../io.js';
import { makeListCommand, makeRevokeCommand } from './tokens-admin.js';
import { makeDecodeCommand, makeVerifyCommand } from './tokens-inspect.js';
import { makeMintCommand } from './tokens-mint.js';

export { parseDuration } from '../parse.js';

export function makeTokensCommand(io: Io): Command {
  const tokens = new Command('tokens').description('mint, decode, verify, revoke and list tokens');
  for (const sub of [makeMintCommand(io), makeDecodeCommand(io), makeVerifyCommand(io), makeRevokeCommand(io), makeListCommand(io)]) tokens.addCommand(sub);
  return tokens;
}
