import { Command, Option } from 'commander';
import { isAbsolute, resolve } from 'node:path';
import { epochSeconds, systemClock } from '../../core/clock.js';
import { loadKeyFile, type ImportedKey } from '../../tokens/key-import.js';
import { DEFAULT_KEY_GRACE, listKeys, rotateKeys, SIGNING_ALGS, type KeyInfo, type SigningAlg } from '../../tokens/keys.js';
import { columns } from '../format.js';
import { CliError, paint, printJson, UsageError, type Io } from '../io.js';
import { addStoreOptions, openStore, type StoreFlags } from '../store-options.js';
import { parseDuration } from './tokens.js';

interface KeysFlags extends StoreFlags {
  json?: boolean;
  alg?: string;
  grace?: string;
  keyFile?: string;
}

/**
 * Reads --key-file for `start` and `keys rotate`. The key is imported into the store (not
 * kept in memory only), so tokens minted from the terminal and after a restart use it too.
 */
export async function readKeyFile(io: Io, path: string, alg?: string): Promise<ImportedKey> {
  try {
    return await loadKeyFile(isAbsolute(path) ? path : resolve(io.cwd, path), alg);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function parseAlg(value: string | undefined): SigningAlg | undefined {
  if (value === undefined) return undefined;
  const alg = value.toUpperCase();
  if (!(SIGNING_ALGS as readonly string[]).includes(alg)) throw new UsageError(`--alg must be one of ${SIGNING_ALGS.join(', ')}`);
  return alg as SigningAlg;
}

const iso = (seconds: number | undefined) => (seconds === undefined ? '' : new Date(seconds * 1000).toISOString());

export function makeKeysCommand(io: Io): Command {
  const keys = new Command('keys').description('list and rotate the signing keys kept in the store');

  const list = new Command('list')
    .description('list signing keys (public facts only: kid, alg, status, dates)')
    .addOption(new Option('--json', 'print the list as JSON'));
  addStoreOptions(list);
  list.action(async (flags: KeysFlags) => {
    const store = await openStore(io, flags);
    try {
      const meta = store.read().meta;
      const now = epochSeconds(systemClock);
      const entries = listKeys(meta, now);
      if (flags.json) printJson(io, { alg: meta.alg ?? 'HS256', keys: entries });
      else io.stdout(renderList(meta.alg ?? 'HS256', entries));
    } finally {
      await store.close();
    }
  });

  const rotate = new Command('rotate')
    .description('add a new signing key; the previous one stays published until the tokens it signed expire')
    .addOption(new Option('--alg <alg>', 'algorithm to rotate (default: the one the last server used on this store)'))
    .addOption(new Option('--grace <duration>', `how long the previous key stays published (default ${DEFAULT_KEY_GRACE / 3600}h)`))
    .addOption(new Option('--key-file <path>', 'rotate to this private key (PEM or JWK) instead of a generated one'))
    .addOption(new Option('--json', 'print the result as JSON'));
  addStoreOptions(rotate);
  rotate.addHelpText('after', '\nExamples:\n  $ oauth-mock keys rotate\n  $ oauth-mock keys rotate --key-file ./signing-key.pem --grace 2h\n');
  rotate.action(async (flags: KeysFlags) => {
    const grace = flags.grace === undefined ? undefined : parseDuration(flags.grace, '--grace');
    const imported = flags.keyFile === undefined ? undefined : await readKeyFile(io, flags.keyFile, parseAlg(flags.alg));
    const store = await openStore(io, flags);
    try {
      const alg = parseAlg(flags.alg) ?? imported?.alg ?? store.read().meta.alg ?? 'HS256';
      let result;
      try {
        result = await rotateKeys(store, { alg, now: epochSeconds(systemClock), ...(grace !== undefined ? { grace } : {}), ...(imported ? { imported } : {}) });
      } catch (error) {
        throw new CliError((error as Error).message);
      }
      if (flags.json) printJson(io, result);
      else if (result.secretReplaced) {
        io.stdout('HS256\n');
        io.stderr(
          `${paint(io).yellow('warning:')} HS256 tokens carry no kid, so the secret was replaced: tokens signed with the old one no longer verify (a server started with --secret keeps using that)\n`,
        );
      } else {
        io.stdout(`${result.kid}\n`);
        for (const r of result.retired) io.stderr(`retired ${r.kid}; published until ${iso(r.drop_at)}\n`);
      }
    } finally {
      await store.close();
    }
  });

  keys.addCommand(list);
  keys.addCommand(rotate);
  return keys;
}

function renderList(alg: string, entries: KeyInfo[]): string {
  if (entries.length === 0) return 'no signing keys yet: start the server once to create them\n';
  const rows = entries.map((k) => [
    k.kid ?? '(secret, no kid)',
    k.alg,
    k.status,
    k.source ?? iso(k.created_at),
    k.drop_at === undefined ? '' : `until ${iso(k.drop_at)}`,
  ]);
  return `server algorithm: ${alg}\n${columns(rows)}`;
}
