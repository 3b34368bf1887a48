// Signs and verifies exactly as the server on the same store does: the store's keys, the
// algorithm and issuer the last `start` recorded (or the flags, env and config file).
import { Option, type Command } from 'commander';
import { issuerFor } from '../config/defaults.js';
import { epochSeconds, systemClock } from '../core/clock.js';
import type { Store } from '../store/types.js';
import { createKeyRingSource, ensureKeys, secretProblem } from '../tokens/keys.js';
import { createTokens, type Tokens } from '../tokens/tokens.js';
import { UsageError, type Io } from './io.js';
import { loadSettings, type ConfigFlags } from './settings.js';

export interface SigningFlags extends ConfigFlags {
  issuer?: string;
  secret?: string;
}

export function addSigningOptions(command: Command): Command {
  return command
    .addOption(new Option('--issuer <url>', 'issuer (default: the one the last server started on this store used; env OAUTH_MOCK_ISSUER)'))
    .addOption(new Option('--secret <secret>', 'HS256 secret, if the server was started with one (env OAUTH_MOCK_SECRET)'));
}

/** Tokens bound to the store's keys. `create` makes the key first if the store has none yet (minting). */
export async function storeTokens(io: Io, flags: SigningFlags, store: Store, opts: { create: boolean }): Promise<Tokens> {
  const settings = loadSettings(io, flags, ['issuer', 'secret', 'host', 'port']).values;
  const secret = settings.secret;
  if (secret !== undefined) {
    const problem = secretProblem(secret);
    if (problem) throw new UsageError(problem);
  }
  const meta = store.read().meta;
  const alg = meta.alg ?? 'HS256';
  const keyOptions = { alg, ...(secret !== undefined ? { secret } : {}) };
  if (opts.create) await ensureKeys(store, keyOptions, epochSeconds(systemClock));
  const issuer = settings.issuer ?? meta.issuer ?? issuerFor(settings.host ?? '127.0.0.1', settings.port ?? 9400);
  // With the clock, so a retired key past its grace period no longer verifies here either.
  const keyRing = createKeyRingSource({ ...keyOptions, now: () => epochSeconds(systemClock) });
  return createTokens({ issuer: issuer.replace(/\/+$/, ''), clock: systemClock, keys: (data) => keyRing(data.meta) });
}
