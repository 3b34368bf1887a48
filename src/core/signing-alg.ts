/** The JWS algorithms oauth-mock signs with (RFC 7518 §3.1). Here, not in tokens/, so config reads them without importing token code. */
export type SigningAlg = 'HS256' | 'RS256' | 'ES256';
export const SIGNING_ALGS: readonly SigningAlg[] = ['HS256', 'RS256', 'ES256'];
