// RFC 6749 §4.1.2.1: until client_id and redirect_uri are trusted, an error is shown to the
// user here and never sent to an unverified redirect_uri (an open redirector otherwise).
import { html } from './html.js';
import type { Page } from './page.js';

export interface ErrorPageInput {
  status: number;
  /** The OAuth error code, e.g. invalid_request. */
  code: string;
  description: string;
}

export function errorPage(input: ErrorPageInput): Page {
  return {
    title: 'Authorization request refused',
    status: input.status,
    body: html`<h1>Authorization request refused</h1>
<p class="error" role="alert"><code>${input.code}</code>: ${input.description}</p>
<p class="muted">This error was not sent back to the application, because its client_id or redirect_uri could not be trusted.
Fix the authorization request (or the client's registration: <code>oauth-mock clients show ID</code>) and try again.</p>`,
  };
}
