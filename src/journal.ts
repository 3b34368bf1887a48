// The request journal's data: what a test suite reads back. The Koa middleware that fills it
// lives in http/middleware/journal.ts; events.ts and the API need only this part.

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
  'client_secret',
  'code_verifier',
  'refresh_token',
  'token',
  'code',
  'password',
  'access_token',
  'id_token',
  'client_assertion',
  // The oidc profile's browser side: an ID token passed back as a hint, and the login form's CSRF token.
  'id_token_hint',
  'csrf',
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
