import Router from '@koa/router';
import type { Context, Next } from 'koa';
import { MethodNotAllowed, NotFound } from '../errors.js';
import { authorizeAction } from './actions/authorize.js';
import { discoveryAction, jwksAction, openapiAction } from './actions/documents.js';
import { revokeAction } from './actions/revoke.js';
import { tokenAction } from './actions/token.js';
import { userinfoAction } from './actions/userinfo.js';
import type { AppContext } from './app-context.js';

/**
 * Where each endpoint is served. An issuer with a path (`http://host/tenant-a`) serves
 * everything under that path, so discovery is at `<issuer>/.well-known/openid-configuration`
 * (OIDC Discovery §4.1) and every advertised URL is under the issuer and really serves.
 */
export function endpointPaths(basePath: string, issuer: string): AppContext['paths'] {
  const root = new URL(issuer).pathname.replace(/\/+$/, '');
  return {
    authorize: `${root}${basePath}/oauth/authorize`,
    token: `${root}${basePath}/oauth/token`,
    revoke: `${root}${basePath}/oauth/revoke`,
    userinfo: `${root}${basePath}/oauth/userinfo`,
    discovery: `${root}/.well-known/openid-configuration`,
    jwks: `${root}/.well-known/jwks.json`,
    openapi: `${root}/openapi.json`,
  };
}

/** The one routing table: each endpoint is a short list of named middleware. */
export function createRouter(app: AppContext, openapiDocument: string): Router {
  const { paths } = app;
  const router = new Router();
  router.get(paths.authorize, ...authorizeAction(app));
  router.post(paths.token, ...tokenAction(app));
  router.post(paths.revoke, ...revokeAction(app));
  router.get(paths.userinfo, ...userinfoAction(app));
  router.get(paths.discovery, ...discoveryAction(app));
  router.get(paths.jwks, ...jwksAction(app));
  router.get(paths.openapi, ...openapiAction(openapiDocument));
  return router;
}

/** Answers 405 (with Allow) and OPTIONS for known paths; the wrapper below renders the error. */
export function methodGuard(router: Router) {
  return router.allowedMethods();
}

/** Wraps the router: what no route answered becomes an error in the profile's envelope. */
export async function unanswered(ctx: Context, next: Next) {
  await next();
  // OPTIONS on a known path: the Allow header is the answer, with no body (never a text one).
  if (ctx.method === 'OPTIONS' && ctx.status === 200 && ctx.response.get('Allow')) {
    ctx.status = 204;
    return;
  }
  if (ctx.status === 405 || ctx.status === 501) {
    throw new MethodNotAllowed(`${ctx.method} is not allowed here; allowed: ${ctx.response.get('Allow') || 'none'}`);
  }
  if (ctx.status === 404 && ctx.body === undefined) {
    throw new NotFound(`no endpoint at ${ctx.method} ${ctx.path}; see /.well-known/openid-configuration`);
  }
}
