// Signs and verifies exactly as the server on the same store does: the store's keys, and the
// issuer and algorithm of the server serving the store now (or the flags, env and config file).
import { Option, type Command } from 'commander';
import { issuerFor } from '../config/defaults.js';
import { epochSeconds, systemClock } from '../core/clock.js';
import type { Meta } from '../core/types.js';
import { liveServers } from '../store/live-servers.js';
import type { Store } from '../store/types.js';
import { createKeyRingSource, ensureKeys, secretProblem, type SigningAlg } from '../tokens/keys.js';
import { createTokens, type Tokens } from '../tokens/tokens.js';
import { UsageError, type Io } from './io.js';
import { addOnce } from './store-options.js';
import { loadSettings, type ConfigFlags } from './settings.js';

export interface SigningFlags extends ConfigFlags {
  issuer?: string;
  secret?: string;
}

export function addSigningOptions(command: Command): Command {
  return addOnce(
    command,
    new Option(
      '--issuer <url>',
      'issuer (default: the one of the server serving this store; with none, OAUTH_MOCK_ISSUER, the config file or http://<host>:<port>)',
    ),
  ).addOption(new Option('--secret <secret>', 'HS256 secret, if the server was started with one (env OAUTH_MOCK_SECRET)'));
}

/** The issuer terminal commands use, and why; `config` shows the same. */
export interface SigningIssuer {
  issuer: string;
  alg: SigningAlg;
  source: 'flag' | 'live server' | 'env' | 'config file' | 'default';
  /** The env variable, config file or server it came from. */
  from?: string | undefined;
}

/**
 * `--issuer` if given; else the issuer of the one server serving the store now (several: a
 * usage error listing them, since a token can carry only one); else the configured issuer.
 */
export function signingIssuer(io: Io, flags: SigningFlags, meta: Readonly<Meta>): SigningIssuer {
  const { values, sources, file } = loadSettings(io, flags, ['issuer', 'host', 'port', 'alg', 'https', 'cert']);
  const storeAlg = meta.alg ?? 'HS256';
  if (sources.issuer === 'flag' && values.issuer !== undefined) return { issuer: values.issuer, alg: storeAlg, source: 'flag' };
  const live = liveServers(meta);
  if (live.length > 1) {
    const list = live.map((s) => `  --issuer ${s.issuer}   (pid ${s.pid}, ${s.url})`).join('\n');
    throw new UsageError(`${live.length} servers serve this store; say which one the token is for:\n${list}`);
  }
  const [server] = live;
  if (server) return { issuer: server.issuer, alg: server.alg, source: 'live server', from: `pid ${server.pid} at ${server.url}` };
  if (values.issuer !== undefined && (sources.issuer === 'env' || sources.issuer === 'config file')) {
    return { issuer: values.issuer, alg: storeAlg, source: sources.issuer, from: sources.issuer === 'env' ? 'OAUTH_MOCK_ISSUER' : (file.path ?? undefined) };
  }
  const scheme = values.https || values.cert !== undefined ? 'https' : 'http';
  return { issuer: issuerFor(values.host ?? '127.0.0.1', values.port ?? 9400, scheme), alg: storeAlg, source: 'default', from: 'host and port' };
}

/** Tokens bound to the store's keys. `create` makes the key first if the store has none yet (minting). */
export async function storeTokens(io: Io, flags: SigningFlags, store: Store, opts: { create: boolean }): Promise<Tokens> {
  const settings = loadSettings(io, flags, ['secret']).values;
  const secret = settings.secret;
  if (secret !== undefined) {
    const problem = secretProblem(secret);
    if (problem) throw new UsageError(problem);
  }
  const { issuer, alg } = signingIssuer(io, flags, store.read().meta);
  const keyOptions = { alg, ...(secret !== undefined ? { secret } : {}) };
  if (opts.create) await ensureKeys(store, keyOptions, epochSeconds(systemClock));
  // With the clock, so a retired key past its grace period no longer verifies here either.
  const keyRing = createKeyRingSource({ ...keyOptions, now: () => epochSeconds(systemClock) });
  return createTokens({ issuer, clock: systemClock, keys: (data) => keyRing(data.meta) });
}
