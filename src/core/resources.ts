import type { Client } from './types.js';
import { isAbsoluteUri } from './uri.js';

/**
 * RFC 8707 §2: each resource is an absolute URI without a fragment, and one the client
 * may target (a client with no `resources` list may target any). `fail` gets the message
 * quoting the value (for the terminal) and one that does not (for a client's redirect).
 */
export function checkResources(client: Client, resources: string[], fail: (message: string, withoutValue: string) => Error): string[] {
  for (const resource of resources) {
    if (resource.includes('#'))
      throw fail(`resource ${resource} must not contain a fragment (RFC 8707 §2)`, 'a resource must not contain a fragment (RFC 8707 §2)');
    if (!isAbsoluteUri(resource)) throw fail(`resource ${resource} is not an absolute URI (RFC 8707 §2)`, 'a resource is not an absolute URI (RFC 8707 §2)');
    if (client.resources !== undefined && !client.resources.includes(resource)) {
      const allowed = `allowed: ${client.resources.join(', ') || 'none'}`;
      throw fail(`resource ${resource} is not allowed for client ${client.id}; ${allowed}`, `a resource is not allowed for client ${client.id}; ${allowed}`);
    }
  }
  return resources;
}
