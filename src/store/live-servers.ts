// Which servers serve a store right now, so that terminal commands sign and verify for the
// issuer a live server uses (never for whichever server happened to start last).
import type { LiveServer, Meta } from '../core/types.js';
import type { Store } from './types.js';

export type { LiveServer } from '../core/types.js';

/** Whether a process with this id exists (EPERM: it does, but belongs to another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The recorded servers whose process is still there; a server killed with -9 drops out here. */
export function liveServers(meta: Readonly<Meta>, alive: (pid: number) => boolean = processAlive): LiveServer[] {
  return (meta.servers ?? []).filter((s) => alive(s.pid));
}

const same = (a: LiveServer, b: Pick<LiveServer, 'pid' | 'url'>) => a.pid === b.pid && a.url === b.url;

/** Records `server` as serving the store (dropping entries of dead processes); also keeps its alg as the store's last. */
export function registerServer(store: Store, server: LiveServer): Promise<void> {
  return store.update((tx) => {
    const others = liveServers(tx.data.meta).filter((s) => !same(s, server));
    tx.setMeta('servers', [...others, server]);
    if (tx.data.meta.alg !== server.alg) tx.setMeta('alg', server.alg);
  });
}

/** Removes `server`'s record at stop. */
export function unregisterServer(store: Store, server: Pick<LiveServer, 'pid' | 'url'>): Promise<void> {
  return store.update((tx) => {
    const servers = tx.data.meta.servers ?? [];
    const rest = servers.filter((s) => !same(s, server));
    if (rest.length !== servers.length) tx.setMeta('servers', rest.length > 0 ? rest : undefined);
  });
}
