import type { AppConfig } from '../config/defaults.js';
import type { Clock } from '../core/clock.js';
import type { Store } from '../store/types.js';
import type { Tokens } from '../tokens/tokens.js';
import type { KeyRing } from '../tokens/keys.js';
import type { Data } from '../core/types.js';
import type { GrantHandler } from '../core/grants/grant.js';
import type { Authenticator } from './authenticators/authenticator.js';
import type { Profile } from './profiles/profile.js';
import type { Controls } from '../control/controls.js';

/** What every action shares: built once by createApp, passed by closure (no module state). */
export interface AppContext {
  store: Store;
  config: AppConfig;
  clock: Clock;
  tokens: Tokens;
  /** A plain function (no `this`), so it can be handed on as `keys`. */
  keys: (data: Readonly<Data>) => KeyRing;
  /** The wire format in force; actions hand it results and never build bodies themselves. */
  profile: Profile;
  /** Whether HS256 ID tokens are keyed with the client's secret (OIDC Core §10.1: the oidc profile) or the server's (the seed). */
  idTokenClientKey: boolean;
  /** The grant types the token endpoint serves, by `grant_type` (the profile's set). */
  grants: ReadonlyMap<string, GrantHandler>;
  /** Finds the end user at authorize (spec: a bearer user token, checked first). */
  authenticator: Authenticator;
  /** Absolute URL of a path on this server, from the issuer (so discovery never drifts). */
  url(path: string): string;
  /** Test control (clock, faults, misbehaviours, queued logins); absent: none. */
  controls?: Controls;
  /** Paths of the endpoints, after --base-path. */
  paths: {
    authorize: string;
    token: string;
    revoke: string;
    introspect: string;
    userinfo: string;
    discovery: string;
    authorizationServerMetadata: string;
    jwks: string;
    openapi: string;
    /** oidc: where the login page's form posts. */
    login: string;
    /** oidc: RP-Initiated Logout 1.0 end_session_endpoint. */
    endSession: string;
  };
  /**
   * Discovery metadata names → the URLs that serve them, from the routing table (so an
   * advertised endpoint always exists). Set once the routes are built.
   */
  endpoints: Partial<Record<string, string>>;
}
