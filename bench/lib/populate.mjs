// Writes a store holding `count` live refresh-token families (grants) beside the shipped
// fixtures, through the store API, as a server would have left them. Run against dist/.
// Usage: node bench/lib/populate.mjs <db path> <count>
import { randomBytes } from 'node:crypto';

const [path, countArg] = process.argv.slice(2);
const count = Number(countArg);
const { createStore } = await import('../../dist/store/index.js');
const { loadFixtures } = await import('../../dist/store/fixtures.js');

const store = await createStore({ path, seed: () => loadFixtures(), reset: true });
const now = Math.floor(Date.now() / 1000);
const BATCH = 5_000;
for (let done = 0; done < count; done += BATCH) {
  await store.update((tx) => {
    for (let i = done; i < Math.min(count, done + BATCH); i++) {
      const id = randomBytes(16).toString('base64url');
      tx.put('grants', id, {
        id,
        client_id: 'client_123',
        user_id: i % 2 ? 'alice' : 'bob',
        scope: ['openid', 'profile', 'email'],
        resource: [],
        auth_time: now,
        created_at: now,
        refresh_gen: i % 5,
        refresh_key: randomBytes(32).toString('base64url'),
        refresh_expires_at: now + 30 * 86400,
        expires_at: now + 30 * 86400,
      });
    }
  });
}
await store.close();
process.stdout.write(`${JSON.stringify({ path, count })}\n`);
