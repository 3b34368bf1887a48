// The fallback load generator where wrk is missing: autocannon in its own process (pinned by
// the caller), with the same round-trip and refresh flows as flow.lua, per connection.
import autocannon from 'autocannon';

const spec = JSON.parse(process.argv[2]);
const { flow } = spec;
const counts = { authorize: 0, ok: 0, errors: 0 };

function tokenBody(kind, value) {
  const params =
    kind === 'code'
      ? { grant_type: 'authorization_code', code: value, redirect_uri: flow.redirect, code_verifier: flow.verifier, client_id: flow.client_id }
      : { grant_type: 'refresh_token', refresh_token: value, client_id: flow.client_id };
  if (!flow.form) return JSON.stringify({ ...params, client_secret: flow.client_secret });
  return new URLSearchParams(params).toString();
}

function flowRequests() {
  const ctype = flow.form ? 'application/x-www-form-urlencoded' : 'application/json';
  const authorize = {
    method: 'GET',
    path: flow.authorize_path,
    headers: flow.user_token ? { authorization: `Bearer ${flow.user_token}` } : {},
    onResponse(status, _body, context, headers) {
      const location = headers.location ?? headers.Location;
      const code = status === 302 && location ? /[?&]code=([^&]+)/.exec(location)?.[1] : undefined;
      if (code) counts.authorize++;
      else counts.errors++;
      context.code = code;
    },
  };
  const token = {
    method: 'POST',
    path: flow.token_path,
    headers: { 'content-type': ctype },
    setupRequest(req, context) {
      const refresh = flow.mode === 'refresh' && context.refresh;
      return { ...req, body: refresh ? tokenBody('refresh', context.refresh) : tokenBody('code', context.code ?? 'none') };
    },
    onResponse(status, body, context) {
      if (status !== 200) {
        counts.errors++;
        context.refresh = undefined;
        return;
      }
      counts.ok++;
      if (flow.mode === 'refresh') context.refresh = /"refresh_token"\s*:\s*"([^"]+)"/.exec(body)?.[1];
    },
  };
  // Refresh mode: one authorization per connection, then rotation for the rest of the run.
  if (flow.mode === 'refresh') {
    return [authorize, token, ...Array.from({ length: 100_000 }, () => token)];
  }
  return [authorize, token];
}

const result = await autocannon({
  url: spec.flow ? spec.url : `${spec.url}${spec.path}`,
  connections: spec.connections,
  duration: spec.seconds,
  headers: spec.headers ?? {},
  ...(flow ? { requests: flowRequests() } : {}),
});
const requests = result.requests.total;
const seconds = result.duration;
process.stdout.write(
  `${JSON.stringify({
    requests,
    seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: flow ? counts.errors : result.non2xx + result.errors,
    ...(flow ? { counts: { ...counts, seconds } } : {}),
  })}\n`,
);
