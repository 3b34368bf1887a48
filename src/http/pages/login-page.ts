// The login page of the `oidc` profile. Its field and button names are a public interface:
// users' own browser tests fill it through them, so they are documented in the README and
// must not change: input[name=username], textarea[name=claims], button[data-user=<id>],
// button[name=deny].
import type { PageReason } from '../../core/login-decision.js';
import { html } from './html.js';
import type { Page } from './page.js';

export interface LoginPageInput {
  /** Where the form posts (the login endpoint). */
  action: string;
  csrf: string;
  /** The authorization request, serialized; re-validated in full when the form comes back. */
  request: string;
  client: { id: string; name?: string };
  scope: readonly string[];
  redirectUri: string;
  users: ReadonlyArray<{ id: string; name?: string; email?: string }>;
  /** Why the page is shown although a session exists. */
  reason?: PageReason;
  loginHint?: string;
  /** Values typed before an error, shown again so nothing is lost. */
  username?: string;
  claims?: string;
  error?: string;
}

const REASONS: Record<PageReason, string> = {
  prompt_login: 'The application asks you to sign in again (prompt=login).',
  prompt_consent: 'The application asks you to confirm this sign-in (prompt=consent).',
  prompt_select_account: 'The application asks you to choose an account (prompt=select_account).',
  max_age: 'Your last sign-in is older than the application allows (max_age).',
  other_user: 'The application expects another user than the one signed in (id_token_hint).',
};

export function loginPage(input: LoginPageInput): Page {
  const clientName = input.client.name ?? input.client.id;
  const hinted = input.users.find((u) => u.id === input.loginHint);
  // \u00b7 is a middle dot, escaped because the bundles must stay ASCII (scripts/bundle-cli.mjs).
  const users = input.users.map(
    (u) => html`<button type="submit" class="user" name="user" value="${u.id}" data-user="${u.id}"${u === hinted ? html` autofocus` : ''}>
<span>${u.name ?? u.id}</span><small>${u.id}${u.email ? html` \u00b7 ${u.email}` : ''}</small></button>`,
  );
  const username = input.username ?? (hinted ? '' : (input.loginHint ?? ''));
  return {
    title: `Sign in to ${clientName}`,
    status: input.error === undefined ? 200 : 400,
    formTargets: [input.redirectUri],
    body: html`<h1>Sign in to ${clientName}</h1>
<p class="muted">Client <code>${input.client.id}</code> asks for <code>${input.scope.join(' ') || '(no scope)'}</code>.</p>
${input.reason ? html`<p class="muted">${REASONS[input.reason]}</p>` : ''}
${input.error !== undefined ? html`<p class="error" role="alert">${input.error}</p>` : ''}
<form method="post" action="${input.action}">
<input type="hidden" name="csrf" value="${input.csrf}">
<input type="hidden" name="authorization_request" value="${input.request}">
<div class="stack">
<section class="other">
<h2><label for="username">Another user (any name becomes the <code>sub</code>)</label></h2>
<div class="row"><input id="username" name="username" value="${username}" autocomplete="off" spellcheck="false" maxlength="255" placeholder="e.g. carol">
<button type="submit" class="primary" name="login" value="username">Sign in</button></div>
</section>
<section class="known">
<h2>Known users</h2>
<div class="users">${users.length > 0 ? users : html`<p class="muted">No users yet: add one with <code>oauth-mock users add ID</code>, or type a name below.</p>`}</div>
</section>
</div>
<h2><label for="claims">Extra claims for this sign-in (JSON object, optional)</label></h2>
<textarea id="claims" name="claims" spellcheck="false" placeholder='{"acr": "urn:example:mfa", "roles": ["admin"]}'>${input.claims ?? ''}</textarea>
<div class="actions">
<span class="muted">Redirects to <code>${input.redirectUri}</code></span>
<button type="submit" class="deny" name="deny" value="deny">Deny</button>
</div>
</form>`,
  };
}
