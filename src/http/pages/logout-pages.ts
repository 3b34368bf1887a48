// OpenID Connect RP-Initiated Logout 1.0: the pages of end_session_endpoint.
import { html } from './html.js';
import type { Page } from './page.js';

export interface LogoutConfirmInput {
  /** Where the confirmation posts (the end_session endpoint). */
  action: string;
  csrf: string;
  /** The logout request's own parameters, carried through the confirmation. */
  params: Record<string, string | undefined>;
  clientName?: string;
}

/** §2: without a valid id_token_hint the OP asks the user whether to log out. */
export function logoutConfirmPage(input: LogoutConfirmInput): Page {
  const fields = Object.entries(input.params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">\n`);
  const redirect = input.params.post_logout_redirect_uri;
  return {
    title: 'Sign out',
    ...(redirect !== undefined ? { formTargets: [redirect] } : {}),
    body: html`<h1>Sign out of oauth-mock?</h1>
<p class="muted">${input.clientName ? html`<code>${input.clientName}</code> asks to end your session.` : 'An application asks to end your session.'}</p>
<form method="post" action="${input.action}">
<input type="hidden" name="csrf" value="${input.csrf}">
${fields}<div class="actions"><span></span><button type="submit" class="primary" name="confirm" value="yes">Sign out</button></div>
</form>`,
  };
}

export interface LoggedOutInput {
  /** Why no redirect happened, when the client asked for one. */
  notRedirected?: string;
}

export function loggedOutPage(input: LoggedOutInput = {}): Page {
  return {
    title: 'Signed out',
    body: html`<h1>You are signed out</h1>
${input.notRedirected ? html`<p class="error" role="alert">Not sent back to the application: ${input.notRedirected}</p>` : ''}
<p class="muted">You may close this window.</p>`,
  };
}

export function logoutErrorPage(status: number, description: string): Page {
  return {
    title: 'Sign-out request refused',
    status,
    body: html`<h1>Sign-out request refused</h1>
<p class="error" role="alert">${description}</p>
<p class="muted">You are still signed in.</p>`,
  };
}
