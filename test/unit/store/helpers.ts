// Shared test data and temp-dir handling for the store tests.
import { readFileSync } from 'node:fs';
import type { CodeRecord, Grant, User } from '../../../src/core/types.js';
import { tempDirs as tempDirsWith } from '../../helpers/temp-dirs.js';

export const user = (id: string, name = id): User => ({ id, name });

export const grant = (id: string, expires_at: number): Grant => ({
  id,
  client_id: 'client_123',
  user_id: 'alice',
  scope: ['openid'],
  resource: [],
  auth_time: 1,
  created_at: 1,
  expires_at,
});

export const code = (expires_at: number): CodeRecord => ({
  client_id: 'client_123',
  redirect_uri: 'https://client.example.com/callback',
  user_id: 'alice',
  scope: ['openid'],
  resource: [],
  auth_time: 1,
  expires_at,
});

/** Temp dirs for one test file, removed in `after`. */
export const tempDirs = () => tempDirsWith('oauth-mock-store-');

/** The journal's transaction lines (header and a torn tail excluded). */
export function journalLines(dbPath: string): string[] {
  const lines = readFileSync(`${dbPath}.log`, 'utf8').split('\n');
  lines.pop(); // what follows the last newline: empty, or a torn line
  return lines.slice(1);
}

/** Plain JSON view of a value, so null-prototype collections compare with literals. */
export const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
