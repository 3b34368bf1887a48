// The one layout and the one set of headers for every HTML page oauth-mock serves (login,
// errors, form_post, logout). No external assets: the style and the only script are inline,
// allowed by a per-response nonce under a CSP that allows nothing else.
import type { Context } from 'koa';
import { randomToken } from '../../core/random.js';
import { html, raw, type Html } from './html.js';

export interface Page {
  title: string;
  body: Html;
  status?: number;
  /**
   * Where the page's forms may submit besides this server. CSP `form-action` also governs the
   * redirects that follow a submission (Chromium enforces it), so a login form that ends in a
   * 302 to the client must name the redirect_uri here too.
   */
  formTargets?: readonly string[];
  /** One inline script (form_post's auto-submit); pages work without it. */
  script?: string;
}

/** The CSP source expression for a URI: its origin, or `scheme:` for a custom scheme (native apps). */
export function cspSource(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
  return /^[a-z][a-z0-9+.-]*:$/.test(url.protocol) ? url.protocol : undefined;
}

export function contentSecurityPolicy(nonce: string, page: Pick<Page, 'formTargets' | 'script'>): string {
  const targets = [...new Set((page.formTargets ?? []).map(cspSource).filter((s): s is string => s !== undefined))];
  return [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    page.script === undefined ? "script-src 'none'" : `script-src 'nonce-${nonce}'`,
    `form-action 'self'${targets.map((t) => ` ${t}`).join('')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

const STYLE = raw(`
:root { color-scheme: light; --fg: #1d2330; --muted: #5b6475; --line: #d8dce4; --accent: #2f5bd3; --bad: #b42318; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #f3f5f9; }
main { max-width: 34rem; margin: 3rem auto; padding: 2rem 2.25rem; background: #fff; border: 1px solid var(--line); border-radius: 10px; }
h1 { font-size: 1.35rem; margin: 0 0 .25rem; }
h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 1.5rem 0 .5rem; }
p, dl { margin: .5rem 0; }
.muted, dt { color: var(--muted); font-size: .875rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem .75rem; }
dd { margin: 0; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; word-break: break-all; }
.users { display: grid; gap: .5rem; }
button { font: inherit; cursor: pointer; border-radius: 7px; border: 1px solid var(--line); background: #fff; padding: .55rem .9rem; }
button.user { display: flex; justify-content: space-between; align-items: baseline; width: 100%; text-align: left; }
button.user:hover, button.user:focus { border-color: var(--accent); outline: none; box-shadow: 0 0 0 2px #2f5bd333; }
button.user small { color: var(--muted); }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.deny { color: var(--bad); }
.row { display: flex; gap: .5rem; }
.row button { flex: none; white-space: nowrap; }
input, textarea { font: inherit; width: 100%; padding: .5rem .6rem; border: 1px solid var(--line); border-radius: 7px; }
textarea { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; min-height: 4.5rem; }
.error { color: var(--bad); background: #fef3f2; border: 1px solid #fecdca; border-radius: 7px; padding: .5rem .75rem; }
.actions { display: flex; justify-content: space-between; align-items: center; margin-top: 1.5rem; }
footer { margin-top: 1.5rem; color: var(--muted); font-size: .8rem; }
/* The username field comes first in the form, so Enter in it submits with its own button
   (the form's default button), while the known users are shown first. */
.stack { display: flex; flex-direction: column; }
.known { order: -1; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85em; }
`);

// \u00b7 is a middle dot, escaped because the bundles must stay ASCII (scripts/bundle-cli.mjs).
export function renderPage(page: Page, nonce: string): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${page.title} \u00b7 oauth-mock</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<main>
${page.body}
<footer>oauth-mock: a mock authorization server for development and tests. No real account is involved.</footer>
</main>
${page.script === undefined ? '' : html`<script nonce="${nonce}">${raw(page.script)}</script>`}
</body>
</html>
`.toString();
}

/** Sends a page with the headers every oauth-mock page carries. */
export function sendPage(ctx: Context, page: Page): void {
  const nonce = randomToken(16);
  ctx.status = page.status ?? 200;
  ctx.set({
    'Content-Security-Policy': contentSecurityPolicy(nonce, page),
    // Clickjacking: the login page must never be framed (RFC 6749 §10.13).
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
  });
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = renderPage(page, nonce);
}
