// Settings as every command sees them: flags, then OAUTH_MOCK_* env, then the config file, then defaults.
import { ConfigFileError, loadConfigFile, type ConfigFile } from '../config/load-file.js';
import { resolveSettings, type Resolved, type SettingName } from '../config/resolve.js';
import { CliError, UsageError, type Io } from './io.js';

export interface ConfigFlags {
  config?: string;
}

export type LoadedSettings = Resolved & { file: ConfigFile };

/** Reads the config file (`--config`, else ./oauth-mock.config.json) and resolves `only` (default: all). */
export function loadSettings(io: Io, flags: ConfigFlags & Partial<Record<SettingName, unknown>>, only?: readonly SettingName[]): LoadedSettings {
  let file: ConfigFile;
  try {
    file = loadConfigFile(io.cwd, flags.config);
  } catch (error) {
    if (error instanceof ConfigFileError) throw new CliError(error.message);
    throw error;
  }
  try {
    return { ...resolveSettings({ flags, env: io.env, file: file.values, ...(only ? { only } : {}) }), file };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
