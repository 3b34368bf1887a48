import type { Context } from 'koa';
import { STANDARD_SCOPES, SUPPORTED_CLAIMS } from '../../core/claims.js';
import type { KeyRing } from '../../tokens/keys.js';
import type { AppContext } from '../app-context.js';
import { GRANTS } from '../../core/grants/index.js';
import { oidcMetadata } from './oidc-metadata.js';

/** The discovery document of the active profile; every URL in it is served by this app. */
export function discoveryDocument(app: AppContext): object {
  return app.profile.name === 'oidc' ? oidcMetadata(app) : specDiscovery(app);
}

/** OIDC Discovery §3 metadata as the seed's API gives it. */
function specDiscovery(app: AppContext) {
  return {
    issuer: app.config.issuer,
    authorization_endpoint: app.url(app.paths.authorize),
    token_endpoint: app.url(app.paths.token),
    revocation_endpoint: app.url(app.paths.revoke),
    userinfo_endpoint: app.url(app.paths.userinfo),
    jwks_uri: app.url(app.paths.jwks),
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: [...GRANTS.keys()],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [app.config.alg],
    scopes_supported: [...STANDARD_SCOPES],
    claims_supported: SUPPORTED_CLAIMS,
    code_challenge_methods_supported: ['S256', 'plain'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    authorization_response_iss_parameter_supported: true,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    claims_parameter_supported: false,
  };
}

/** Static documents are serialised once (on first use, when the routing table is complete), not per request. */
export function discoveryAction(app: AppContext) {
  let document: object | undefined;
  let body: string | undefined;
  return [
    async function serveDiscovery(ctx: Context) {
      ctx.type = 'application/json';
      document ??= discoveryDocument(app);
      body ??= JSON.stringify(document);
      const misbehaving = app.controls?.tampering.discovery(document);
      ctx.body = misbehaving ? JSON.stringify(misbehaving) : body;
    },
  ];
}

/** RFC 8414 §3: the same metadata at /.well-known/oauth-authorization-server. */
export function metadataAction(app: AppContext) {
  return discoveryAction(app);
}

export function jwksAction(app: AppContext) {
  // Serialised once per key ring: a rotation (a new ring) is picked up on the next request.
  const cache = new WeakMap<KeyRing, string>();
  return [
    async function serveJwks(ctx: Context) {
      const ring = app.keys(app.store.read());
      const misbehaving = app.controls?.tampering.jwks(ring.jwks);
      if (misbehaving) {
        ctx.type = 'application/json';
        ctx.body = JSON.stringify(misbehaving);
        return;
      }
      let body = cache.get(ring);
      if (body === undefined) cache.set(ring, (body = JSON.stringify(ring.jwks)));
      ctx.type = 'application/json';
      ctx.body = body;
    },
  ];
}

export function openapiAction(document: string) {
  return [
    async function serveOpenapi(ctx: Context) {
      ctx.type = 'application/json';
      ctx.body = document;
    },
  ];
}
