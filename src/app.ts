import Koa from 'koa';
import { readFileSync } from 'node:fs';
import type { AppConfig } from './config/defaults.js';
import { systemClock, type Clock } from './core/clock.js';
import type { Core } from './http/core.js';
import { errorHandler } from './http/middleware/error-handler.js';
import { requestLog, type RequestLogger } from './http/middleware/request-log.js';
import { specProfile } from './http/profiles/spec.js';
import { createRouter, endpointPaths, methodGuard, unanswered } from './http/routes.js';
import type { Store } from './store/types.js';
import { createKeyRingSource } from './tokens/keys.js';
import { createTokens } from './tokens/tokens.js';

export interface AppDeps {
  store: Store;
  config: AppConfig;
  clock?: Clock;
  /** HS256 secret that overrides the one kept in the store (--secret, OAUTH_MOCK_SECRET). */
  secret?: string;
  /** Called once per answered request; omit for silence. */
  log?: RequestLogger;
}

export function loadOpenapiDocument(): string {
  return readFileSync(new URL('../openapi/openapi.json', import.meta.url), 'utf8');
}

/** Builds the Koa app. No port, no timers, no globals: tests drive `app.callback()` directly. */
export function createApp(deps: AppDeps): Koa & { core: Core } {
  const { store, config } = deps;
  const clock = deps.clock ?? systemClock;
  const keyRing = createKeyRingSource({ alg: config.alg, ...(deps.secret !== undefined ? { secret: deps.secret } : {}) });
  const keys: Core['keys'] = (data) => keyRing(data.meta);
  const profile = specProfile(config.bodyLimit);
  const core: Core = {
    store, config, clock, keys, profile,
    tokens: createTokens({ issuer: config.issuer, clock, keys }),
    url: (path) => `${config.issuer}${path}`,
    paths: endpointPaths(config.basePath),
  };
  const app = new Koa() as Koa & { core: Core };
  app.core = core;
  const router = createRouter(core, loadOpenapiDocument());
  if (deps.log) app.use(requestLog(deps.log));
  app.use(errorHandler(profile));
  app.use(unanswered);
  app.use(router.routes());
  app.use(methodGuard(router));
  return app;
}
