// The events oauth-mock emits, named once: the Koa app emits them on itself, and the
// programmatic API (startOAuthMock) re-emits them, typed, for test suites to await.
import type { JournalEntry } from './journal.js';

export const Events = {
  authorizeRedirect: 'authorize.redirect',
  tokenIssued: 'token.issued',
  tokenRefreshed: 'token.refreshed',
  tokenRevoked: 'token.revoked',
  /** One per answered request, with its journal entry (only where a journal is kept). */
  request: 'request',
} as const;

export type EventName = (typeof Events)[keyof typeof Events];

/** authorize answered 302 with a code. */
export interface AuthorizeRedirectEvent {
  clientId: string;
  userId: string;
  scope: string[];
  /** The full Location header: redirect_uri with code, state and iss. */
  location: string;
}

/** /oauth/token answered 200 (a code was redeemed, or a refresh token rotated). */
export interface TokenEvent {
  clientId: string;
  grantId: string;
  scope: string;
}

export interface TokenRevokedEvent {
  /** The client whose token was revoked. */
  clientId: string;
  kind: 'access_token' | 'refresh_token';
}

/** Each event's payload, for typed listeners (`EventEmitter<EventMap>`). */
export interface EventMap {
  'authorize.redirect': [AuthorizeRedirectEvent];
  'token.issued': [TokenEvent];
  'token.refreshed': [TokenEvent];
  'token.revoked': [TokenRevokedEvent];
  request: [JournalEntry];
}

/** The events the HTTP app itself emits (all but `request`, which the journal emits). */
export const APP_EVENTS = [Events.authorizeRedirect, Events.tokenIssued, Events.tokenRefreshed, Events.tokenRevoked] as const;
