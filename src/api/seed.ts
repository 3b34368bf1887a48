// The data a mock starts from (and returns to on reset): fixtures, then the users and
// clients the test suite passed. Nothing is read from env or config files.
import { define } from '../core/lookup.js';
import type { Client, Data, User } from '../core/types.js';
import { DEFAULT_FIXTURES_DIR, fixturesStamp, loadFixtures, validateClient, validateUser } from '../store/fixtures.js';
import { emptyData } from '../core/types.js';

/** A client as a test writes it: `public` defaults to false (a confidential client needs a secret), or true with token_endpoint_auth_method none. */
export type ClientInput = Omit<Client, 'public'> & { public?: boolean };

export interface SeedOptions {
  /** A directory with users.json and clients.json; default the shipped fixtures; false: none. */
  fixtures?: string | false;
  users?: readonly User[];
  clients?: readonly ClientInput[];
}

export function checkUser(user: User): User {
  return structuredClone(validateUser(user, 'user'));
}

export function checkClient(client: ClientInput): Client {
  return structuredClone(
    validateClient({ ...client, public: client.public ?? (client.token_endpoint_auth_method === 'none' && client.secret === undefined) }, 'client'),
  );
}

/**
 * Validates everything up front, so a bad user or client fails startOAuthMock, not a later test.
 * Each call returns a fresh copy; the fixture files are read again only when they changed on
 * disk since the last call (their stamp), so edits still show up at the next reset.
 */
export function seedFrom(opts: SeedOptions): () => Data {
  const dir = opts.fixtures === false ? undefined : (opts.fixtures ?? DEFAULT_FIXTURES_DIR);
  const build = (): Data => {
    const base = dir === undefined ? emptyData() : loadFixtures(dir);
    for (const user of opts.users ?? []) {
      const u = checkUser(user);
      define(base.users, u.id, u);
    }
    for (const client of opts.clients ?? []) {
      const c = checkClient(client);
      define(base.clients, c.id, c);
    }
    return base;
  };
  // Stamped before reading: a change made while the files are read shows up next time.
  let stamp = dir === undefined ? '' : fixturesStamp(dir);
  let base = build();
  return () => {
    if (dir !== undefined) {
      const now = fixturesStamp(dir);
      if (now !== stamp) {
        stamp = now;
        base = build();
      }
    }
    return structuredClone(base);
  };
}
