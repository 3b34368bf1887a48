// The peer: oauth2-mock-server with one RS256 key, as its README sets it up. argv[2] picks
// the version: "9" (default) is 9.3, what a user installs today, from the aliased
// devDependency oauth2-mock-server-9 (its engines field says Node 22; it runs on Node 20);
// "8" is 8.2.3, kept as an extra column. Prints {"event":"ready","url":...} on stdout.
const { OAuth2Server } = await import(process.argv[2] === '8' ? 'oauth2-mock-server' : 'oauth2-mock-server-9');

const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');
await server.start(0, '127.0.0.1');
process.stdout.write(`${JSON.stringify({ event: 'ready', url: server.issuer.url })}\n`);
process.once('SIGTERM', () => server.stop().then(() => process.exit(0)));
