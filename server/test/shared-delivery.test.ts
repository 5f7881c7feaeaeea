import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpPerson, type Person } from './support/accounts.js';
import { startTestServer, type TestServer } from './support/server.js';
import { personSockets, settle, subscribe, type Subscription } from './support/ws-client.js';
import { addMember, createThread, createWorkspace, post, REMOVE_MEMBER } from './support/workspaces.js';

/**
 * Shared live results (http/shared-results.ts): one execution per group of subscribers that see the same, one
 * serialized frame for all of them. What must never happen is that a viewer gets what another may see.
 */
let server: TestServer;
const sockets = personSockets(() => server.url);
const socket = sockets.open;
const metric = async (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(await (await fetch(`${server.url}/metrics`)).text())?.[1] ?? 'NaN');

beforeAll(async () => {
  server = await startTestServer({ WS_SLOW_CLIENT_BYTES: '65536' });
});
afterAll(async () => {
  await sockets.closeAll();
  await server?.close();
});

const WITH_EMAIL = `subscription($t: ID!) { messageEvents(threadId: $t) { seq message { body author { username email } } } }`;

describe('shared live results', () => {
  it('never give a viewer what only another may see, and execute once for those who see the same', async () => {
    const owner = await signUpPerson(server.client());
    const [author, plain1, plain2, plain3] = await Promise.all([0, 1, 2, 3].map(() => signUpPerson(server.client())));
    const w = await createWorkspace(server.client(owner.token), 'Gedeeld');
    for (const p of [author, plain1, plain2, plain3]) await addMember(server.client(owner.token), w, p.username);
    const t = await createThread(server.client(owner.token), w, 'Wie ziet wat');
    const sides = new Map<Person, Subscription<any>>();
    for (const p of [owner, author, plain1, plain2, plain3]) sides.set(p, subscribe(await socket(p), WITH_EMAIL, { t }));
    await settle();
    const before = await metric('realtime_executions_total');

    await post(server.client(author.token), t, 'Mijn nieuwe adres');
    const emailSeenBy = async (p: Person) => (await sides.get(p)!.waitFor(1))[0].messageEvents.message.author.email;
    expect(await emailSeenBy(owner)).toBe(author.email); // the workspace's owner reads members' email
    expect(await emailSeenBy(author)).toBe(author.email); // the author reads their own
    for (const p of [plain1, plain2, plain3]) expect(await emailSeenBy(p)).toBeNull();
    // two ways of seeing it: with the email (the owner as an admin, the author as themself: the same result, so
    // they share it) and without (the plain members): two executions for five subscribers
    expect((await metric('realtime_executions_total')) - before).toBe(2);
  });

  it('give a removed member nothing more, while those who shared with them go on', async () => {
    const owner = await signUpPerson(server.client());
    const [stays, leaves] = await Promise.all([0, 1].map(() => signUpPerson(server.client())));
    const w = await createWorkspace(server.client(owner.token), 'Vertrek');
    for (const p of [stays, leaves]) await addMember(server.client(owner.token), w, p.username);
    const t = await createThread(server.client(owner.token), w, 'Na vertrek');
    const staying = subscribe(await socket(stays), WITH_EMAIL, { t });
    const leaving = subscribe(await socket(leaves), WITH_EMAIL, { t });
    await settle();
    await post(server.client(owner.token), t, 'Voor');
    await staying.waitFor(1);
    await leaving.waitFor(1);
    await server.client(owner.token).data(REMOVE_MEMBER, { w, u: leaves.id });
    await leaving.ended(3000);
    expect(leaving.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await post(server.client(owner.token), t, 'Na');
    expect((await staying.waitFor(2)).map((v) => v.messageEvents.message.body)).toEqual(['Voor', 'Na']);
    await settle();
    expect(leaving.values).toHaveLength(1);
  });

  it('never send a resuming client what it already has, even when it is ahead of the room (a process died between commit and publish)', async () => {
    const owner = await signUpPerson(server.client());
    const w = await createWorkspace(server.client(owner.token), 'Voorsprong');
    const t = await createThread(server.client(owner.token), w, 'Na een crash');
    await post(server.client(owner.token), t, 'een');
    const A = `subscription($t: ID!, $after: Int) { messageEvents(threadId: $t, afterSeq: $after) { seq message { body } } }`;
    const first = subscribe(await socket(owner), A, { t });
    await settle(); // the room is open at seq 1
    // seq 2 committed by a process that died before publishing it: only the database knows
    await server.sql(
      `with m as (insert into message (id, thread_id, author_id, body, seq, created_at) values (gen_random_uuid(), $1, $2, 'twee', 2, now()) returning id)
       insert into message_event (thread_id, seq, kind, message_id, at) select $1, 2, 'ADDED', m.id, now() from m`,
      [t, owner.id],
    );
    await server.sql(`update thread set last_seq = 2 where id = $1`, [t]);
    // a client that got seq 2 from that process resumes here, ahead of the room
    const resumed = subscribe(await socket(owner), A, { t, after: 2 });
    await settle();
    await post(server.client(owner.token), t, 'drie');
    expect((await first.waitFor(2)).map((v) => v.messageEvents.seq)).toEqual([2, 3]); // the hole is filled from the database
    expect((await resumed.waitFor(1)).map((v) => v.messageEvents.seq)).toEqual([3]);
    await settle();
    expect(resumed.values).toHaveLength(1);
  });

  it('serve a subscription that cannot share (it selects the message\u2019s thread) from the same room, replay and all', async () => {
    const owner = await signUpPerson(server.client());
    const w = await createWorkspace(server.client(owner.token), 'Eigen weg');
    const t = await createThread(server.client(owner.token), w, 'Apart');
    await post(server.client(owner.token), t, 'een');
    await post(server.client(owner.token), t, 'twee');
    const OWN = `subscription($t: ID!, $after: Int) { messageEvents(threadId: $t, afterSeq: $after) { seq message { body thread { title } } } }`;
    const before = await metric('realtime_executions_total');
    const own = subscribe(await socket(owner), OWN, { t, after: 1 });
    await own.waitFor(1);
    await post(server.client(owner.token), t, 'drie');
    const values = await own.waitFor(2);
    expect(values.map((v) => `${v.messageEvents.seq}:${v.messageEvents.message.body}:${v.messageEvents.message.thread.title}`)).toEqual(['2:twee:Apart', '3:drie:Apart']);
    expect(await metric('realtime_executions_total')).toBe(before); // executed by graphql-ws itself, not shared
  });

  it('drop a client that does not read (its unsent frames over WS_SLOW_CLIENT_BYTES) and keep serving the others', { timeout: 60_000 }, async () => {
    const owner = await signUpPerson(server.client());
    const [reader, sleeper] = await Promise.all([0, 1].map(() => signUpPerson(server.client())));
    const w = await createWorkspace(server.client(owner.token), 'Traag');
    for (const p of [reader, sleeper]) await addMember(server.client(owner.token), w, p.username);
    const t = await createThread(server.client(owner.token), w, 'Veel tekst');
    const reading = subscribe(await socket(reader), WITH_EMAIL, { t });

    // a client that subscribes and then stops reading its socket (a phone in a tunnel that keeps the TCP open)
    const slow = new WebSocket(server.url.replace(/^http/, 'ws') + '/graphql', 'graphql-transport-ws');
    const closed = new Promise<number>((resolve) => slow.on('close', (code) => resolve(code)));
    await new Promise((resolve) => slow.on('open', resolve));
    slow.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${sleeper.token}` } }));
    await new Promise((resolve) => slow.once('message', resolve));
    // twenty subscriptions on the socket: every post sends it twenty frames
    for (let id = 1; id <= 20; id++) slow.send(JSON.stringify({ id: String(id), type: 'subscribe', payload: { query: WITH_EMAIL, variables: { t } } }));
    await settle();
    (slow as unknown as { _socket: { pause(): void } })._socket.pause();

    const dropsBefore = await metric('websocket_slow_clients_dropped_total');
    const long = 'x'.repeat(9_000);
    const posts = 150;
    for (let i = 0; i < posts; i++) await post(server.client(owner.token), t, `${i} ${long}`);
    expect(await metric('websocket_slow_clients_dropped_total')).toBeGreaterThan(dropsBefore);
    // everything reached the client that reads
    expect(await reading.waitFor(posts, 30_000)).toHaveLength(posts);
    (slow as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await closed).toBeGreaterThan(0);
  });
});
