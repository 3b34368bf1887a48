// The optional config file `oauth-mock.config.json`: the third rung of flag > env > file > default.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { SETTINGS, type SettingName } from './resolve.js';

export const CONFIG_FILE = 'oauth-mock.config.json';

export interface ConfigFile {
  /** The file read, or null when there was none. */
  path: string | null;
  values: Partial<Record<SettingName, unknown>>;
}

export class ConfigFileError extends Error {}

// Paths in the file are relative to the file, so `--config sub/oauth-mock.config.json` means
// the same store whatever the working directory.
const PATH_SETTINGS: readonly SettingName[] = ['db', 'fixtures', 'keyFile', 'cert', 'key'];

/**
 * Reads `explicit` (from `--config`), else `oauth-mock.config.json` in `cwd`. A missing default
 * file is simply no file; a missing explicit one, bad JSON or an unknown key is an error.
 */
export function loadConfigFile(cwd: string, explicit?: string): ConfigFile {
  const path = explicit === undefined ? resolve(cwd, CONFIG_FILE) : isAbsolute(explicit) ? explicit : resolve(cwd, explicit);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && explicit === undefined) return { path: null, values: {} };
    if (code === 'ENOENT') throw new ConfigFileError(`config file ${path} does not exist`);
    throw new ConfigFileError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigFileError(`config file ${path} is not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigFileError(`config file ${path} must hold a JSON object`);
  }
  const known = Object.keys(SETTINGS);
  const values: Partial<Record<SettingName, unknown>> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (key === '$schema' || key.startsWith('//')) continue;
    if (!known.includes(key)) throw new ConfigFileError(`config file ${path}: unknown setting "${key}"; known: ${known.join(', ')}`);
    const name = key as SettingName;
    values[name] = PATH_SETTINGS.includes(name) && typeof value === 'string' && !isAbsolute(value) ? resolve(dirname(path), value) : value;
  }
  return { path, values };
}
