// The two static GETs (discovery, JWKS) answered straight from node:http. Koa builds a context,
// runs the middleware chain and the router for every request; for a document that never
// changes, that is most of the cost (bench: ~60% of raw node:http through Koa). The Koa routes
// stay (createApp users and supertest go through them); test/http/fast-path.test.ts proves
// both paths send the same bytes and headers, and record the same journal entry.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyRing } from '../tokens/keys.js';
import { discoveryDocument } from './actions/documents.js';
import type { AppContext } from './app-context.js';
import { CORS_RESPONSE_HEADERS } from './middleware/cors.js';
import { fastPathEntry, type RequestJournal } from './middleware/journal.js';
import type { RequestLogger } from './middleware/request-log.js';

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

const CONTENT_TYPE = 'application/json; charset=utf-8';

interface Prepared {
  body: Buffer;
  /** Flat [name, value, ...]: built once, so a request only copies it onto the socket. */
  headers: string[];
}

function prepare(json: string): Prepared {
  const body = Buffer.from(json);
  const headers = { ...CORS_RESPONSE_HEADERS, 'Content-Type': CONTENT_TYPE, 'Content-Length': String(body.length) };
  return { body, headers: Object.entries(headers).flat() };
}

/**
 * Wraps `next` (the Koa callback): an exact `GET <discovery path>` or `GET <jwks path>` (no
 * query) is answered here, everything else goes to `next`. `log` is the request log and
 * `journal` the request journal, if kept: both see these requests as they see Koa's.
 */
export function withFastPath(app: AppContext, next: RequestListener, log?: RequestLogger, journal?: RequestJournal): RequestListener {
  const discovery = prepare(JSON.stringify(discoveryDocument(app)));
  // Per key ring, as the Koa route does: a rotation (a new ring) is served on the next request.
  const jwksCache = new WeakMap<KeyRing, Prepared>();
  const jwks = (): Prepared => {
    const ring = app.keys(app.store.read());
    let prepared = jwksCache.get(ring);
    if (prepared === undefined) jwksCache.set(ring, (prepared = prepare(JSON.stringify(ring.jwks))));
    return prepared;
  };
  const { discovery: discoveryPath, jwks: jwksPath } = app.paths;
  const { store } = app;
  const refresh = store.refresh ? () => (store.refresh as () => Promise<void>).call(store) : undefined;

  return function fastPath(req, res) {
    // While test control has something pending, Koa answers: faults and misbehaviours apply there.
    if (req.method !== 'GET' || (req.url !== discoveryPath && req.url !== jwksPath) || app.controls?.busy()) {
      next(req, res);
      return;
    }
    const started = log ? performance.now() : 0;
    // As the journal middleware does: the time the request arrived.
    const at = journal ? new Date().toISOString() : '';
    const answer = (): void => {
      let prepared: Prepared;
      try {
        prepared = req.url === discoveryPath ? discovery : jwks();
      } catch {
        // A store that cannot be read: let the Koa route fail it in the profile's envelope.
        next(req, res);
        return;
      }
      // Recorded before the answer leaves, as Koa's journal middleware records before Koa responds:
      // a client that reads the journal once it has the response finds its request there.
      journal?.record(fastPathEntry('GET', req.url ?? '', req.headers.authorization, 200, at));
      res.writeHead(200, prepared.headers);
      res.end(prepared.body);
      log?.({ method: 'GET', path: req.url ?? '', status: 200, ms: performance.now() - started });
    };
    // A shared (Redis) store: the key ring may have been rotated elsewhere. Discovery needs no store.
    // Redis unreachable: the Koa route answers 503 in the profile's envelope.
    if (refresh && req.url === jwksPath) refresh().then(answer, () => next(req, res));
    else answer();
  };
}
