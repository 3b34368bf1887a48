// The peer: oauth2-mock-server (8.x, the last line that runs on Node 20) with one RS256 key,
// as its README sets it up. Prints {"event":"ready","url":...} on stdout.
import { OAuth2Server } from 'oauth2-mock-server';

const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');
await server.start(0, '127.0.0.1');
process.stdout.write(`${JSON.stringify({ event: 'ready', url: server.issuer.url })}\n`);
process.once('SIGTERM', () => server.stop().then(() => process.exit(0)));
