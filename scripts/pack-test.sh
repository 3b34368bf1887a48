#!/usr/bin/env bash
# Packaging test: what a user gets from the registry must work with no dev dependencies.
# Packs this checkout, installs the tarball into an empty directory with --omit=dev, starts
# the server with npx, waits for its ready file, fetches discovery, imports the API from ESM
# and CommonJS, and stops it. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/oauth-mock-pack-XXXXXX")
server_pid=''
npx_pid=''
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  if [ -n "$npx_pid" ]; then kill "$npx_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "pack test FAILED: $*" >&2
  for f in "$work/stdout" "$work/stderr"; do [ -f "$f" ] && { echo "--- $f" >&2; cat "$f" >&2; }; done
  exit 1
}

echo "pack test: npm pack (runs prepack: the build)"
mkdir "$work/pack"
npm pack --silent --pack-destination "$work/pack" >/dev/null
tarball=$(ls "$work"/pack/oauth-mock-*.tgz)
contents=$(tar -tzf "$tarball")
for required in package/bin/oauth-mock.js package/bin/package.json package/dist/index.js package/dist/index.d.ts package/dist/cli/main.js \
  package/fixtures/users.json package/fixtures/clients.json package/openapi/openapi.json package/README.md; do
  grep -qx "$required" <<<"$contents" || fail "the tarball lacks $required"
done
if grep -q '^package/\(src\|test\|scripts\)/' <<<"$contents"; then fail 'the tarball ships sources or tests'; fi
# Source maps would point at src/*.ts, which is not shipped.
if grep -q '\.map$' <<<"$contents"; then fail "the tarball ships source maps: $(grep -c '\.map$' <<<"$contents")"; fi
grep -qx package/dist/index.cjs <<<"$contents" || fail 'the tarball lacks the CommonJS entry dist/index.cjs'
# A consumer's install must not try to build: the manifest has no install-time scripts.
manifest=$(tar -xzOf "$tarball" package/package.json)
for script in prepare install postinstall preinstall; do
  if node -e 'process.exit(JSON.parse(process.argv[1]).scripts?.[process.argv[2]] === undefined ? 1 : 0)' "$manifest" "$script"; then
    fail "the packed package.json keeps the $script script (every consumer's install would run it)"
  fi
done

echo "pack test: npm install --omit=dev into an empty directory"
mkdir "$work/app"
cd "$work/app"
echo '{"name":"pack-test-app","version":"1.0.0","private":true,"type":"module"}' >package.json
npm install --omit=dev --no-audit --no-fund --silent "$tarball" >/dev/null
for dev in typescript tsx mocha eslint supertest; do
  [ ! -e "node_modules/$dev" ] || fail "dev dependency $dev was installed"
done

echo "pack test: npx oauth-mock start --port 0 --in-memory --ready-file"
npx --no oauth-mock start --port 0 --in-memory --ready-file "$work/ready.json" >"$work/stdout" 2>"$work/stderr" &
npx_pid=$!
# Bounded wait for the server to say it listens (not a timing assertion: only a hang fails).
for _ in $(seq 1 600); do
  [ -f "$work/ready.json" ] && break
  kill -0 "$npx_pid" 2>/dev/null || fail 'the server exited before it was ready'
  sleep 0.1
done
[ -f "$work/ready.json" ] || fail 'no ready file after 60 s'
server_pid=$(node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).pid))' "$work/ready.json")

node --input-type=module - "$work/ready.json" "$work/stdout" <<'JS' || fail 'discovery or the ready line is wrong'
import { readFileSync } from 'node:fs';
const ready = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const res = await fetch(`${ready.url}/.well-known/openid-configuration`);
if (res.status !== 200) throw new Error(`discovery answered ${res.status}`);
const doc = await res.json();
if (doc.issuer !== ready.issuer) throw new Error(`discovery issuer ${doc.issuer} is not ${ready.issuer}`);
if (doc.token_endpoint !== `${ready.url}/oauth/token`) throw new Error(`token_endpoint is ${doc.token_endpoint}`);
const line = JSON.parse(readFileSync(process.argv[3], 'utf8').split('\n')[0]);
if (line.event !== 'ready' || line.url !== ready.url || line.pid !== ready.pid) throw new Error(`ready line ${JSON.stringify(line)}`);
console.log(`pack test: discovery at ${ready.url} ok`);
JS

kill -TERM "$server_pid"
code=0
wait "$npx_pid" || code=$?
server_pid=''
npx_pid=''
[ "$code" -eq 0 ] || fail "the server exited with $code on SIGTERM"
[ ! -e "$work/ready.json" ] || fail 'the ready file was left behind'

echo "pack test: a harness's spawn('npx', ['oauth-mock', 'start', ...]) then child.kill(), over https"
node "$repo/scripts/npx-harness-check.mjs" "$work" || fail 'the server outlived its npx harness (or --no-exit-with-parent did not keep it)'

echo "pack test: the API from ESM, and from CommonJS with await import()"
[ -f node_modules/oauth-mock/dist/index.d.ts ] || fail 'no type declarations'
node --input-type=module -e "
import { startOAuthMock } from 'oauth-mock';
const mock = await startOAuthMock({ port: 0 });
const token = await mock.mintToken({ user: 'alice', kind: 'access', client: 'client_123' });
const res = await fetch(mock.url + '/oauth/userinfo', { headers: { authorization: 'Bearer ' + token } });
if (res.status !== 200) throw new Error('userinfo answered ' + res.status);
await mock.stop();
const https = await startOAuthMock({ https: true });
const { get } = await import('node:https');
const code = await new Promise((resolve, reject) => get(https.discoveryUrl, { ca: https.ca }, (r) => (r.resume(), resolve(r.statusCode))).once('error', reject));
if (code !== 200) throw new Error('discovery over https answered ' + code);
await https.stop();
" || fail 'the ESM import failed'
node --input-type=commonjs -e "
(async () => {
  const { startOAuthMock } = await import('oauth-mock');
  const mock = await startOAuthMock();
  if ((await fetch(mock.discoveryUrl)).status !== 200) throw new Error('discovery failed');
  await mock.stop();
})().catch((error) => { console.error(error); process.exitCode = 1; });
" || fail 'the CommonJS await import() failed'

echo "pack test: require('oauth-mock') from a default (CommonJS) npm init -y project"
mkdir "$work/cjs"
cd "$work/cjs"
npm init -y >/dev/null
npm install --omit=dev --no-audit --no-fund --silent "$tarball" >/dev/null
cat >test.js <<'JS'
const { startOAuthMock } = require('oauth-mock');
(async () => {
  const mock = await startOAuthMock();
  const token = await mock.mintToken({ user: 'alice', kind: 'access', client: 'client_123' });
  const res = await fetch(mock.url + '/oauth/userinfo', { headers: { authorization: 'Bearer ' + token } });
  if (res.status !== 200) throw new Error('userinfo answered ' + res.status);
  await mock.stop();
})().catch((error) => { console.error(error); process.exitCode = 1; });
JS
node test.js 2>"$work/stderr" || fail 'require() of the package failed in a CommonJS project'
if [ -s "$work/stderr" ]; then fail "require() of the package printed warnings: $(cat "$work/stderr")"; fi
cd "$work/app"

echo "pack test: the shipped types, through exports.types (this checkout's tsc)"
cat >typed.ts <<'TS'
import { startOAuthMock, type JournalEntry, type OAuthMock } from 'oauth-mock';
const mock: OAuthMock = await startOAuthMock({ port: 0, users: [{ id: 'carol' }] });
mock.on('token.issued', (event) => event.grantId.toUpperCase());
const token: string = await mock.mintToken({ user: 'carol', kind: 'user', ttl: 60 });
const journal: JournalEntry[] = mock.requests();
const ca: string | undefined = mock.ca;
// @ts-expect-error: kind is user, access or id
await mock.mintToken({ user: 'carol', kind: 'refresh' });
export { token, journal, ca };
TS
cat >tsconfig.json <<JSON
{ "compilerOptions": { "target": "ES2023", "module": "nodenext", "moduleResolution": "nodenext", "strict": true, "noEmit": true,
  "skipLibCheck": false, "typeRoots": ["$repo/node_modules/@types"], "types": ["node"] }, "files": ["typed.ts"] }
JSON
"$repo/node_modules/.bin/tsc" -p . || fail 'the shipped types do not compile a consumer'

cd "$repo"
echo 'pack test: ok'
