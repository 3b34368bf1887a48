import Router from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import compose from 'koa-compose';
import { MethodNotAllowed, NotFound } from '../errors.js';
import { authorizeAction } from './actions/authorize.js';
import { discoveryAction, jwksAction, metadataAction, openapiAction } from './actions/documents.js';
import { introspectAction } from './actions/introspect.js';
import { endSessionAction } from './actions/end-session.js';
import { loginAction } from './actions/login.js';
import { readAuthorizeForm } from './profiles/authorize-response.js';
import { revokeAction } from './actions/revoke.js';
import { tokenAction } from './actions/token.js';
import { userinfoAction } from './actions/userinfo.js';
import type { AppContext } from './app-context.js';
import { controlRoutes } from '../control/admin-api.js';

/**
 * Where each endpoint is served. An issuer with a path (`http://host/tenant-a`) serves
 * everything under that path, so discovery is at `<issuer>/.well-known/openid-configuration`
 * (OIDC Discovery §4.1) and every advertised URL is under the issuer and really serves.
 */
export function endpointPaths(basePath: string, issuer: string): AppContext['paths'] {
  const root = new URL(issuer).pathname.replace(/\/+$/, '');
  return {
    authorize: `${root}${basePath}/oauth/authorize`,
    login: `${root}${basePath}/oauth/login`,
    endSession: `${root}${basePath}/oauth/logout`,
    token: `${root}${basePath}/oauth/token`,
    revoke: `${root}${basePath}/oauth/revoke`,
    userinfo: `${root}${basePath}/oauth/userinfo`,
    introspect: `${root}${basePath}/oauth/introspect`,
    discovery: `${root}/.well-known/openid-configuration`,
    // RFC 8414 §3.1: the issuer's path goes after the well-known segment.
    authorizationServerMetadata: `/.well-known/oauth-authorization-server${root}`,
    jwks: `${root}/.well-known/jwks.json`,
    openapi: `${root}/openapi.json`,
  };
}

/** Discovery metadata names of endpoint URLs (OIDC Discovery §3, RFC 8414 §2, RFC 7662 §4), in the order they are listed. */
export const ENDPOINT_METADATA = [
  'authorization_endpoint',
  'token_endpoint',
  'userinfo_endpoint',
  'jwks_uri',
  'revocation_endpoint',
  'introspection_endpoint',
  'end_session_endpoint',
] as const;
export type EndpointMetadata = (typeof ENDPOINT_METADATA)[number];

/** One served endpoint: a method, a path and its short list of named middleware. */
export interface Route {
  method: 'get' | 'post';
  path: string;
  action: Middleware[];
  /** The discovery metadata that advertises this endpoint's URL, if any. */
  metadata?: EndpointMetadata;
  /** Whether browsers may fetch it cross-origin (never authorize, RFC 9700 §2.6). */
  cors?: boolean;
}

/**
 * The one routing table, per profile. Discovery is derived from it (`metadata`), so an
 * endpoint added here is advertised, and an advertised URL always serves.
 */
export function routeTable(app: AppContext, openapiDocument: string, controlToken?: string): Route[] {
  // Test control over HTTP: only with a control token (start --control), else 404 like any unknown path.
  const control =
    app.controls && controlToken !== undefined
      ? controlRoutes(new URL(app.config.issuer).pathname.replace(/\/+$/, ''), { controls: app.controls, token: controlToken, read: () => app.store.read() })
      : [];
  return [...profileRoutes(app, openapiDocument), ...control];
}

function profileRoutes(app: AppContext, openapiDocument: string): Route[] {
  const { paths } = app;
  const documents: Route[] = [
    { method: 'get', path: paths.discovery, action: discoveryAction(app), cors: true },
    { method: 'get', path: paths.jwks, action: jwksAction(app), metadata: 'jwks_uri', cors: true },
    { method: 'get', path: paths.openapi, action: openapiAction(openapiDocument) },
  ];
  if (app.profile.name === 'spec') {
    return [
      { method: 'get', path: paths.authorize, action: authorizeAction(app), metadata: 'authorization_endpoint' },
      { method: 'post', path: paths.token, action: tokenAction(app), metadata: 'token_endpoint', cors: true },
      { method: 'post', path: paths.revoke, action: revokeAction(app), metadata: 'revocation_endpoint', cors: true },
      { method: 'get', path: paths.userinfo, action: userinfoAction(app), metadata: 'userinfo_endpoint', cors: true },
      ...documents,
    ];
  }
  const userinfo = userinfoAction(app);
  const authorize = authorizeAction(app);
  const endSession = endSessionAction(app);
  return [
    { method: 'get', path: paths.authorize, action: authorize, metadata: 'authorization_endpoint' },
    // OIDC Core §3.1.2.1: authorize answers POST (a form) too; the login page posts to login.
    { method: 'post', path: paths.authorize, action: [readAuthorizeForm(app.config.bodyLimit), ...authorize] },
    { method: 'post', path: paths.login, action: loginAction(app) },
    // RP-Initiated Logout 1.0 §2: GET and POST.
    { method: 'get', path: paths.endSession, action: endSession, metadata: 'end_session_endpoint' },
    { method: 'post', path: paths.endSession, action: endSession },
    { method: 'post', path: paths.token, action: tokenAction(app), metadata: 'token_endpoint', cors: true },
    { method: 'post', path: paths.revoke, action: revokeAction(app), metadata: 'revocation_endpoint', cors: true },
    { method: 'post', path: paths.introspect, action: introspectAction(app), metadata: 'introspection_endpoint' },
    // OIDC Core §5.3.1: userinfo answers GET and POST.
    { method: 'get', path: paths.userinfo, action: userinfo, metadata: 'userinfo_endpoint', cors: true },
    { method: 'post', path: paths.userinfo, action: userinfo, cors: true },
    ...documents,
    { method: 'get', path: paths.authorizationServerMetadata, action: metadataAction(app), cors: true },
  ];
}

export function createRouter(routes: readonly Route[]): Router {
  const router = new Router();
  for (const route of routes) router[route.method](route.path, ...route.action);
  return router;
}

/**
 * Serves the routing table. A request for a route's exact method and path (what clients send)
 * is one Map lookup to that route's middleware, composed once. Everything else goes through
 * @koa/router, whose rules stay the public ones: HEAD as GET, OPTIONS and 405 with Allow, and
 * the paths it also matches (a trailing slash, other letter case). Both run the same route
 * middleware, so the answer is the same either way; only @koa/router's per-request path
 * matching and chain building are skipped.
 */
export function routeDispatch(routes: readonly Route[]): Middleware {
  const router = createRouter(routes);
  const viaRouter = compose<Context>([router.routes() as Middleware, router.allowedMethods() as Middleware]);
  const exact = new Map<string, (ctx: Context) => Promise<void>>();
  for (const route of routes) {
    const key = `${route.method.toUpperCase()} ${route.path}`;
    // Two routes on one method and path would both run under @koa/router: not a table to serve.
    if (exact.has(key)) throw new Error(`the routing table serves ${key} twice`);
    exact.set(key, compose(route.action));
  }
  return function dispatch(ctx, next) {
    const route = exact.get(`${ctx.method} ${ctx.path}`);
    return route ? route(ctx) : viaRouter(ctx, next);
  };
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
