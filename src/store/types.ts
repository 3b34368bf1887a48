// The port is defined where it is used (src/core/store.ts); the stores here implement it.
export type { Store, Tx } from '../core/store.js';
