// The issuer as the user gave it, byte for byte: tokens, discovery and the authorize `iss`
// parameter all carry exactly this string (a trailing slash included).

/**
 * Why `value` cannot be an issuer, or undefined when it can. OIDC Discovery §3 / RFC 8414 §2:
 * a URL with a scheme and a host, and no query or fragment (http is allowed: a local mock has no TLS).
 */
export function issuerProblem(value: string): string | undefined {
  const example = 'e.g. http://127.0.0.1:9400 or https://auth.example.test/tenant';
  if (!/^https?:\/\//i.test(value)) return `${JSON.stringify(value)} is not an http(s) URL; give the scheme and host, ${example}`;
  if (!URL.canParse(value)) return `${JSON.stringify(value)} is not a valid URL; ${example}`;
  const url = new URL(value);
  if (url.hostname === '') return `${JSON.stringify(value)} has no host; ${example}`;
  if (value.includes('?')) return `${JSON.stringify(value)} must not have a query (OIDC Discovery §3)`;
  if (value.includes('#')) return `${JSON.stringify(value)} must not have a fragment (OIDC Discovery §3)`;
  return undefined;
}

/** Returns `value` unchanged when it is a valid issuer; throws a RangeError saying why not. */
export function checkIssuer(value: string, what = 'issuer'): string {
  const problem = issuerProblem(value);
  if (problem) throw new RangeError(`${what} ${problem}`);
  return value;
}
