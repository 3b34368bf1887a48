// OIDC Core §3.1.2.3: after the authorization request is validated, decide whether the end
// user is already authenticated well enough, must see the login page, or (prompt=none) gets an
// error. Pure: the HTTP layer gathers the session and the verified id_token_hint and acts.
import { InvalidRequest, LoginRequired } from '../errors.js';
import type { Session } from './types.js';

/** OIDC Core §3.1.2.1. */
export const PROMPT_VALUES = ['none', 'login', 'consent', 'select_account'] as const;
export type Prompt = (typeof PROMPT_VALUES)[number];

/** Why the login page is shown although a session exists. */
export type PageReason = 'prompt_login' | 'prompt_consent' | 'prompt_select_account' | 'max_age' | 'other_user';

export type LoginDecision = { kind: 'session'; sid: string; session: Session } | { kind: 'page'; reason?: PageReason };

export interface LoginRequest {
  prompt: ReadonlySet<Prompt>;
  maxAge?: number;
  /** The `sub` of a verified id_token_hint (an expired one is fine: it only names the user). */
  hintSub?: string;
}

/** `prompt` is a space-separated list; values other than the four defined are ignored. */
export function parsePrompt(value: string | undefined): Set<Prompt> {
  const values = new Set((value ?? '').split(' ').filter((v): v is Prompt => (PROMPT_VALUES as readonly string[]).includes(v)));
  // OIDC Core §3.1.2.1: "none" with any other value is an error.
  if (values.has('none') && values.size > 1) throw new InvalidRequest('prompt=none cannot be combined with other prompt values');
  return values;
}

/** `max_age`: a non-negative integer number of seconds (OIDC Core §3.1.2.1). */
export function parseMaxAge(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,10}$/.test(value)) throw new InvalidRequest('max_age must be a non-negative integer number of seconds');
  return Number(value);
}

export function decideLogin(request: LoginRequest, current: { sid: string; session: Session } | undefined, now: number): LoginDecision {
  const none = request.prompt.has('none');
  const page = (reason?: PageReason): LoginDecision => {
    if (none) {
      throw new LoginRequired(
        current === undefined
          ? 'prompt=none, and the end user is not signed in; send the user to authorize without prompt=none'
          : `prompt=none, but the end user must sign in again (${reason === 'max_age' ? 'the last sign-in is older than max_age' : 'id_token_hint names another user'})`,
      );
    }
    return reason === undefined ? { kind: 'page' } : { kind: 'page', reason };
  };
  if (current === undefined) return page();
  // OIDC Core §3.1.2.1: the end user is prompted although signed in.
  if (request.prompt.has('login')) return page('prompt_login');
  if (request.prompt.has('select_account')) return page('prompt_select_account');
  // There is no separate consent screen: the login page shows what is asked, with a Deny button.
  if (request.prompt.has('consent')) return page('prompt_consent');
  // max_age=0 is "always authenticate again"; otherwise only when more time has passed.
  if (request.maxAge !== undefined && (request.maxAge === 0 || now - current.session.auth_time > request.maxAge)) return page('max_age');
  // OIDC Core §3.1.2.2: an id_token_hint for another user than the signed-in one.
  if (request.hintSub !== undefined && request.hintSub !== current.session.user_id) return page('other_user');
  return { kind: 'session', ...current };
}
