import { ASSERTION_ALGS } from '../../core/client-assertion.js';
import { AUTH_METHODS } from '../../core/client-methods.js';
import { OIDC_CLAIMS, OIDC_SCOPES } from '../../core/claims.js';
import { PROMPT_VALUES } from '../../core/login-decision.js';
import type { AppContext } from '../app-context.js';
import { RESPONSE_MODES } from '../profiles/authorize-response.js';
import { ENDPOINT_METADATA } from '../routes.js';

/** What the oidc profile's authorize answers with (OAuth 2.0 Multiple Response Types §2.1). */
export const OIDC_RESPONSE_MODES: readonly string[] = RESPONSE_MODES;

/**
 * OIDC Discovery §3 / RFC 8414 §2 metadata for the oidc profile, derived from what is served:
 * the endpoint URLs come from the routing table, the grant types from the token endpoint's
 * grants, the algorithm from the keys in force.
 */
export function oidcMetadata(app: AppContext) {
  const endpoints: Record<string, string> = {};
  for (const name of ENDPOINT_METADATA) {
    const url = app.endpoints[name];
    if (url !== undefined) endpoints[name] = url;
  }
  const clientAuth = {
    methods: [...AUTH_METHODS],
    // RFC 7523: the algorithms a private_key_jwt assertion may be signed with.
    algs: [...ASSERTION_ALGS],
  };
  const introspection = endpoints.introspection_endpoint !== undefined;
  return {
    issuer: app.config.issuer,
    ...endpoints,
    scopes_supported: [...OIDC_SCOPES],
    response_types_supported: ['code'],
    response_modes_supported: [...OIDC_RESPONSE_MODES],
    // Initiating User Registration §4.2 names this metadata; the values are OIDC Core §3.1.2.1's.
    prompt_values_supported: [...PROMPT_VALUES],
    grant_types_supported: [...app.grants.keys()],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [app.config.alg],
    token_endpoint_auth_methods_supported: clientAuth.methods,
    token_endpoint_auth_signing_alg_values_supported: clientAuth.algs,
    revocation_endpoint_auth_methods_supported: clientAuth.methods,
    revocation_endpoint_auth_signing_alg_values_supported: clientAuth.algs,
    ...(introspection
      ? { introspection_endpoint_auth_methods_supported: clientAuth.methods, introspection_endpoint_auth_signing_alg_values_supported: clientAuth.algs }
      : {}),
    claims_supported: [...OIDC_CLAIMS],
    code_challenge_methods_supported: ['S256', 'plain'],
    // RFC 9207 §3: every authorization response carries iss.
    authorization_response_iss_parameter_supported: true,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    claims_parameter_supported: false,
  };
}
