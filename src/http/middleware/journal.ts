import type { Context, Next } from 'koa';

/** What the server received, as a test suite asserts it: secrets masked, credentials never kept. */
export interface JournalEntry {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** The decoded JSON body (token, revoke), secrets masked; absent when there was none. */
  body?: unknown;
  /** The Authorization scheme (`Bearer`, `Basic`, or `other`) when the header was sent; never its value. */
  authorization?: 'Bearer' | 'Basic' | 'other';
  status: number;
  /** ISO time the request arrived (wall clock, for reading a journal; not for assertions). */
  at: string;
}

export interface RequestJournal {
  record(entry: JournalEntry): void;
  /** Oldest first; copies, so a caller cannot change what the journal holds. */
  entries(): JournalEntry[];
  clear(): void;
}

/** Parameters whose values are credentials or one-time secrets: kept as present, never shown. */
export const MASKED_PARAMS: ReadonlySet<string> = new Set([
  'client_secret', 'code_verifier', 'refresh_token', 'token', 'code', 'password',
  'access_token', 'id_token', 'client_assertion',
]);
export const MASK = '***';
export const DEFAULT_JOURNAL_LIMIT = 1000;

/** A bounded journal: the last `limit` requests (default 1,000), oldest dropped first. */
export function createRequestJournal(opts: { limit?: number; onRecord?: (entry: JournalEntry) => void } = {}): RequestJournal {
  const limit = opts.limit ?? DEFAULT_JOURNAL_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`journal limit must be a positive integer; got ${limit}`);
  let items: JournalEntry[] = [];
  return {
    record(entry) {
      items.push(entry);
      if (items.length > limit) items = items.slice(items.length - limit);
      opts.onRecord?.(entry);
    },
    entries: () => structuredClone(items),
    clear() {
      items = [];
    },
  };
}

function mask(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => mask(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    Object.defineProperty(out, k, { value: MASKED_PARAMS.has(k) ? MASK : mask(v, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function maskQuery(query: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    const shown = MASKED_PARAMS.has(k) ? (Array.isArray(v) ? v.map(() => MASK) : MASK) : v;
    Object.defineProperty(out, k, { value: shown, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function scheme(header: string): JournalEntry['authorization'] {
  const word = header.trim().split(/\s/, 1)[0]?.toLowerCase();
  return word === 'bearer' ? 'Bearer' : word === 'basic' ? 'Basic' : 'other';
}

/**
 * Records each request once it is answered (status included). Only installed when a
 * journal is asked for, so a server without one pays nothing.
 */
export function journalRequests(journal: RequestJournal) {
  return async function recordRequest(ctx: Context, next: Next) {
    const at = new Date().toISOString();
    try {
      await next();
    } finally {
      const header = ctx.get('authorization');
      const body: unknown = ctx.request.body;
      journal.record({
        method: ctx.method,
        path: ctx.path,
        query: maskQuery(ctx.query as Record<string, string | string[] | undefined>),
        ...(body !== undefined ? { body: mask(body) } : {}),
        ...(header !== '' ? { authorization: scheme(header) } : {}),
        status: ctx.status,
        at,
      });
    }
  };
}
