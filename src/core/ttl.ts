/** Lifetimes in seconds. Here, not in config/, so token minting reads them without importing config. */
export interface Ttls {
  /** Authorization codes (RFC 6749 §4.1.2 recommends ≤ 10 minutes). */
  code: number;
  accessToken: number;
  idToken: number;
  refreshToken: number;
  /** Default for user tokens minted from the terminal. */
  userToken: number;
}

export const DEFAULT_TTLS: Ttls = {
  code: 60,
  accessToken: 3600,
  idToken: 3600,
  refreshToken: 14 * 24 * 3600,
  userToken: 3600,
};
