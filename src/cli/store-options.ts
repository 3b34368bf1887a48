import { Option, type Command } from 'commander';
import { isAbsolute, resolve } from 'node:path';
import { DEFAULT_DB } from '../config/defaults.js';
import { fixturesProblem, loadFixtures } from '../store/fixtures.js';
import { createStore } from '../store/index.js';
import type { Store } from '../store/types.js';
import type { Io } from './io.js';
import { CliError, UsageError } from './io.js';
import type { Settings } from '../config/resolve.js';
import { loadSettings, type ConfigFlags } from './settings.js';

export interface StoreFlags extends ConfigFlags {
  db?: string;
  inMemory?: boolean;
  fixtures?: string;
  reset?: boolean;
}

/** The flags every command that reads the store shares, so all of them find the same file. */
export function addStoreOptions(command: Command): Command {
  return command
    .addOption(new Option('--db <path>', `store file (default ${DEFAULT_DB} under the working directory; env OAUTH_MOCK_DB)`))
    .addOption(new Option('--in-memory', 'keep the store in memory only (nothing is written)'))
    .addOption(new Option('--fixtures <dir>', 'seed a new store from users.json and clients.json in this directory (env OAUTH_MOCK_FIXTURES)'))
    .addOption(new Option('--config <path>', 'config file (default ./oauth-mock.config.json when it exists)'));
}

/** `settings`: what the command already resolved, so settings load once per command. */
export function storePath(io: Io, flags: StoreFlags, settings?: Pick<Settings, 'db'>): string | null {
  if (flags.inMemory) return null;
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

/** Opens the store the flags (or env, or config file) name, seeding it from fixtures when it is new. */
export async function openStore(io: Io, flags: StoreFlags, settings?: Pick<Settings, 'db' | 'fixtures'>): Promise<Store> {
  const resolved = settings ?? loadSettings(io, flags, ['db', 'fixtures']).values;
  const dir = fixturesDir(io, flags, resolved);
  const seed = () => loadFixtures(dir);
  const path = storePath(io, flags, resolved);
  try {
    return await createStore({ path, inMemory: path === null, seed, reset: flags.reset === true });
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}
