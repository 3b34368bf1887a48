// `oauth-mock reset`: back to the fixtures, keeping the signing keys so a running server goes on.
import type { Command } from 'commander';
import { Option } from 'commander';
import { epochSeconds, systemClock } from '../../core/clock.js';
import { emptyData } from '../../core/types.js';
import { CorruptStoreError } from '../../store/errors.js';
import { loadFixtures } from '../../store/fixtures.js';
import { createStore } from '../../store/index.js';
import { resetState, salvageMeta } from '../../store/reset.js';
import type { Store } from '../../store/types.js';
import { storeCommand, where, type CommonFlags } from '../command-kit.js';
import { CliError, paint, printJson, UsageError, type Io } from '../io.js';
import { fixturesDir, redisStore, storePath } from '../store-options.js';

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
    const now = epochSeconds(systemClock);
    const path = storePath(io, flags);
    const redis = redisStore(io, flags);
    let store: Store | undefined;
    let note = '';
    try {
      store = redis
        ? await createStore({ url: redis.url, namespace: redis.namespace, seed: () => seed })
        : await createStore({ path, inMemory: path === null, seed: () => seed });
      // The signing secret or keys and alg stay: a running server keeps signing with them.
      await store.replace(resetState(store.read(), seed, now));
    } catch (error) {
      await store?.close().catch(() => {});
      if (!(error instanceof CorruptStoreError) || path === null) throw new CliError((error as Error).message);
      // A store that no longer loads is what reset is for: write it anew, with the keys it had.
      const meta = salvageMeta(path);
      note = meta ? ' (it was corrupt; its signing keys were kept)' : ' (it was corrupt and its keys unreadable: new signing keys will be generated)';
      store = await createStore({ path, reset: true, seed: () => resetState(meta ? { ...emptyData(), meta } : emptyData(), seed, now) });
    }
    try {
      const summary = { store: store.path ?? store.location ?? null, users: Object.keys(seed.users), clients: Object.keys(seed.clients) };
      if (flags.json) return printJson(io, summary);
      io.stderr(
        `${paint(io).green('✔')} reseeded ${where(store)}${note}: users ${summary.users.join(', ') || '(none)'}; clients ${summary.clients.join(', ') || '(none)'}\n`,
      );
    } finally {
      await store.close();
    }
  });
  return reset;
}
