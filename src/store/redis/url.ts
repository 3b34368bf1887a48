// Reading and showing a `--store redis://...` URL, without loading the Redis client.

/** `redis://user:pass@host:6379/2` → `redis://host:6379/2`: never show the password. */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return 'redis (unparsable URL)';
  }
}

/** Checks a `--store` value: `redis://` or `rediss://` with a host, an optional numeric db. */
export function redisUrlProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `the store URL is not a URL; expected redis://[user:pass@]host:port/db`;
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') return `"${describeRedisUrl(url)}" is not a redis:// or rediss:// URL`;
  if (u.hostname === '') return `${describeRedisUrl(url)} names no host; expected redis://[user:pass@]host:port/db`;
  if (!/^\/?(\d+)?$/.test(u.pathname)) return `${describeRedisUrl(url)}: the path must be a database number, e.g. /0`;
  return undefined;
}
