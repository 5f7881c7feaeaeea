import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { signUpPerson } from './support/accounts.js';
import { createTestDatabase } from './support/database.js';
import { GraphQLClient } from './support/graphql-client.js';
import { freePort } from './support/ports.js';
import { runEntry, waitForOutput, type ServerProcess } from './support/process.js';
import { firstConnectionEvent, settle, subscribe, wsClient } from './support/ws-client.js';
import { addMember, createThread, createWorkspace, post, REMOVE_MEMBER } from './support/workspaces.js';

const redisUrl = process.env.REDIS_URL;
const processes: ServerProcess[] = [];
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  const [dropDatabase, ...clients] = cleanups;
  for (const dispose of clients) await dispose();
  for (const p of processes) p.child.kill('SIGTERM');
  await Promise.all(processes.map((p) => p.exited));
  await dropDatabase?.();
});

const MESSAGE_EVENTS = `subscription($t: ID!, $after: Int) { messageEvents(threadId: $t, afterSeq: $after) { kind seq message { body } } }`;

describe.skipIf(!redisUrl)('two server processes on one PostgreSQL, through Redis (skipped: REDIS_URL is not set on this machine)', () => {
  it('delivers a message posted on A to a subscriber on B, revokes on B a removal made on A, resumes on either, and ends on B a session signed out on A', { timeout: 120_000 }, async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    // sessions are trusted for an hour: a token refused on B after signing out on A was forgotten through Redis
    const shared = { SESSION_CACHE_SECONDS: '3600', DATABASE_URL: database.url, REDIS_URL: redisUrl!, REDIS_PREFIX: `co-test-${randomBytes(4).toString('hex')}:`, NODE_ENV: 'test' };
    const ports = [await freePort(), await freePort()];
    for (const port of ports) processes.push(runEntry('src/main.ts', [], { ...shared, PORT: String(port) }));
    await Promise.all(processes.map((p) => waitForOutput(p, 'Client Online is listening')));
    const [a, b] = ports.map((port) => `http://127.0.0.1:${port}`);

    const owner = await signUpPerson(new GraphQLClient(a));
    const member = await signUpPerson(new GraphQLClient(b));
    const ownerOnA = new GraphQLClient(a, owner.token);
    const workspaceId = await createWorkspace(ownerOnA);
    await addMember(ownerOnA, workspaceId, member.username);
    const t = await createThread(ownerOnA, workspaceId, 'Across processes');

    const onB = wsClient(b, { token: member.token });
    cleanups.push(() => onB.dispose());
    await firstConnectionEvent(onB);
    // afterSeq 0: should the subscription go live after the post (a loaded machine), the replay still brings it
    const live = subscribe(onB, MESSAGE_EVENTS, { t, after: 0 });
    await settle();
    await post(ownerOnA, t, 'posted on A');
    expect((await live.waitFor(1)).map((v) => v.messageEvents.message.body)).toEqual(['posted on A']);
    live.stop();

    // resume on the other process than the one the client was on
    await post(ownerOnA, t, 'missed one');
    await post(new GraphQLClient(b, owner.token), t, 'missed two');
    const onA = wsClient(a, { token: member.token });
    cleanups.push(() => onA.dispose());
    await firstConnectionEvent(onA);
    const resumed = subscribe(onA, MESSAGE_EVENTS, { t, after: 1 });
    expect((await resumed.waitFor(2)).map((v) => `${v.messageEvents.seq}:${v.messageEvents.message.body}`)).toEqual(['2:missed one', '3:missed two']);

    // removal on A ends the member's subscription on B
    const watched = subscribe(onB, MESSAGE_EVENTS, { t });
    // live for sure once it hears a new message
    await settle();
    await post(ownerOnA, t, 'proof of life');
    await watched.waitFor(1, 15_000);
    await ownerOnA.data(REMOVE_MEMBER, { w: workspaceId, u: member.id });
    await watched.ended(15_000);
    expect(watched.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await resumed.ended(15_000);
    expect(resumed.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    // signing out on A ends the session on B too, although B had looked it up and keeps sessions for an hour
    const ownerOnB = new GraphQLClient(b, owner.token);
    expect((await ownerOnB.data(`{ me { id } }`)).me.id).toBe(owner.id);
    await ownerOnA.data(`mutation { signOut }`);
    const deadline = Date.now() + 15_000;
    let status = 200;
    while (status !== 401 && Date.now() < deadline) {
      status = (await ownerOnB.request(`{ me { id } }`)).status;
      if (status !== 401) await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(401);
  });
});
