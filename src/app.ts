import Koa from 'koa';
import { PACKAGE_ROOT } from './package-root.js';
import { readFileSync } from 'node:fs';
import type { AppConfig } from './config/defaults.js';
import { DEFAULT_PROFILE, type ProfileName } from './config/server-options.js';
import { epochSeconds, systemClock, type Clock } from './core/clock.js';
import { GRANTS, OIDC_GRANTS } from './core/grants/index.js';
import type { AppContext } from './http/app-context.js';
import type { Authenticator } from './http/authenticators/authenticator.js';
import { bearerUserAuthenticator } from './http/authenticators/bearer-user.js';
import { sessionAuthenticator } from './http/authenticators/session.js';
import { corsFor } from './http/middleware/cors.js';
import { errorHandler } from './http/middleware/error-handler.js';
import { refreshStore } from './http/middleware/refresh-store.js';
import { journalRequests, type RequestJournal } from './http/middleware/journal.js';
import { requestLog, type RequestLogger } from './http/middleware/request-log.js';
import { oidcProfile } from './http/profiles/oidc.js';
import { specProfile } from './http/profiles/spec.js';
import { endpointPaths, routeDispatch, routeTable, unanswered } from './http/routes.js';
import type { Store } from './store/types.js';
import { createKeyRingSource } from './tokens/keys.js';
import { createTokens, type BeforeSign } from './tokens/tokens.js';
import { applyFaults } from './control/fault-middleware.js';
import { withQueuedLogins } from './control/logins.js';
import { signIn } from './http/login-flow.js';
import type { Controls } from './control/controls.js';

export interface AppDeps {
  store: Store;
  config: AppConfig;
  clock?: Clock;
  /** HS256 secret that overrides the one kept in the store (--secret, OAUTH_MOCK_SECRET). */
  secret?: string;
  /** Called once per answered request; omit for silence. */
  log?: RequestLogger;
  /** Sees every token's claims before signing (per-test claim overrides); omit for none. */
  beforeSign?: BeforeSign;
  /** Keeps what each request carried (secrets masked); omit and nothing is recorded. */
  journal?: RequestJournal;
  /** Finds the end user at authorize; default the profile's (spec: a bearer user token, checked first). */
  authenticator?: Authenticator;
  /** Test control: its clock is the app's, its faults, misbehaviours and queued logins apply. */
  controls?: Controls;
  /** Serves the control API (src/control/admin-api.ts) to this bearer token; omit and it is 404. */
  controlToken?: string;
}

/** The OpenAPI document of a profile: `openapi/openapi.json` (spec) or `openapi/openapi-oidc.json`. */
export function loadOpenapiDocument(profile: ProfileName = 'spec'): string {
  return readFileSync(new URL(profile === 'oidc' ? 'openapi/openapi-oidc.json' : 'openapi/openapi.json', PACKAGE_ROOT), 'utf8');
}

/** Builds the Koa app. No port, no timers, no globals: tests drive `app.callback()` directly. */
export function createApp(deps: AppDeps): Koa & { appContext: AppContext } {
  const { store, config } = deps;
  const { controls } = deps;
  const clock = controls?.clock ?? deps.clock ?? systemClock;
  // The clock retires rotated keys at their drop time (src/tokens/keys.ts).
  const keyRing = createKeyRingSource({ alg: config.alg, now: () => epochSeconds(clock), ...(deps.secret !== undefined ? { secret: deps.secret } : {}) });
  const keys: AppContext['keys'] = (data) => keyRing(data.meta);
  // The profile is chosen here and nowhere else.
  const profileName = config.profile ?? DEFAULT_PROFILE;
  const profile = profileName === 'oidc' ? oidcProfile(config.bodyLimit) : specProfile(config.bodyLimit);
  const tokens = createTokens({
    issuer: config.issuer,
    clock,
    keys,
    ...(deps.beforeSign ? { beforeSign: deps.beforeSign } : {}),
    ...(controls ? { tamper: controls.tampering.token } : {}),
  });
  const authenticator =
    deps.authenticator ??
    (profileName === 'oidc'
      ? sessionAuthenticator({ store, clock, tokens, keys, config, paths: endpointPaths(config.basePath, config.issuer), login: config.login ?? 'page' })
      : bearerUserAuthenticator({ store, tokens }));
  const context: AppContext = {
    store,
    config,
    clock,
    keys,
    profile,
    tokens,
    grants: profileName === 'oidc' ? OIDC_GRANTS : GRANTS,
    idTokenClientKey: profileName === 'oidc',
    endpoints: {},
    authenticator: controls
      ? withQueuedLogins(authenticator, {
          logins: controls.logins,
          store,
          clock,
          // oidc: a queued login is a real sign-in (a session, its cookie and sid), as --login auto's is.
          ...(profileName === 'oidc'
            ? { signIn: (ctx, userId, claims) => signIn(ctx, { store, clock, config, paths: endpointPaths(config.basePath, config.issuer) }, userId, claims) }
            : {}),
        })
      : authenticator,
    ...(controls ? { controls } : {}),
    // Paths already carry the issuer's own path (see endpointPaths).
    url: (path) => `${new URL(config.issuer).origin}${path}`,
    paths: endpointPaths(config.basePath, config.issuer),
  };
  const app = new Koa() as Koa & { appContext: AppContext };
  app.appContext = context;
  const routes = routeTable(context, loadOpenapiDocument(profileName), deps.controlToken);
  for (const route of routes) if (route.metadata) context.endpoints[route.metadata] = context.url(route.path);
  if (deps.log) app.use(requestLog(deps.log));
  // Outside the error handler, so it records the status the client really got.
  if (deps.journal) app.use(journalRequests(deps.journal));
  // Outside the error handler, so error answers carry the CORS headers too.
  app.use(corsFor(routes.filter((r) => r.cors).map((r) => r.path)));
  app.use(errorHandler(profile));
  if (controls) app.use(applyFaults(controls, context.paths));
  if (store.refresh) app.use(refreshStore(() => (store.refresh as () => Promise<void>).call(store)));
  app.use(unanswered);
  // 405 with Allow, and OPTIONS, for known paths; `unanswered` turns them into profile errors.
  app.use(routeDispatch(routes));
  return app;
}
