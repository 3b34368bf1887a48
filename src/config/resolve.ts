import { basePathProblem, DEFAULT_DB, DEFAULT_HOST, DEFAULT_PORT, LOGIN_MODES, type LoginMode } from './defaults.js';
import { SIGNING_ALGS, type SigningAlg } from '../core/signing-alg.js';
import { redisUrlProblem } from '../store/redis/url.js';
import { DEFAULT_PROFILE, isProfileName, PROFILES, type ProfileName } from './profile-name.js';
import { issuerProblem } from './issuer.js';

export type Source = 'flag' | 'env' | 'config file' | 'default';

interface Setting<T> {
  env: string;
  default?: T;
  /** Turns a flag, env or file value into T; throws an Error whose message says what is wrong. */
  parse(value: unknown, from: string): T;
  secret?: boolean;
}

function text(value: unknown, from: string): string {
  if (typeof value !== 'string' && typeof value !== 'number') throw new Error(`${from} must be a string`);
  return String(value);
}

function port(value: unknown, from: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${from} must be a port number from 0 to 65535`);
  return n;
}

function issuer(value: unknown, from: string): string {
  const v = text(value, from);
  const problem = issuerProblem(v);
  if (problem) throw new Error(`${from} ${problem}`);
  return v;
}

function basePath(value: unknown, from: string): string {
  const v = text(value, from);
  const problem = basePathProblem(v);
  if (problem) throw new Error(`${from} ${problem}`);
  return v;
}

function bool(value: unknown, from: string): boolean {
  if (typeof value === 'boolean') return value;
  const v = text(value, from).trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new Error(`${from} must be true or false (or 1 or 0)`);
}

function redisUrl(value: unknown, from: string): string {
  const url = text(value, from);
  const problem = redisUrlProblem(url);
  if (problem) throw new Error(`${from}: ${problem} (a file store is chosen with --db)`);
  return url;
}

function alg(value: unknown, from: string): SigningAlg {
  const v = text(value, from).toUpperCase();
  if (!(SIGNING_ALGS as readonly string[]).includes(v)) throw new Error(`${from} must be one of ${SIGNING_ALGS.join(', ')}`);
  return v as SigningAlg;
}

function profile(value: unknown, from: string): ProfileName {
  const v = text(value, from);
  if (!isProfileName(v)) throw new Error(`${from} must be one of ${PROFILES.join(', ')}; got ${JSON.stringify(v)}`);
  return v;
}

function loginMode(value: unknown, from: string): LoginMode {
  const v = text(value, from);
  if (!(LOGIN_MODES as readonly string[]).includes(v)) throw new Error(`${from} must be one of ${LOGIN_MODES.join(', ')}; got ${JSON.stringify(v)}`);
  return v as LoginMode;
}

/** Every setting, its environment variable and default, in one table. */
export const SETTINGS = {
  port: { env: 'OAUTH_MOCK_PORT', default: DEFAULT_PORT, parse: port },
  host: { env: 'OAUTH_MOCK_HOST', default: DEFAULT_HOST, parse: text },
  issuer: { env: 'OAUTH_MOCK_ISSUER', parse: issuer },
  basePath: { env: 'OAUTH_MOCK_BASE_PATH', default: '', parse: basePath },
  db: { env: 'OAUTH_MOCK_DB', default: DEFAULT_DB, parse: text },
  store: { env: 'OAUTH_MOCK_STORE', parse: redisUrl },
  fixtures: { env: 'OAUTH_MOCK_FIXTURES', parse: text },
  secret: { env: 'OAUTH_MOCK_SECRET', parse: text, secret: true },
  alg: { env: 'OAUTH_MOCK_ALG', default: 'HS256', parse: alg },
  keyFile: { env: 'OAUTH_MOCK_KEY_FILE', parse: text },
  profile: { env: 'OAUTH_MOCK_PROFILE', default: DEFAULT_PROFILE, parse: profile },
  login: { env: 'OAUTH_MOCK_LOGIN', default: 'page', parse: loginMode },
  https: { env: 'OAUTH_MOCK_HTTPS', default: false, parse: bool },
  cert: { env: 'OAUTH_MOCK_CERT', parse: text },
  key: { env: 'OAUTH_MOCK_KEY', parse: text },
} satisfies Record<string, Setting<unknown>>;

export type SettingName = keyof typeof SETTINGS;
export type Settings = { [K in SettingName]?: ReturnType<(typeof SETTINGS)[K]['parse']> };
export type Resolved = { values: Settings; sources: Partial<Record<SettingName, Source>> };

/**
 * flag > env > config file > default (np's rule). Flags carry no commander defaults,
 * so "given on the command line" stays detectable. Pure: callers pass env and file in.
 */
export function resolveSettings(input: {
  flags: Partial<Record<SettingName, unknown>>;
  env: Record<string, string | undefined>;
  file?: Partial<Record<SettingName, unknown>>;
  only?: readonly SettingName[];
}): Resolved {
  const values: Record<string, unknown> = {};
  const sources: Partial<Record<SettingName, Source>> = {};
  const names = input.only ?? (Object.keys(SETTINGS) as SettingName[]);
  for (const name of names) {
    const setting: Setting<unknown> = SETTINGS[name];
    const flag = input.flags[name];
    const env = input.env[setting.env];
    const file = input.file?.[name];
    if (flag !== undefined) [values[name], sources[name]] = [setting.parse(flag, `--${kebab(name)}`), 'flag'];
    else if (env !== undefined && env !== '') [values[name], sources[name]] = [setting.parse(env, setting.env), 'env'];
    else if (file !== undefined) [values[name], sources[name]] = [setting.parse(file, `"${name}" in the config file`), 'config file'];
    else if (setting.default !== undefined) [values[name], sources[name]] = [setting.default, 'default'];
  }
  // The oidc profile signs with RS256 unless told otherwise: Spring Security and openid-client expect it.
  if (sources.alg === 'default' && values.profile === 'oidc') values.alg = defaultAlgFor('oidc');
  return { values, sources };
}

/** OIDC Core §15.1 asks for RS256; the seed's API uses HS256. */
export function defaultAlgFor(profile: ProfileName): SigningAlg {
  return profile === 'oidc' ? 'RS256' : 'HS256';
}

export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
