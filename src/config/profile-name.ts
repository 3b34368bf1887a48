/** The wire profiles: `spec` (the seed's JSON envelope, the default) and `oidc` (standard OAuth 2.0 / OIDC). */
export const PROFILES = ['spec', 'oidc'] as const;
export type ProfileName = (typeof PROFILES)[number];
export const DEFAULT_PROFILE: ProfileName = 'spec';

export function isProfileName(value: unknown): value is ProfileName {
  return (PROFILES as readonly unknown[]).includes(value);
}
