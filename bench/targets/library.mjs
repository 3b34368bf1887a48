// What a test suite feels, in one fresh process (argv[2]: "ours" or "peer"; argv[3]: "cold" or
// "latency"). The client runs in the same process as the mock, as in a test file.
//   cold:    import the package, start a mock on a free port, GET discovery once; prints the
//            wall time since the process began (performance.now() counts from process start).
//   latency: N times (argv[4]) sequentially on one keep-alive connection: ours does
//            mock.reset() + a fresh user token + GET authorize + POST token; the peer, which has
//            no store to reset, does GET authorize + POST token. Prints the p50 in ms.
import { Agent, request } from 'node:http';

const [who, mode, countArg = '200'] = process.argv.slice(2);
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const REDIRECT = 'https://client.example.com/callback';
const QUERY =
  `response_type=code&client_id=client_123&redirect_uri=${encodeURIComponent(REDIRECT)}` +
  `&scope=openid%20profile%20email&state=s1&code_challenge=${CHALLENGE}&code_challenge_method=S256`;

let base;
let stopIt;
let resetAndMint;
let authorizePath;
let tokenPath;
let tokenBody;
let tokenType;
if (who === 'ours') {
  const { startOAuthMock } = await import('oauth-mock');
  const mock = await startOAuthMock();
  base = mock.url;
  stopIt = () => mock.stop();
  resetAndMint = async () => {
    await mock.reset();
    return mock.mintToken({ user: 'alice' });
  };
  authorizePath = `/oauth/authorize?${QUERY}`;
  tokenPath = '/oauth/token';
  tokenType = 'application/json';
  tokenBody = (code) =>
    JSON.stringify({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: VERIFIER,
      client_id: 'client_123',
      client_secret: 'client_123-secret-change-me',
    });
} else {
  const { OAuth2Server } = await import('oauth2-mock-server-9');
  const server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  await server.start(0, '127.0.0.1');
  base = server.issuer.url.replace('//localhost:', '//127.0.0.1:');
  stopIt = () => server.stop();
  resetAndMint = async () => undefined;
  authorizePath = `/authorize?${QUERY}`;
  tokenPath = '/token';
  tokenType = 'application/x-www-form-urlencoded';
  tokenBody = (code) =>
    `grant_type=authorization_code&code=${code}&redirect_uri=${encodeURIComponent(REDIRECT)}&code_verifier=${VERIFIER}&client_id=client_123`;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const { hostname, port } = new URL(base);
function send(method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

if (mode === 'cold') {
  const res = await send('GET', '/.well-known/openid-configuration', {});
  if (res.status !== 200) throw new Error(`discovery answered ${res.status}`);
  process.stdout.write(`${JSON.stringify({ ms: performance.now() })}\n`);
  process.exit(0);
}

const samples = [];
for (let i = 0; i < Number(countArg); i++) {
  const t0 = performance.now();
  const userToken = await resetAndMint();
  const authz = await send('GET', authorizePath, userToken ? { authorization: `Bearer ${userToken}` } : {});
  const code = authz.status === 302 ? new URL(authz.headers.location).searchParams.get('code') : null;
  if (!code) throw new Error(`authorize answered ${authz.status}: ${authz.text}`);
  const body = tokenBody(code);
  const token = await send('POST', tokenPath, { 'content-type': tokenType, 'content-length': Buffer.byteLength(body) }, body);
  if (token.status !== 200) throw new Error(`token answered ${token.status}: ${token.text}`);
  samples.push(performance.now() - t0);
}
samples.sort((a, b) => a - b);
process.stdout.write(`${JSON.stringify({ p50Ms: samples[samples.length >> 1], n: samples.length })}\n`);
agent.destroy();
await stopIt();
