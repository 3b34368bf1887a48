// What the data commands share: store flags, --json, examples in --help, open-use-close.
import { Command, Option } from 'commander';
import { describeKnown } from '../core/lookup.js';
import type { Store } from '../store/types.js';
import { CliError, type Io } from './io.js';
import { addStoreOptions, openStore, type StoreFlags } from './store-options.js';

export interface CommonFlags extends StoreFlags {
  json?: boolean;
}

/** A subcommand with the store flags, `--json`, and examples shown under `--help`. */
export function storeCommand(name: string, description: string, examples: readonly string[]): Command {
  const command = new Command(name).description(description).addOption(new Option('--json', 'print JSON only, for scripts'));
  addStoreOptions(command);
  command.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
  return command;
}

/** Opens the store the flags name, runs `fn`, and always closes it (so the process can exit). */
export async function withStore<T>(io: Io, flags: StoreFlags, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(io, flags);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** The one-line failure for an id that is not in the store, naming those that are. */
export function notFound(kind: 'user' | 'client', id: string, records: Record<string, unknown>, store: Store): CliError {
  return new CliError(`no ${kind} ${JSON.stringify(id)} in ${store.path ?? store.location ?? 'the store'} (${describeKnown(records)})`);
}

/** `users list` → "users"; where a message names the store. */
export function where(store: Store): string {
  return store.path ?? store.location ?? 'the in-memory store (nothing is saved)';
}
