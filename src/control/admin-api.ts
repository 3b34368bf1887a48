// The control API: the same controls over HTTP, for suites in any language. Mounted only when
// the server runs with --control (otherwise these paths are 404 like any unknown one), and
// answered only to the control token. JSON in and out in both profiles; errors are thrown,
// typed, and rendered by the one error handler through the profile.
import { bodyParser } from '@koa/bodyparser';
import type { Context, Next } from 'koa';
import { safeEqual } from '../core/random.js';
import type { Data } from '../core/types.js';
import { describeKnown, findUser } from '../core/lookup.js';
import { InvalidRequest, InvalidToken } from '../errors.js';
import { bearerToken } from '../http/bearer.js';
import { noStore } from '../http/middleware/no-store.js';
import type { Route } from '../http/routes.js';
import type { Controls } from './controls.js';

import { CONTROL_PREFIX } from './prefix.js';

export { CONTROL_PREFIX } from './prefix.js';

export interface ControlApiDeps {
  controls: Controls;
  token: string;
  read(): Readonly<Data>;
}

function requireControlToken(token: string) {
  return async function authenticateControl(ctx: Context, next: Next) {
    const presented = bearerToken(ctx, 'control token (printed in the ready line of start --control)');
    if (!safeEqual(presented, token)) throw new InvalidToken('this is not the control token of this server; see the ready line of start --control');
    await next();
  };
}

const parseJson = bodyParser({
  enableTypes: ['json'],
  jsonLimit: 64 * 1024,
  jsonStrict: true,
  onError: () => {
    throw new InvalidRequest('the request body is not valid JSON');
  },
});

/** The JSON object body (an empty body is `{}`). */
async function jsonBody(ctx: Context): Promise<Record<string, unknown>> {
  if (!ctx.request.length && ctx.get('transfer-encoding') === '') return {};
  if (!ctx.is('application/json')) throw new InvalidRequest('send the control request as Content-Type: application/json');
  await parseJson(ctx, async () => {});
  const body: unknown = ctx.request.body;
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidRequest('the request body must be a JSON object');
  return body as Record<string, unknown>;
}

/** Runs a change; a RangeError (bad input) is a 400 that says what to fix. */
function change(ctx: Context, deps: ControlApiDeps, status: number, fn: (body: Record<string, unknown>) => void) {
  return jsonBody(ctx).then((body) => {
    try {
      fn(body);
    } catch (error) {
      if (error instanceof RangeError) throw new InvalidRequest(error.message);
      throw error;
    }
    ctx.status = status;
    ctx.body = deps.controls.status();
  });
}

/** The control API's entries in the one routing table (src/http/routes.ts). */
export function controlRoutes(root: string, deps: ControlApiDeps): Route[] {
  const { controls } = deps;
  const guard = [noStore, requireControlToken(deps.token)];
  const post = (path: string, status: number, fn: (body: Record<string, unknown>) => void): Route => ({
    method: 'post',
    path: `${root}${CONTROL_PREFIX}${path}`,
    action: [...guard, (ctx: Context) => change(ctx, deps, status, fn)],
  });
  return [
    {
      method: 'get',
      path: `${root}${CONTROL_PREFIX}/status`,
      action: [
        ...guard,
        async function controlStatus(ctx: Context) {
          ctx.body = controls.status();
        },
      ],
    },
    post('/clock/advance', 200, (body) => {
      if (typeof body.by !== 'string' && typeof body.by !== 'number') throw new RangeError('by is required: a duration such as "90m" or milliseconds');
      controls.clock.advance(body.by);
    }),
    post('/clock/set', 200, (body) => {
      if (typeof body.to !== 'string' && typeof body.to !== 'number') throw new RangeError('to is required: an ISO 8601 date or epoch milliseconds');
      controls.clock.set(body.to);
    }),
    post('/clock/reset', 200, () => controls.clock.reset()),
    post('/faults', 201, (body) => {
      const { endpoint, ...options } = body;
      controls.fail(endpoint, options);
    }),
    post('/misbehaviours', 201, (body) => {
      const { name, ...options } = body;
      const unknown = Object.keys(options).filter((k) => k !== 'times');
      if (unknown.length > 0) throw new RangeError(`unknown option ${JSON.stringify(unknown[0])}; known: name, times`);
      controls.misbehave(name, options);
    }),
    post('/logins', 201, (body) => {
      const data = deps.read();
      if (typeof body.user === 'string' && !findUser(data, body.user))
        throw new RangeError(`no user ${JSON.stringify(body.user)} (${describeKnown(data.users)})`);
      controls.nextLogin(body);
    }),
    post('/reset', 200, () => controls.reset()),
  ];
}
