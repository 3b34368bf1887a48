// What the bench measures. Each scenario runs against one or more targets; each target
// names the server to start and the load to put on it.
import { startBenchRedis } from './redis.mjs';
import { mintUserToken, startPeer, startRaw } from './targets.mjs';

// RFC 7636 Appendix B: the seed's challenge and its verifier, so every code redeems.
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const CLIENT = { client_id: 'client_123', client_secret: 'client_123-secret-change-me', redirect: 'https://client.example.com/callback', verifier: VERIFIER };
const AUTHZ_QUERY =
  `response_type=code&client_id=client_123&redirect_uri=${encodeURIComponent(CLIENT.redirect)}` +
  `&scope=openid%20profile%20email&state=s1&code_challenge=${CHALLENGE}&code_challenge_method=S256`;

export const DISCOVERY = '/.well-known/openid-configuration';
export const JWKS = '/.well-known/jwks.json';
const PEER_JWKS = '/jwks';

/** One real round trip, outside the measurement: the tokens userinfo is measured with. */
async function obtainTokens(url, userToken) {
  const authz = await fetch(`${url}/oauth/authorize?${AUTHZ_QUERY}`, { headers: { authorization: `Bearer ${userToken}` }, redirect: 'manual' });
  const code = new URL(authz.headers.get('location')).searchParams.get('code');
  const res = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'authorization_code',
      code,
      redirect_uri: CLIENT.redirect,
      code_verifier: VERIFIER,
      client_id: CLIENT.client_id,
      client_secret: CLIENT.client_secret,
    }),
  });
  const json = await res.json();
  if (!json.success) throw new Error(`token: ${JSON.stringify(json)}`);
  return json.data;
}

export const oursFlow = (mode, userToken) => ({
  mode,
  ...CLIENT,
  authorize_path: `/oauth/authorize?${AUTHZ_QUERY}`,
  token_path: '/oauth/token',
  user_token: userToken,
  form: false,
});
const peerFlow = { mode: 'roundtrip', ...CLIENT, authorize_path: `/authorize?${AUTHZ_QUERY}`, token_path: '/token', form: true };

/** A target: `start(ctx)` → { server, spec }, where ctx = { db(families), tmp, ourBodies }. */
const ours = (opts) => async (ctx) => ctx.startOurs({ db: await ctx.db(opts.families ?? 100), alg: opts.alg ?? 'HS256' });

export const SCENARIOS = [
  {
    name: 'discovery',
    kind: 'static',
    unit: 'req/s',
    targets: {
      ours: async (ctx) => ({ server: await ours({})(ctx), path: DISCOVERY }),
      raw: async (ctx) => ({ server: await startRaw(await ctx.ourBodies(), ctx.tmp), path: DISCOVERY }),
      peer: async () => ({ server: await startPeer('9'), path: '/.well-known/openid-configuration' }),
    },
  },
  {
    name: 'jwks',
    kind: 'static',
    unit: 'req/s',
    targets: {
      ours: async (ctx) => ({ server: await ours({})(ctx), path: JWKS }),
      raw: async (ctx) => ({ server: await startRaw(await ctx.ourBodies(), ctx.tmp), path: JWKS }),
      peer: async () => ({ server: await startPeer('9'), path: PEER_JWKS }),
    },
  },
  ...[
    ['roundtrip-hs256', 100],
    ['roundtrip-hs256-10k', 10_000],
    ['roundtrip-hs256-100k', 100_000],
  ].map(([name, families]) => ({
    name,
    kind: 'roundtrip',
    unit: 'round trips/s',
    families,
    measureRss: families === 100_000,
    targets: {
      ours: async (ctx) => {
        const server = await ours({ families })(ctx);
        return { server, flow: oursFlow('roundtrip', await mintUserToken(server.db)) };
      },
    },
  })),
  {
    name: 'roundtrip-rs256',
    kind: 'roundtrip',
    unit: 'round trips/s',
    targets: {
      ours: async (ctx) => {
        const server = await ours({ alg: 'RS256' })(ctx);
        return { server, flow: oursFlow('roundtrip', await mintUserToken(server.db)) };
      },
    },
  },
  // The Redis store (issue 14) against the file store above, in the same run: one replica, then
  // two replicas on the same core sharing one Redis, each driven by half the connections. On two
  // cores this measures the cost per round trip, not scaling.
  ...[
    ['roundtrip-redis', 1],
    ['roundtrip-redis-2-replicas', 2],
  ].map(([name, count]) => ({
    name,
    kind: 'roundtrip',
    unit: 'round trips/s',
    needs: 'redis-server',
    targets: {
      ours: async (ctx) => {
        const redis = await startBenchRedis(ctx.tmp);
        const where = { store: redis.url, issuer: `http://bench-${name}.test` };
        const servers = [];
        try {
          for (let i = 0; i < count; i++) servers.push(await ctx.startOurs(where));
          const token = await mintUserToken(where);
          return { server: servers[0], replicas: servers.slice(1), sidecars: [{ name: 'redis', ...redis }], flow: oursFlow('roundtrip', token) };
        } catch (error) {
          await Promise.all(servers.map((s) => s.stop()));
          await redis.stop();
          throw error;
        }
      },
    },
  })),
  {
    name: 'roundtrip-peer',
    kind: 'roundtrip',
    unit: 'round trips/s',
    // The peer signs two RS256 tokens per round trip; 8.2.3 stays as an extra column.
    targets: {
      peer: async () => ({ server: await startPeer('9'), flow: peerFlow }),
      peer8: async () => ({ server: await startPeer('8'), flow: peerFlow }),
    },
  },
  {
    name: 'refresh',
    kind: 'refresh',
    unit: 'refreshes/s',
    targets: {
      ours: async (ctx) => {
        const server = await ours({})(ctx);
        return { server, flow: oursFlow('refresh', await mintUserToken(server.db)) };
      },
    },
  },
  {
    name: 'userinfo',
    kind: 'static',
    unit: 'req/s',
    targets: {
      ours: async (ctx) => {
        const server = await ours({})(ctx);
        const { access_token: token } = await obtainTokens(server.url, await mintUserToken(server.db));
        return { server, path: '/oauth/userinfo', headers: { Authorization: `Bearer ${token}` } };
      },
    },
  },
];
