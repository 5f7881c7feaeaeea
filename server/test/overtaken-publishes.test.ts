import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpPerson } from './support/accounts.js';
import { startTestServer, type TestServer } from './support/server.js';
import { personSockets, settle, subscribe } from './support/ws-client.js';
import { createThread, createWorkspace } from './support/workspaces.js';

/**
 * A thread room (modules/threads/thread-rooms.ts) puts events in seq order. Publishes race after their commits,
 * so one may come before another with a lower seq: the room waits a little for the one overtaken, and reads from
 * PostgreSQL only what has not come by then. The publishes here are sent by hand, in the order under test.
 */
const redisUrl = process.env.REDIS_URL;
const prefix = `co-test-${randomBytes(4).toString('hex')}:`;
let server: TestServer;
let redis: Redis;
const sockets = personSockets(() => server.url);
const readForLostPublishes = async () =>
  Number(/^realtime_events_read_for_lost_publishes_total (\S+)/m.exec(await (await fetch(`${server.url}/metrics`)).text())?.[1] ?? 'NaN');

describe.skipIf(!redisUrl)('events whose publishes overtook each other (skipped: REDIS_URL is not set on this machine)', () => {
  beforeAll(async () => {
    server = await startTestServer({ REDIS_URL: redisUrl!, REDIS_PREFIX: prefix });
    redis = new Redis(redisUrl!);
  });
  afterAll(async () => {
    await sockets.closeAll();
    await redis?.quit();
    await server?.close();
  });

  it('reach subscribers in seq order, the overtaken one awaited rather than read, and one never published read from PostgreSQL', async () => {
    const owner = await signUpPerson(server.client());
    const w = await createWorkspace(server.client(owner.token), 'Inhaalrace');
    const t = await createThread(server.client(owner.token), w, 'Wie eerst');
    const live = subscribe(await sockets.open(owner), `subscription($t: ID!) { messageEvents(threadId: $t) { seq message { body } } }`, { t });
    await settle(); // the room is open at seq 0

    // four posts committed, as postMessage commits them; their publishes follow by hand
    const ids: string[] = [];
    for (const seq of [1, 2, 3, 4]) {
      const [row] = await server.sql<{ id: string }>(
        `with m as (insert into message (id, thread_id, author_id, body, seq, created_at) values (gen_random_uuid(), $1, $2, $3, $4, now()) returning id)
         insert into message_event (thread_id, seq, kind, message_id, at) select $1, $4, 'ADDED', m.id, now() from m returning message_id as id`,
        [t, owner.id, `bericht ${seq}`, seq],
      );
      ids.push(row.id);
    }
    await server.sql(`update thread set last_seq = 4 where id = $1`, [t]);
    const publish = (seq: number) => redis.publish(`${prefix}thread:${t}`, JSON.stringify({ threadId: t, seq, kind: 'ADDED', messageId: ids[seq - 1] }));
    const readBefore = await readForLostPublishes();

    await publish(2);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await publish(1);
    expect((await live.waitFor(2)).map((v) => `${v.messageEvents.seq}:${v.messageEvents.message.body}`)).toEqual(['1:bericht 1', '2:bericht 2']);
    expect(await readForLostPublishes()).toBe(readBefore);

    // seq 3's publish never comes (its process died between commit and publish)
    await publish(4);
    expect((await live.waitFor(4)).map((v) => v.messageEvents.seq)).toEqual([1, 2, 3, 4]);
    expect(await readForLostPublishes()).toBe(readBefore + 1);
    // and when it comes after all, late, it is not delivered twice
    await publish(3);
    await settle();
    expect(live.values.map((v) => v.messageEvents.seq)).toEqual([1, 2, 3, 4]);
  });
});
