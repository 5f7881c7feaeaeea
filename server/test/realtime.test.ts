import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpPerson, type Person } from './support/accounts.js';
import { startTestServer, type TestServer } from './support/server.js';
import { countStatements } from './support/statements.js';
import { personSockets, settle, subscribe, wsClient } from './support/ws-client.js';
import { addMember, createThread, createWorkspace, post, REMOVE_MEMBER } from './support/workspaces.js';

let server: TestServer;
let owner: Person, member: Person, outsider: Person;
let workspaceId: string;
const sockets = personSockets(() => server.url);
const socket = sockets.open;

beforeAll(async () => {
  server = await startTestServer({ WS_MAX_SUBSCRIPTIONS_PER_SOCKET: '5' });
  const anonymous = server.client();
  [owner, member, outsider] = await Promise.all([0, 1, 2].map(() => signUpPerson(anonymous)));
  workspaceId = await createWorkspace(server.client(owner.token));
  await addMember(server.client(owner.token), workspaceId, member.username);
});
afterAll(async () => {
  await sockets.closeAll();
  await server?.close();
});

const MESSAGE_EVENTS = `subscription($t: ID!, $after: Int) { messageEvents(threadId: $t, afterSeq: $after) { kind seq message { id seq body author { username lastName } } } }`;
const TYPING = `subscription($t: ID!) { typing(threadId: $t) { threadId typing user { username lastName } } }`;
const EDIT = `mutation($id: ID!, $body: String!) { editMessage(id: $id, body: $body) { id } }`;
const DELETE = `mutation($id: ID!) { deleteMessage(id: $id) { id } }`;
const summary = (values: any[]) => values.map((v) => `${v.messageEvents.seq}:${v.messageEvents.kind}:${v.messageEvents.message.body}`);

describe('live chat over graphql-ws', () => {
  it('two members chat live; an outsider cannot subscribe', async () => {
    const t = await createThread(server.client(owner.token), workspaceId, 'Live');
    const ownerSide = subscribe(await socket(owner), MESSAGE_EVENTS, { t });
    const memberSide = subscribe(await socket(member), MESSAGE_EVENTS, { t });
    await settle(); // both subscribed
    await post(server.client(member.token), t, 'Goedemorgen!');
    await post(server.client(owner.token), t, 'Hallo, de stukken staan klaar.');
    for (const side of [ownerSide, memberSide]) {
      await side.waitFor(2);
      expect(summary(side.values)).toEqual(['1:ADDED:Goedemorgen!', '2:ADDED:Hallo, de stukken staan klaar.']);
    }
    expect(ownerSide.values[0].messageEvents.message.author).toEqual({ username: member.username, lastName: member.lastName });

    const intruder = subscribe(await socket(outsider), MESSAGE_EVENTS, { t });
    await intruder.ended();
    expect(intruder.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(intruder.values).toEqual([]);
    const anonymous = wsClient(server.url);
    try {
      const anon = subscribe(anonymous, MESSAGE_EVENTS, { t });
      await anon.ended();
      expect(anon.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      await anonymous.dispose();
    }
  });

  it("delivers a post to its own process's subscribers without reading the message back", async () => {
    const t = await createThread(server.client(owner.token), workspaceId, 'Straight through');
    const ownerSide = subscribe(await socket(owner), MESSAGE_EVENTS, { t });
    await settle();
    const { statements } = await countStatements(async () => {
      await post(server.client(member.token), t, 'Rechtstreeks');
      await ownerSide.waitFor(1);
    });
    expect(ownerSide.values[0].messageEvents).toMatchObject({ kind: 'ADDED', seq: 1, message: { body: 'Rechtstreeks', author: { username: member.username, lastName: member.lastName } } });
    // what ThreadService.message() sends when an event's message is read from PostgreSQL
    expect(statements.filter((sql) => /from message m join thread t/.test(sql))).toEqual([]);
    expect(statements.length).toBeGreaterThan(0);
  });

  it('delivers typing indicators to the others, live only: nothing is stored', async () => {
    const t = await createThread(server.client(owner.token), workspaceId, 'Typing');
    const seen = subscribe(await socket(owner), TYPING, { t });
    const own = subscribe(await socket(member), TYPING, { t });
    await settle();
    const tables = await server.sql<{ n: string }>(`select (select count(*) from message) + (select count(*) from message_event) as n`);
    await server.client(member.token).data(`mutation($t: ID!) { setTyping(threadId: $t, typing: true) }`, { t });
    await server.client(member.token).data(`mutation($t: ID!) { setTyping(threadId: $t, typing: false) }`, { t });
    expect((await seen.waitFor(2)).map((v) => [v.typing.user.username, v.typing.typing])).toEqual([
      [member.username, true],
      [member.username, false],
    ]);
    expect(own.values).toEqual([]); // nobody is told about their own typing
    expect(await server.sql(`select (select count(*) from message) + (select count(*) from message_event) as n`)).toEqual(tables);
    expect(await server.client(outsider.token).errorCode(`mutation($t: ID!) { setTyping(threadId: $t, typing: true) }`, { t })).toBe('NOT_FOUND');
  });

  it('resumes after a disconnect with afterSeq: exactly the missed events, in order, then live ones, with a burst during the replay', async () => {
    const t = await createThread(server.client(owner.token), workspaceId, 'Resume');
    const first = subscribe(await socket(member), MESSAGE_EVENTS, { t });
    await settle();
    const m1 = await post(server.client(owner.token), t, 'one');
    const m2 = await post(server.client(owner.token), t, 'two');
    await first.waitFor(2);
    const k = first.values.at(-1).messageEvents.seq;
    first.stop(); // the phone goes into a tunnel

    await post(server.client(owner.token), t, 'three');
    await server.client(owner.token).data(EDIT, { id: m1.id, body: 'one, edited' });
    await server.client(owner.token).data(DELETE, { id: m2.id });
    for (let i = 0; i < 20; i++) await post(server.client(owner.token), t, `missed ${i}`);

    const resumed = subscribe(await socket(member), MESSAGE_EVENTS, { t, after: k });
    // others keep posting while the replay runs
    const burst = Promise.all(Array.from({ length: 10 }, (_, i) => post(server.client(i % 2 ? owner.token : member.token), t, `burst ${i}`)));
    await burst;
    const stored = await server.sql<{ seq: number; kind: string }>('select seq, kind from message_event where thread_id = $1 and seq > $2 order by seq', [t, k]);
    expect(stored).toHaveLength(33);
    const got = await resumed.waitFor(stored.length);
    await post(server.client(owner.token), t, 'live again');
    await resumed.waitFor(stored.length + 1);
    const seqs = resumed.values.map((v) => v.messageEvents.seq);
    expect(seqs).toEqual([...stored.map((e) => e.seq), stored.at(-1)!.seq + 1]);
    expect(got.slice(0, 3).map((v) => `${v.messageEvents.kind}`)).toEqual(['ADDED', 'EDITED', 'DELETED']);
    expect(got[2].messageEvents.message.body).toBeNull(); // the deleted message, body gone
  });

  it("ends a removed member's subscriptions with FORBIDDEN at once, and theirs only", async () => {
    const leaver = await signUpPerson(server.client());
    await addMember(server.client(owner.token), workspaceId, leaver.username);
    const t = await createThread(server.client(owner.token), workspaceId, 'Revocation');
    const leaverSocket = await socket(leaver);
    const messages = subscribe(leaverSocket, MESSAGE_EVENTS, { t });
    const typing = subscribe(leaverSocket, TYPING, { t });
    const events = subscribe(leaverSocket, `subscription($w: ID!) { workspaceEvents(workspaceId: $w) { kind } }`, { w: workspaceId });
    const stays = subscribe(await socket(member), MESSAGE_EVENTS, { t });
    const watcher = subscribe(await socket(owner), `subscription($w: ID!) { workspaceEvents(workspaceId: $w) { kind member { role user { username } } } }`, { w: workspaceId });
    await settle();
    await post(server.client(owner.token), t, 'before');
    await messages.waitFor(1);

    await server.client(owner.token).data(REMOVE_MEMBER, { w: workspaceId, u: leaver.id });
    for (const s of [messages, typing, events]) {
      await s.ended(3000);
      expect(s.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    await post(server.client(owner.token), t, 'after');
    expect(summary(await stays.waitFor(2))).toEqual(['1:ADDED:before', '2:ADDED:after']);
    expect(messages.values).toHaveLength(1);
    const removal = (await watcher.waitFor(1)).find((v) => v.workspaceEvents.kind === 'MEMBER_REMOVED');
    expect(removal.workspaceEvents.member).toEqual({ role: 'MEMBER', user: { username: leaver.username } });
    // and the socket itself lives on
    const again = subscribe(leaverSocket, MESSAGE_EVENTS, { t });
    await again.ended();
    expect(again.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('announces new threads and members on workspaceEvents, and the new member gets a notification', async () => {
    const newcomer = await signUpPerson(server.client());
    const events = subscribe(await socket(member), `subscription($w: ID!) { workspaceEvents(workspaceId: $w) { kind workspaceId thread { title } member { role user { username } } } }`, { w: workspaceId });
    const notified = subscribe(await socket(newcomer), `subscription { notifications { kind text } }`);
    await settle();
    await createThread(server.client(owner.token), workspaceId, 'Jaarrekening');
    await addMember(server.client(owner.token), workspaceId, newcomer.email, 'ADMIN');
    const got = await events.waitFor(2);
    expect(got.map((v) => v.workspaceEvents)).toEqual([
      { kind: 'THREAD_CREATED', workspaceId, thread: { title: 'Jaarrekening' }, member: null },
      { kind: 'MEMBER_ADDED', workspaceId, thread: null, member: { role: 'ADMIN', user: { username: newcomer.username } } },
    ]);
    const [note] = await notified.waitFor(1);
    expect(note.notifications.kind).toBe('ADDED_TO_WORKSPACE');
    expect(note.notifications.text).toContain('Jansen Administratie');
  });

  it('limits the subscriptions of one socket', async () => {
    const t = await createThread(server.client(owner.token), workspaceId, 'Flood');
    const c = await socket(member);
    const subs = Array.from({ length: 7 }, () => subscribe(c, MESSAGE_EVENTS, { t }));
    await new Promise((r) => setTimeout(r, 500));
    const refused = subs.filter((s) => s.errors?.[0].extensions?.code === 'RATE_LIMITED');
    expect(refused).toHaveLength(2);
    await post(server.client(owner.token), t, 'still working');
    await Promise.all(subs.filter((s) => !s.errors).map((s) => s.waitFor(1)));
  });
});
