import { Option, type Command } from 'commander';
import { isAbsolute, resolve } from 'node:path';
import { DEFAULT_DB, issuerFor } from '../config/defaults.js';
import { describeRedisUrl } from '../store/redis/url.js';
import { fixturesProblem, loadFixtures } from '../store/fixtures.js';
import { createStore } from '../store/index.js';
import type { Store } from '../store/types.js';
import type { Io } from './io.js';
import { CliError, UsageError } from './io.js';
import type { Settings } from '../config/resolve.js';
import { loadSettings, type ConfigFlags } from './settings.js';

export interface StoreFlags extends ConfigFlags {
  db?: string;
  store?: string;
  issuer?: string;
  inMemory?: boolean;
  fixtures?: string;
  reset?: boolean;
}

/** Adds `option` unless the command has an option of that name already (e.g. --issuer). */
export function addOnce(command: Command, option: Option): Command {
  return command.options.some((o) => o.long === option.long) ? command : command.addOption(option);
}

/** The flags every command that reads the store shares, so all of them find the same store. */
export function addStoreOptions(command: Command): Command {
  addOnce(
    command,
    new Option(
      '--issuer <url>',
      'issuer, exactly as tokens carry it (default: the one of the server serving this store; with --store, where it also names the Redis keys: OAUTH_MOCK_ISSUER, the config file or http://<host>:<port>)',
    ),
  );
  return command
    .addOption(new Option('--db <path>', `store file (default ${DEFAULT_DB} under the working directory; env OAUTH_MOCK_DB)`))
    .addOption(new Option('--store <url>', 'keep the store in Redis, shared by replicas: redis://[user:pass@]host:port/db (env OAUTH_MOCK_STORE)'))
    .addOption(new Option('--in-memory', 'keep the store in memory only (nothing is written)'))
    .addOption(new Option('--fixtures <dir>', 'seed a new store from users.json and clients.json in this directory (env OAUTH_MOCK_FIXTURES)'))
    .addOption(new Option('--config <path>', 'config file (default ./oauth-mock.config.json when it exists)'));
}

/** `settings`: what the command already resolved, so settings load once per command. Null: not a file. */
export function storePath(io: Io, flags: StoreFlags, settings?: Pick<Settings, 'db'>): string | null {
  if (flags.inMemory || redisStore(io, flags) !== undefined) return null;
  const { db } = settings ?? loadSettings(io, flags, ['db']).values;
  const path = db ?? DEFAULT_DB;
  return isAbsolute(path) ? path : resolve(io.cwd, path);
}

/** The fixtures directory the flags, env or config file name; undefined means the shipped ones. */
export function fixturesDir(io: Io, flags: StoreFlags, settings?: Pick<Settings, 'fixtures'>): string | undefined {
  const { fixtures } = settings ?? loadSettings(io, flags, ['fixtures']).values;
  if (fixtures === undefined) return undefined;
  const dir = isAbsolute(fixtures) ? fixtures : resolve(io.cwd, fixtures);
  // Checked whether or not the store is new: a typo must not wait for the day it matters.
  const problem = fixturesProblem(dir);
  if (problem) {
    const source = loadSettings(io, flags, ['fixtures']).sources.fixtures;
    throw new UsageError(`${source === 'env' ? 'OAUTH_MOCK_FIXTURES' : source === 'config file' ? '"fixtures" in the config file:' : '--fixtures'} ${problem}`);
  }
  return dir;
}

export interface RedisTarget {
  url: string;
  /** The issuer, which names the keys: `oauth-mock:<issuer>:...`. */
  namespace: string;
  /** The URL without credentials, for messages. */
  shown: string;
}

/**
 * The Redis store the flags, env or config file name (`--in-memory` wins), with the issuer
 * that names its keys: `--issuer`, else http://<host>:<port> as `start` would derive it.
 */
export function redisStore(io: Io, flags: StoreFlags): RedisTarget | undefined {
  if (flags.inMemory) return undefined;
  const { store, issuer, host, port } = loadSettings(io, flags, ['store', 'issuer', 'host', 'port']).values;
  if (store === undefined) return undefined;
  if (issuer === undefined && port === 0) {
    throw new UsageError('with --store, --port 0 needs --issuer: the issuer names the Redis keys, so every replica and terminal command must agree on it');
  }
  // Byte for byte, as the issuer is everywhere: start and every terminal command name the same keys.
  const namespace = issuer ?? issuerFor(host ?? '127.0.0.1', port ?? 9400);
  return { url: store, namespace, shown: describeRedisUrl(store) };
}

/** Opens the store the flags (or env, or config file) name, seeding it from fixtures when it is new. */
export async function openStore(io: Io, flags: StoreFlags, settings?: Pick<Settings, 'db' | 'fixtures'>): Promise<Store> {
  const resolved = settings ?? loadSettings(io, flags, ['db', 'fixtures']).values;
  const dir = fixturesDir(io, flags, resolved);
  const seed = () => loadFixtures(dir);
  const redis = redisStore(io, flags);
  const path = storePath(io, flags, resolved);
  try {
    if (redis) return await createStore({ url: redis.url, namespace: redis.namespace, seed, reset: flags.reset === true });
    return await createStore({ path, inMemory: path === null, seed, reset: flags.reset === true });
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}
