// `oauth-mock reset`: back to the fixtures, keeping the signing keys so a running server goes on.
import type { Command } from 'commander';
import { Option } from 'commander';
import { loadFixtures } from '../../store/fixtures.js';
import { storeCommand, where, withStore, type CommonFlags } from '../command-kit.js';
import { CliError, paint, printJson, UsageError, type Io } from '../io.js';
import { fixturesDir } from '../store-options.js';

interface ResetFlags extends CommonFlags {
  yes?: boolean;
}

export function makeResetCommand(io: Io): Command {
  const reset = storeCommand('reset', 'reseed the store from fixtures (keeps the signing keys)', [
    'oauth-mock reset --yes',
    'oauth-mock reset --fixtures ./test/fixtures --db ./test/oauth.json --yes',
  ]).addOption(new Option('-y, --yes', 'do not ask for confirmation (required when not on a terminal)'));
  reset.action(async (flags: ResetFlags) => {
    const dir = fixturesDir(io, flags);
    // Read the fixtures before asking, so a broken fixture file fails before anything.
    let seed;
    try {
      seed = loadFixtures(dir);
    } catch (error) {
      throw new CliError((error as Error).message);
    }
    if (!flags.yes) {
      if (!io.interactive || !io.confirm) throw new UsageError('reset drops every change made since the store was seeded; pass --yes to confirm');
      if (!(await io.confirm('Reseed the store from fixtures, dropping added users, clients and issued refresh tokens?'))) {
        throw new CliError('reset cancelled');
      }
    }
    await withStore(io, flags, async (store) => {
      // The signing secret or keys, issuer and alg stay: a running server keeps signing with them.
      await store.replace({ ...seed, meta: store.read().meta });
      const summary = { store: store.path, users: Object.keys(seed.users), clients: Object.keys(seed.clients) };
      if (flags.json) return printJson(io, summary);
      io.stderr(`${paint(io).green('✔')} reseeded ${where(store)}: users ${summary.users.join(', ') || '(none)'}; clients ${summary.clients.join(', ') || '(none)'}\n`);
    });
  });
  return reset;
}
