// `oauth-mock config`: the effective settings and where each one came from.
import { Option } from 'commander';
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { emptyData } from '../../core/types.js';
import { liveServers } from '../../store/live-servers.js';
import { kebab, SETTINGS, type SettingName } from '../../config/resolve.js';
import { storeCommand, withStore, type CommonFlags } from '../command-kit.js';
import { addServerOptions, type ServerFlags } from '../server-options.js';
import { maskSecret, table } from '../format.js';
import { printJson, UsageError, type Io } from '../io.js';
import { signingIssuer } from '../signing.js';
import { loadSettings } from '../settings.js';
import { describeRedisUrl } from '../../store/redis/url.js';
import { redisStore, storePath } from '../store-options.js';

interface ConfigCommandFlags extends CommonFlags, ServerFlags {
  showSecrets?: boolean;
}

interface Row {
  value: unknown;
  source: string;
  /** Where exactly: the env variable or config file path. */
  from?: string;
}

export function makeConfigCommand(io: Io): Command {
  const config = addServerOptions(
    storeCommand('config', 'show the effective settings and where each comes from', [
      'oauth-mock config',
      'OAUTH_MOCK_PORT=9500 oauth-mock config --json',
      'oauth-mock config --config ./test/oauth-mock.config.json --show-secrets',
    ]),
  ).addOption(new Option('--show-secrets', 'print the signing secret instead of ******** (and the --store password)'));
  config.action(async (flags: ConfigCommandFlags) => {
    const { values, sources, file } = loadSettings(io, flags);
    const rows: Partial<Record<SettingName, Row>> = {};
    for (const name of Object.keys(SETTINGS) as SettingName[]) {
      const source = sources[name];
      const setting = SETTINGS[name];
      let value: unknown = values[name];
      if (name === 'secret') value = maskSecret(values.secret, flags.showSecrets === true);
      // A Redis URL may carry a password: shown without it unless asked.
      if (name === 'store' && values.store !== undefined && flags.showSecrets !== true) value = describeRedisUrl(values.store);
      const from = source === 'env' ? setting.env : source === 'config file' ? (file.path ?? undefined) : undefined;
      rows[name] = source === undefined ? { value: null, source: 'unset' } : { value, source, ...(from !== undefined ? { from } : {}) };
    }
    // The issuer `tokens mint` would use now: a live server's, when one serves the store.
    const path = storePath(io, flags, values);
    const meta = path !== null && existsSync(path) ? await withStore(io, flags, async (store) => store.read().meta) : emptyData().meta;
    try {
      const mint = signingIssuer(io, flags, meta);
      rows.issuer = { value: mint.issuer, source: mint.source, ...(mint.from !== undefined ? { from: mint.from } : {}) };
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      rows.issuer = {
        value: null,
        source: 'several live servers',
        from: liveServers(meta)
          .map((s) => s.issuer)
          .join(', '),
      };
    }
    if (values.secret === undefined) rows.secret = { value: null, source: 'store', from: 'generated once, kept in the store' };
    if (values.fixtures === undefined) rows.fixtures = { value: null, source: 'default', from: 'the shipped fixtures' };
    if (redisStore(io, flags)) rows.db = { value: null, source: 'unused', from: '--store' };
    else rows.db = { ...(rows.db as Row), value: path ?? 'in memory', ...(flags.inMemory ? { source: 'flag', from: '--in-memory' } : {}) };
    if (flags.json) return printJson(io, { config_file: file.path, settings: rows });
    const shown = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
    io.stdout(
      table(
        ['SETTING', 'VALUE', 'SOURCE'],
        Object.entries(rows).map(([name, row]) => [`--${kebab(name)}`, shown(row.value), row.from ? `${row.source} (${row.from})` : row.source]),
      ),
    );
    io.stdout(`\nconfig file: ${file.path ?? 'none (./oauth-mock.config.json does not exist; create one with: oauth-mock init)'}\n`);
  });
  return config;
}
