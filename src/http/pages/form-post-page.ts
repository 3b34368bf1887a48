// OAuth 2.0 Form Post Response Mode §2: the response parameters travel in an HTML form
// that the browser posts to the redirect_uri; a script submits it at once, and the button
// does the same without JavaScript.
import { html } from './html.js';
import type { Page } from './page.js';

export function formPostPage(redirectUri: string, params: Record<string, string | undefined>): Page {
  const fields = Object.entries(params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">\n`);
  return {
    title: 'Continue to the application',
    formTargets: [redirectUri],
    script: 'document.forms[0].submit();',
    body: html`<h1>Continue to the application</h1>
<form method="post" action="${redirectUri}">
${fields}<p class="muted">Sending the response to <code>${redirectUri}</code>.</p>
<button type="submit" class="primary">Continue</button>
</form>`,
  };
}
