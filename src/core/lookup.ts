import type { Client, CodeRecord, Data, Grant, User } from './types.js';

/** Sets an own key with defineProperty, so an id like `__proto__` is an ordinary key, never the prototype. */
export function define<T>(target: Record<string, T>, id: string, value: T): void {
  Object.defineProperty(target, id, { value, enumerable: true, writable: true, configurable: true });
}

// Own-property lookups only: a client_id of `__proto__` or `constructor` is just unknown.
export function findClient(data: Readonly<Data>, id: string): Client | undefined {
  return Object.hasOwn(data.clients, id) ? data.clients[id] : undefined;
}

export function findUser(data: Readonly<Data>, id: string): User | undefined {
  return Object.hasOwn(data.users, id) ? data.users[id] : undefined;
}

export function findGrant(data: Readonly<Data>, id: string): Grant | undefined {
  return Object.hasOwn(data.grants, id) ? data.grants[id] : undefined;
}

/** `key` is the digest the store keeps codes under (digestKey), never the code itself. */
export function findCode(data: Readonly<Data>, key: string): CodeRecord | undefined {
  return Object.hasOwn(data.codes, key) ? data.codes[key] : undefined;
}

export function isDenied(data: Readonly<Data>, jti: string): boolean {
  return Object.hasOwn(data.denylist, jti);
}

export function describeKnown(records: Record<string, unknown>): string {
  const ids = Object.keys(records);
  if (ids.length === 0) return 'none exist yet';
  const shown = ids.slice(0, 10).join(', ');
  return ids.length > 10 ? `known: ${shown}, … (${ids.length} in all)` : `known: ${shown}`;
}
