/** The control API's reserved prefix, under the issuer's path; nothing OAuth lives there. */
export const CONTROL_PREFIX = '/_oauth-mock';

/** Where a server listening at `url` with `issuer` serves the control API. */
export function controlUrlFor(url: string, issuer: string): string {
  return `${url}${new URL(issuer).pathname.replace(/\/+$/, '')}${CONTROL_PREFIX}`;
}
