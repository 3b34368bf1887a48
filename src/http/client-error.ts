// What Node's HTTP parser refuses before Koa sees a request (a request line or headers over
// its 16 KiB limit, malformed HTTP), and what a client breaks off mid-request.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Context } from 'koa';
import { InvalidRequest, OAuthError } from '../errors.js';
import type { Profile } from './profiles/profile.js';

/**
 * A client that closed the socket mid-request (an aborted upload) or spoke broken HTTP: its
 * doing, not a fault of ours, so never logged as a server error with a stack.
 */
export function isClientAbort(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && (code.startsWith('HPE_') || ['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE'].includes(code));
}

function oauthErrorFor(error: NodeJS.ErrnoException): OAuthError {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return new OAuthError(
      'invalid_request',
      431,
      'the request line and headers are over 16 KiB; send a shorter URL (fewer or shorter parameters) or fewer headers',
    );
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new OAuthError('invalid_request', 408, 'the request was not received in time');
  return new InvalidRequest('the request is not valid HTTP/1.1');
}

/**
 * The `clientError` handler: Node's default answers these with a bare status line and no body;
 * this answers in the active profile's error format (rendered by the profile itself), then
 * closes the connection. A socket the client already closed is just destroyed.
 */
export function answerClientError(profile: Profile) {
  return (error: NodeJS.ErrnoException, socket: Duplex): void => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const oauth = oauthErrorFor(error);
    // The profile renders onto a context; only status, body and headers are read back.
    const headers: Record<string, string> = { 'Cache-Control': 'no-store', Pragma: 'no-cache', ...oauth.headers };
    const rendered = { status: oauth.status, body: undefined as unknown, set: (name: string, value: string) => void (headers[name] = value) };
    profile.error(rendered as unknown as Context, oauth);
    const body = JSON.stringify(rendered.body);
    const head = [
      `HTTP/1.1 ${rendered.status} ${STATUS_CODES[rendered.status] ?? ''}`,
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      'Connection: close',
    ];
    socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  };
}
