// The one server-options type: what `start`, `listen`, `startOAuthMock` and `appConfig` take,
// resolved (defaults applied, values normalised) in one place.
import type { SigningAlg } from '../core/signing-alg.js';
import { DEFAULT_TTLS, type Ttls } from '../core/ttl.js';
import { basePathProblem, BODY_LIMIT, DEFAULT_HOST, DEFAULT_PORT, LOGIN_MODES, normalizeBasePath, type AppConfig, type LoginMode } from './defaults.js';
import { DEFAULT_PROFILE, isProfileName, PROFILES, type ProfileName } from './profile-name.js';
import { checkIssuer } from './issuer.js';
import { defaultAlgFor, type Settings } from './resolve.js';

export { DEFAULT_PROFILE, isProfileName, PROFILES, type ProfileName } from './profile-name.js';

/** How a server runs, every default applied. */
export interface ServerOptions {
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** Exactly the `iss` of every token, byte for byte as given; undefined: http://host:port, with the port bound. */
  issuer?: string;
  /** Prefix for the /oauth endpoints, normalised (`auth/` → `/auth`; none is ''). */
  basePath: string;
  alg: SigningAlg;
  /** HS256 secret that overrides the one kept in the store. */
  secret?: string;
  /** Lifetimes in seconds. */
  ttl: Ttls;
  /** Request bodies above this many bytes are refused with 413. */
  bodyLimit: number;
  profile: ProfileName;
  /** oidc: the login page, or an automatic sign-in. Absent: the app's default, page (startOAuthMock: auto). */
  login?: LoginMode;
}

/** What callers give: any option may be left out, and `ttl` may name only some lifetimes. */
export type ServerOptionsInput = Partial<Omit<ServerOptions, 'ttl'>> & { ttl?: Partial<Ttls> };

function checkBasePath(value: string): string {
  const problem = basePathProblem(value);
  if (problem) throw new RangeError(`basePath ${problem}`);
  return value;
}

/** Applies the defaults and checks the profile (RangeError for an unknown one). */
export function resolveServerOptions(input: ServerOptionsInput, defaults: Partial<Pick<ServerOptions, 'port' | 'login'>> = {}): ServerOptions {
  const profile = input.profile ?? DEFAULT_PROFILE;
  if (!isProfileName(profile)) throw new RangeError(`profile must be one of ${PROFILES.join(', ')}; got ${JSON.stringify(profile)}`);
  return {
    port: input.port ?? defaults.port ?? DEFAULT_PORT,
    host: input.host ?? DEFAULT_HOST,
    // Byte for byte as given (a trailing slash too): checked here, before any port is bound.
    ...(input.issuer !== undefined ? { issuer: checkIssuer(input.issuer) } : {}),
    basePath: normalizeBasePath(checkBasePath(input.basePath ?? '')),
    alg: input.alg ?? defaultAlgFor(profile),
    ...(input.secret !== undefined ? { secret: input.secret } : {}),
    ttl: { ...DEFAULT_TTLS, ...input.ttl },
    bodyLimit: input.bodyLimit ?? BODY_LIMIT,
    profile,
    ...loginOption(input.login ?? defaults.login),
  };
}

function loginOption(value: unknown): { login?: LoginMode } {
  if (value === undefined) return {};
  if (!(LOGIN_MODES as readonly unknown[]).includes(value))
    throw new RangeError(`login must be one of ${LOGIN_MODES.join(', ')}; got ${JSON.stringify(value)}`);
  return { login: value as LoginMode };
}

/** The options the resolved settings (flag > env > config file > default) name. */
export function serverOptionsFromSettings(values: Settings): ServerOptionsInput {
  const { port, host, issuer, basePath, alg, secret, profile, login } = values;
  return {
    ...(port !== undefined ? { port } : {}),
    ...(host !== undefined ? { host } : {}),
    ...(issuer !== undefined ? { issuer } : {}),
    ...(basePath !== undefined ? { basePath } : {}),
    ...(alg !== undefined ? { alg } : {}),
    ...(secret !== undefined ? { secret } : {}),
    ...(profile !== undefined ? { profile } : {}),
    ...(login !== undefined ? { login } : {}),
  };
}

/** What the HTTP app needs, once the issuer is known (after the port is bound when it was not given). */
export function appConfigFor(options: ServerOptions, issuer: string): AppConfig {
  return {
    issuer,
    basePath: options.basePath,
    alg: options.alg,
    ttl: options.ttl,
    bodyLimit: options.bodyLimit,
    profile: options.profile,
    ...(options.login !== undefined ? { login: options.login } : {}),
  };
}
