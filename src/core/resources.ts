import type { Client } from './types.js';

/**
 * RFC 8707 §2: each resource is an absolute URI without a fragment, and one the client
 * may target (a client with no `resources` list may target any).
 */
export function checkResources(client: Client, resources: string[], fail: (message: string) => Error): string[] {
  for (const resource of resources) {
    if (resource.includes('#')) throw fail(`resource ${resource} must not contain a fragment (RFC 8707 §2)`);
    if (!URL.canParse(resource) || !/^[a-z][a-z0-9+.-]*:/i.test(resource)) throw fail(`resource ${resource} is not an absolute URI (RFC 8707 §2)`);
    if (client.resources !== undefined && !client.resources.includes(resource)) {
      throw fail(`resource ${resource} is not allowed for client ${client.id}; allowed: ${client.resources.join(', ') || 'none'}`);
    }
  }
  return resources;
}
