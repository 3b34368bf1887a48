// A small relying party web app for the browser tests: node:http plus openid-client v6, the
// way a newcomer would write one. It signs in through the authorization code flow with PKCE,
// state and nonce, shows the ID token's claims, and logs out (RP-Initiated Logout 1.0).
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as client from 'openid-client';

export interface RpOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Registers the app's URLs (callback and post-logout) with the provider once its port is known. */
  register(urls: { callback: string; loggedOut: string }): Promise<void>;
}

/** One authorization response as the app received it. */
export interface Received {
  method: string;
  params: Record<string, string>;
}

export interface RpApp {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

interface Pending {
  verifier: string;
  nonce: string;
  maxAge?: number;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

const page = (title: string, body: string) => `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startRpApp(options: RpOptions): Promise<RpApp> {
  const pending = new Map<string, Pending>();
  const received: Received[] = [];
  let idToken: string | undefined;
  let config: client.Configuration | undefined;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end(page('RP error', `<h1 id="result">rp-failure</h1><pre id="detail">${esc(String((error as Error).stack ?? error))}</pre>`));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const urls = { callback: `${base}/callback`, loggedOut: `${base}/logged-out` };
  await options.register(urls);

  async function discover(): Promise<client.Configuration> {
    config ??= await client.discovery(new URL(options.issuer), options.clientId, options.clientSecret, undefined, {
      execute: [client.allowInsecureRequests],
    });
    return config;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    const send = (title: string, body: string, status = 200) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page(title, body));
    };
    const redirect = (location: URL) => {
      res.writeHead(302, { location: location.href });
      res.end();
    };

    if (url.pathname === '/login') {
      const cfg = await discover();
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const extra = Object.fromEntries(url.searchParams);
      pending.set(state, { verifier, nonce, ...(extra.max_age !== undefined ? { maxAge: Number(extra.max_age) } : {}) });
      redirect(
        client.buildAuthorizationUrl(cfg, {
          redirect_uri: urls.callback,
          scope: 'openid profile email',
          state,
          nonce,
          code_challenge: await client.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
          ...extra,
        }),
      );
      return;
    }

    if (url.pathname === '/callback') {
      const cfg = await discover();
      const body = req.method === 'POST' ? await readBody(req) : '';
      const params = new URLSearchParams(req.method === 'POST' ? body : url.search);
      received.push({ method: req.method ?? '', params: Object.fromEntries(params) });
      const state = params.get('state') ?? '';
      const checks = pending.get(state);
      if (!checks) return send('Callback', `<h1 id="result">unknown-state</h1>`, 400);
      pending.delete(state);
      const current: URL | Request =
        req.method === 'POST' ? new Request(url, { method: 'POST', headers: { 'content-type': String(req.headers['content-type']) }, body }) : url;
      try {
        const tokens = await client.authorizationCodeGrant(cfg, current, {
          pkceCodeVerifier: checks.verifier,
          expectedState: state,
          expectedNonce: checks.nonce,
          ...(checks.maxAge !== undefined ? { maxAge: checks.maxAge } : {}),
        });
        idToken = tokens.id_token;
        const claims = tokens.claims();
        send('Signed in', `<h1 id="result">signed-in</h1><pre id="claims">${esc(JSON.stringify(claims))}</pre>`);
      } catch (error) {
        const e = error as { error?: string; error_description?: string; message: string };
        send(
          'Sign-in failed',
          `<h1 id="result">error</h1><p id="error">${esc(e.error ?? e.message)}</p><p id="error-description">${esc(e.error_description ?? '')}</p>`,
        );
      }
      return;
    }

    if (url.pathname === '/logout') {
      const cfg = await discover();
      redirect(
        client.buildEndSessionUrl(cfg, {
          post_logout_redirect_uri: urls.loggedOut,
          state: 'bye-state',
          ...(idToken !== undefined ? { id_token_hint: idToken } : {}),
        }),
      );
      idToken = undefined;
      return;
    }

    if (url.pathname === '/logged-out') {
      send('Logged out', `<h1 id="result">logged-out</h1><p id="state">${esc(url.searchParams.get('state') ?? '')}</p>`);
      return;
    }
    send('RP', '<h1 id="result">home</h1><a href="/login">Sign in</a>');
  }

  return {
    url: base,
    received,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
