import { createPublicKey, type JsonWebKeyInput } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { define } from '../core/lookup.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { AUTH_METHODS, isAuthMethod } from '../core/client-methods.js';
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
  // A client that never runs the code flow (client_credentials only) needs no redirect URI.
  const usesCode = !Array.isArray(c.grant_types) || c.grant_types.includes('authorization_code');
  const redirects: unknown = c.redirect_uris ?? (usesCode ? undefined : []);
  if (!Array.isArray(redirects) || (usesCode && redirects.length === 0)) throw new Error(`${where}: client ${c.id} needs "redirect_uris"`);
  if (!Array.isArray(c.scopes)) throw new Error(`${where}: client ${c.id} needs "scopes"`);
  if (c.post_logout_redirect_uris !== undefined && (!Array.isArray(c.post_logout_redirect_uris) || !c.post_logout_redirect_uris.every(isAbsoluteUri))) {
    throw new Error(`${where}: client ${c.id}: "post_logout_redirect_uris" must be a list of absolute URIs without a fragment`);
  }
  // A record that names the method `none`, has no secret and says nothing of `public` is public.
  const isPublic = c.public === true || (c.public === undefined && c.token_endpoint_auth_method === 'none' && c.secret === undefined);
  checkAuthMethod(c, isPublic, where);
  const needsSecret = !isPublic && c.token_endpoint_auth_method !== 'private_key_jwt';
  if (needsSecret && (typeof c.secret !== 'string' || c.secret === ''))
    throw new Error(`${where}: confidential client ${c.id} needs a "secret" (or "public": true)`);
  if (c.grant_types !== undefined) {
    if (!Array.isArray(c.grant_types) || !c.grant_types.every((g) => (KNOWN_GRANT_TYPES as readonly unknown[]).includes(g))) {
      throw new Error(`${where}: client ${c.id}: "grant_types" must be a list of ${KNOWN_GRANT_TYPES.join(', ')}`);
    }
  }
  return { ...c, redirect_uris: redirects as string[], public: isPublic };
}

/** The grant types a client record may list. */
export const KNOWN_GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;

// RFC 7517 §9.2: a client registers public keys only; `k` would be a shared symmetric key.
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

/** token_endpoint_auth_method agrees with `public`, and a private_key_jwt client brings usable public keys. */
function checkAuthMethod(c: Client, isPublic: boolean, where: string): void {
  const method: unknown = c.token_endpoint_auth_method;
  if (method === undefined) {
    if (c.jwks !== undefined) throw new Error(`${where}: client ${c.id} has "jwks" but its token_endpoint_auth_method is not private_key_jwt`);
    return;
  }
  if (!isAuthMethod(method)) throw new Error(`${where}: client ${c.id}: token_endpoint_auth_method must be one of ${AUTH_METHODS.join(', ')}`);
  if ((method === 'none') !== isPublic) {
    throw new Error(
      method === 'none'
        ? `${where}: client ${c.id}: token_endpoint_auth_method none is for public clients; set "public": true and drop its secret`
        : `${where}: client ${c.id} is public, so its token_endpoint_auth_method must be none (not ${method})`,
    );
  }
  if (method !== 'private_key_jwt') {
    if (c.jwks !== undefined) throw new Error(`${where}: client ${c.id} has "jwks" but its token_endpoint_auth_method is ${method}, not private_key_jwt`);
    return;
  }
  const keys: unknown = (c.jwks as { keys?: unknown } | undefined)?.keys;
  if (!Array.isArray(keys) || keys.length === 0)
    throw new Error(`${where}: private_key_jwt client ${c.id} needs "jwks": {"keys": [...]} with its public key(s)`);
  keys.forEach((key: unknown, i) => {
    const jwk = key as Record<string, unknown>;
    if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) throw new Error(`${where}: client ${c.id}: jwks key ${i} is not a JSON object`);
    const secret = PRIVATE_MEMBERS.filter((m) => Object.hasOwn(jwk, m));
    if (secret.length > 0)
      throw new Error(`${where}: client ${c.id}: jwks key ${i} holds private members (${secret.join(', ')}); register the public key only`);
    try {
      createPublicKey({ key: jwk as JsonWebKeyInput['key'], format: 'jwk' });
    } catch (error) {
      throw new Error(`${where}: client ${c.id}: jwks key ${i} is not a usable public JWK (${(error as Error).message})`);
    }
  });
}

function isAbsoluteUri(u: unknown): boolean {
  return typeof u === 'string' && URL.canParse(u) && !u.includes('#');
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

/**
 * What the fixture files of `dir` are on disk now (modification time, size, inode of users.json
 * and clients.json): equal stamps mean there is nothing new to read, so a test suite's
 * `mock.reset()` does not parse and validate the same files before every test.
 */
export function fixturesStamp(dir: string): string {
  let stamp = '';
  for (const name of ['users.json', 'clients.json']) {
    const st = statSync(join(dir, name), { throwIfNoEntry: false });
    stamp += st ? `${st.mtimeMs}:${st.size}:${st.ino};` : '-;';
  }
  return stamp;
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
