import { Option, type Command } from 'commander';
import { isAbsolute, resolve } from 'node:path';
import { DEFAULT_DB } from '../config/defaults.js';
import { resolveSettings } from '../config/resolve.js';
import { loadFixtures } from '../store/fixtures.js';
import { createStore } from '../store/index.js';
import type { Store } from '../store/types.js';
import type { Io } from './io.js';
import { CliError } from './io.js';

export interface StoreFlags {
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
    .addOption(new Option('--fixtures <dir>', 'seed a new store from users.json and clients.json in this directory (env OAUTH_MOCK_FIXTURES)'));
}

export function storePath(io: Io, flags: StoreFlags): string | null {
  if (flags.inMemory) return null;
  const { db } = resolveSettings({ flags, env: io.env, only: ['db'] }).values;
  const path = db ?? DEFAULT_DB;
  return isAbsolute(path) ? path : resolve(io.cwd, path);
}

/** Opens the store the flags (or env) name, seeding it from fixtures when it is new. */
export async function openStore(io: Io, flags: StoreFlags): Promise<Store> {
  const { fixtures } = resolveSettings({ flags, env: io.env, only: ['fixtures'] }).values;
  const fixturesDir = fixtures === undefined ? undefined : isAbsolute(fixtures) ? fixtures : resolve(io.cwd, fixtures);
  const seed = () => loadFixtures(fixturesDir);
  try {
    const path = storePath(io, flags);
    return await createStore({ path, inMemory: path === null, seed, reset: flags.reset === true });
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}
