// The ceiling: bare node:http answering the same bytes oauth-mock serves for discovery and
// JWKS (argv[2] is a JSON file {path: body}). Prints {"event":"ready","url":...} on stdout.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const bodies = new Map(Object.entries(JSON.parse(readFileSync(process.argv[2], 'utf8'))).map(([p, b]) => [p, Buffer.from(b)]));
const server = createServer((req, res) => {
  const body = bodies.get(req.url);
  if (req.method !== 'GET' || body === undefined) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ event: 'ready', url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
