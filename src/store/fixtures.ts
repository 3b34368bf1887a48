import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT } from '../package-root.js';
import { emptyData, type Client, type Data, type User } from '../core/types.js';

/** The fixtures shipped with the package: alice, bob, client_123 and a public SPA client. */
export const DEFAULT_FIXTURES_DIR = fileURLToPath(new URL('fixtures/', PACKAGE_ROOT));

function readList<T>(file: string): T[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not valid JSON`);
  }
  if (!Array.isArray(parsed)) throw new Error(`${file} must hold a JSON array`);
  return parsed as T[];
}

export function validateUser(user: unknown, where: string): User {
  const u = user as User;
  if (typeof u?.id !== 'string' || u.id === '') throw new Error(`${where}: every user needs a non-empty string "id"`);
  return u;
}

export function validateClient(client: unknown, where: string): Client {
  const c = client as Client;
  if (typeof c?.id !== 'string' || c.id === '') throw new Error(`${where}: every client needs a non-empty string "id"`);
  if (!Array.isArray(c.redirect_uris) || c.redirect_uris.length === 0) throw new Error(`${where}: client ${c.id} needs "redirect_uris"`);
  if (!Array.isArray(c.scopes)) throw new Error(`${where}: client ${c.id} needs "scopes"`);
  const isPublic = c.public === true;
  if (!isPublic && (typeof c.secret !== 'string' || c.secret === '')) throw new Error(`${where}: confidential client ${c.id} needs a "secret" (or "public": true)`);
  return { ...c, public: isPublic };
}

// defineProperty, so an id like `__proto__` is an ordinary own key.
function define<T>(target: Record<string, T>, id: string, value: T): void {
  Object.defineProperty(target, id, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Why `dir` cannot be a fixtures directory, or undefined: it must exist and hold users.json or
 * clients.json (or both), so a mistyped path never seeds an empty store.
 */
export function fixturesProblem(dir: string): string | undefined {
  const st = statSync(dir, { throwIfNoEntry: false });
  if (!st) return `${dir} does not exist; give a directory with users.json and clients.json (oauth-mock init writes one)`;
  if (!st.isDirectory()) return `${dir} is not a directory; give a directory with users.json and clients.json`;
  if (!existsSync(join(dir, 'users.json')) && !existsSync(join(dir, 'clients.json'))) {
    return `${dir} holds neither users.json nor clients.json; give a directory with them (oauth-mock init writes one)`;
  }
  return undefined;
}

/** Reads `users.json` and `clients.json` from a fixtures directory into a fresh store state. */
export function loadFixtures(dir: string = DEFAULT_FIXTURES_DIR): Data {
  const problem = fixturesProblem(dir);
  if (problem) throw new Error(`fixtures directory ${problem}`);
  const data = emptyData();
  const usersFile = join(dir, 'users.json');
  const clientsFile = join(dir, 'clients.json');
  for (const user of readList<unknown>(usersFile)) {
    const u = validateUser(user, usersFile);
    define(data.users, u.id, u);
  }
  for (const client of readList<unknown>(clientsFile)) {
    const c = validateClient(client, clientsFile);
    define(data.clients, c.id, c);
  }
  return data;
}
