import type { Context, Next } from 'koa';
import { define } from '../../core/lookup.js';
import { MASK, MASKED_PARAMS, type JournalEntry, type RequestJournal } from '../../journal.js';

export { createRequestJournal, DEFAULT_JOURNAL_LIMIT, MASK, MASKED_PARAMS, type JournalEntry, type RequestJournal } from '../../journal.js';

function mask(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => mask(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    define(out, k, MASKED_PARAMS.has(k) ? MASK : mask(v, depth + 1));
  }
  return out;
}

function maskQuery(query: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    const shown = MASKED_PARAMS.has(k) ? (Array.isArray(v) ? v.map(() => MASK) : MASK) : v;
    define(out, k, shown);
  }
  return out;
}

/**
 * A form body is kept by its parser as the raw text (the oidc profile decodes it strictly
 * itself): record it as its parameters, so the masking applies to it as to JSON.
 */
function formFields(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    const prev = Object.hasOwn(out, k) ? out[k] : undefined;
    define(out, k, prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v]);
  }
  return out;
}

function scheme(header: string): NonNullable<JournalEntry['authorization']> {
  const word = header.trim().split(/\s/, 1)[0]?.toLowerCase();
  return word === 'bearer' ? 'Bearer' : word === 'basic' ? 'Basic' : 'other';
}

/**
 * The entry of a request the node:http fast path answered (src/http/fast-path.ts): an exact
 * GET with no query string and no body read, so it is what `recordRequest` records for it.
 */
export function fastPathEntry(method: string, path: string, authorization: string | undefined, status: number, at: string): JournalEntry {
  return { method, path, query: {}, ...(authorization ? { authorization: scheme(authorization) } : {}), status, at };
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
      const raw: unknown = ctx.request.body;
      const body = typeof raw === 'string' && ctx.is('application/x-www-form-urlencoded') ? formFields(raw) : raw;
      journal.record({
        method: ctx.method,
        path: ctx.path,
        query: maskQuery(ctx.query),
        ...(body !== undefined ? { body: mask(body) } : {}),
        ...(header !== '' ? { authorization: scheme(header) } : {}),
        status: ctx.status,
        at,
      });
    }
  };
}
