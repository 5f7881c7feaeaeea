import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpPerson, type Person } from './support/accounts.js';
import { startTestServer, type TestServer } from './support/server.js';
import { countStatements } from './support/statements.js';
import { addMember, createThread, createWorkspace, post, POST } from './support/workspaces.js';

let server: TestServer;
let owner: Person, member: Person, outsider: Person;
let workspaceId: string, threadId: string;

beforeAll(async () => {
  server = await startTestServer();
  const anonymous = server.client();
  [owner, member, outsider] = await Promise.all([0, 1, 2].map(() => signUpPerson(anonymous)));
  workspaceId = await createWorkspace(server.client(owner.token));
  await addMember(server.client(owner.token), workspaceId, member.username);
  threadId = await createThread(server.client(owner.token), workspaceId, 'Loonstroken november');
});
afterAll(() => server?.close());

const MESSAGES = `query($t: ID!, $last: Int, $before: String, $first: Int, $after: String) {
  thread(id: $t) { messages(last: $last, before: $before, first: $first, after: $after) {
    edges { cursor node { seq body author { username lastName } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`;
const EDIT = `mutation($id: ID!, $body: String!) { editMessage(id: $id, body: $body) { id body editedAt } }`;
const DELETE = `mutation($id: ID!) { deleteMessage(id: $id) { id seq body deletedAt createdAt } }`;
const events = (t: string) => server.sql<{ seq: number; kind: string; message_id: string }>('select seq, kind, message_id from message_event where thread_id = $1 order by seq', [t]);

describe('threads and messages', () => {
  it('lets members post and read, and keeps outsiders out with NOT_FOUND', async () => {
    const t = await createThread(server.client(member.token), workspaceId, 'Vragen');
    const m = await post(server.client(member.token), t, '  Hoi, is de aangifte al klaar?  ');
    expect(m.body).toBe('Hoi, is de aangifte al klaar?');
    const read = await server.client(owner.token).data(MESSAGES, { t });
    expect(read.thread.messages.edges.map((e: any) => e.node.body)).toEqual(['Hoi, is de aangifte al klaar?']);
    expect(read.thread.messages.edges[0].node.author).toEqual({ username: member.username, lastName: member.lastName });
    for (const query of [MESSAGES, POST]) {
      expect(await server.client(outsider.token).errorCode(query, { t, body: 'x' })).toBe('NOT_FOUND');
    }
    expect(await server.client(outsider.token).errorCode(`mutation($t: ID!) { createThread(input: { workspaceId: $t, title: "x" }) { id } }`, { t: workspaceId })).toBe('NOT_FOUND');
  });

  it('refuses empty and over-long bodies with BAD_USER_INPUT and stores nothing', async () => {
    const t = await createThread(server.client(member.token), workspaceId, 'Validation');
    for (const body of ['', '   \n\t ', 'x'.repeat(10_001)]) {
      const result = await server.client(member.token).request(POST, { t, body });
      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect(await post(server.client(member.token), t, 'y'.repeat(10_000))).toMatchObject({ seq: 1 });
    expect(await events(t)).toHaveLength(1);
  });

  it('gives 10 concurrent posters 10 distinct, consecutive seqs, each with its event', async () => {
    const t = await createThread(server.client(member.token), workspaceId, 'Race');
    const posted = await Promise.all(Array.from({ length: 10 }, (_, i) => post(server.client(i % 2 ? member.token : owner.token), t, `message ${i}`)));
    expect(posted.map((m) => m.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect((await events(t)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('stores one message for a retried clientId, also when the retries race', async () => {
    const t = await createThread(server.client(member.token), workspaceId, 'Retries');
    const first = await post(server.client(member.token), t, 'once only', 'client-key-1');
    const retry = await post(server.client(member.token), t, 'once only', 'client-key-1');
    expect(retry.id).toBe(first.id);
    const racing = await Promise.all(Array.from({ length: 5 }, () => post(server.client(member.token), t, 'racing', 'client-key-2')));
    expect(new Set(racing.map((m) => m.id)).size).toBe(1);
    // the same key by another author is another message
    const other = await post(server.client(owner.token), t, 'once only', 'client-key-1');
    expect(other.id).not.toBe(first.id);
    expect(await server.sql('select id from message where thread_id = $1', [t])).toHaveLength(3);
    expect(await events(t)).toHaveLength(3);
  });

  it('lets only the author edit, and the author or a workspace admin delete; a deleted message keeps its place', async () => {
    const t = await createThread(server.client(member.token), workspaceId, 'Edits');
    const m = await post(server.client(member.token), t, 'first words');
    await post(server.client(member.token), t, 'second');
    expect(await server.client(owner.token).errorCode(EDIT, { id: m.id, body: 'not yours' })).toBe('FORBIDDEN');
    expect(await server.client(outsider.token).errorCode(EDIT, { id: m.id, body: 'not yours' })).toBe('NOT_FOUND');
    expect(await server.client(member.token).errorCode(EDIT, { id: m.id, body: '  ' })).toBe('BAD_USER_INPUT');
    const edited = (await server.client(member.token).data(EDIT, { id: m.id, body: 'better words' })).editMessage;
    expect(edited.body).toBe('better words');
    expect(edited.editedAt).not.toBeNull();

    const own = await post(server.client(owner.token), t, 'the owner says');
    expect(await server.client(member.token).errorCode(DELETE, { id: own.id })).toBe('FORBIDDEN');
    const deleted = (await server.client(owner.token).data(DELETE, { id: m.id })).deleteMessage; // admin deletes another's
    expect(deleted).toMatchObject({ seq: m.seq, body: null });
    expect(deleted.deletedAt).not.toBeNull();
    expect((await server.sql<{ body: string | null }>('select body from message where id = $1', [m.id]))[0].body).toBeNull();
    expect((await events(t)).map((e) => e.kind)).toEqual(['ADDED', 'ADDED', 'EDITED', 'ADDED', 'DELETED']);
    const list = await server.client(member.token).data(MESSAGES, { t });
    expect(list.thread.messages.edges.map((e: any) => [e.node.seq, e.node.body])).toEqual([
      [1, null],
      [2, 'second'],
      [4, 'the owner says'],
    ]);
  });

  it('pages through history both ways with opaque cursors', async () => {
    const t = await createThread(server.client(member.token), workspaceId, 'History');
    for (let i = 1; i <= 7; i++) await post(server.client(member.token), t, `m${i}`);
    const c = server.client(owner.token);
    const newest = (await c.data(MESSAGES, { t, last: 3 })).thread.messages;
    expect(newest.edges.map((e: any) => e.node.body)).toEqual(['m5', 'm6', 'm7']);
    expect(newest.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const older = (await c.data(MESSAGES, { t, last: 3, before: newest.pageInfo.startCursor })).thread.messages;
    expect(older.edges.map((e: any) => e.node.body)).toEqual(['m2', 'm3', 'm4']);
    const oldest = (await c.data(MESSAGES, { t, last: 3, before: older.pageInfo.startCursor })).thread.messages;
    expect(oldest.edges.map((e: any) => e.node.body)).toEqual(['m1']);
    expect(oldest.pageInfo.hasPreviousPage).toBe(false);
    const forward = (await c.data(MESSAGES, { t, first: 4 })).thread.messages;
    expect(forward.edges.map((e: any) => e.node.body)).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(forward.pageInfo.hasNextPage).toBe(true);
    const rest = (await c.data(MESSAGES, { t, first: 4, after: forward.pageInfo.endCursor })).thread.messages;
    expect(rest.edges.map((e: any) => e.node.body)).toEqual(['m5', 'm6', 'm7']);
    expect(await c.errorCode(MESSAGES, { t, first: 99999999 })).toBe('BAD_USER_INPUT');
    expect(await c.errorCode(MESSAGES, { t, after: 'garbage' })).toBe('BAD_USER_INPUT');
  });

  it('reads the page with its thread however the operation asks for it: fragments, inline fragments, @skip/@include, two aliased pages', async () => {
    const t = await createThread(server.client(member.token), workspaceId, 'Shapes');
    for (let i = 1; i <= 5; i++) await post(server.client(member.token), t, `s${i}`);
    const c = server.client(owner.token);
    const bodies = (connection: any) => connection.edges.map((e: any) => e.node.body);

    const FRAGMENT = `query($t: ID!) { thread(id: $t) { ...page } } fragment page on Thread { messages(last: 2) { edges { node { body author { username } } } } }`;
    const viaFragment = await countStatements(() => c.data(FRAGMENT, { t }));
    expect(viaFragment.count).toBe(1);
    expect(bodies((await c.data(FRAGMENT, { t })).thread.messages)).toEqual(['s4', 's5']);

    const INLINE = `query($t: ID!, $with: Boolean!) { thread(id: $t) { ... on Thread { messages(last: 2) @include(if: $with) { edges { node { body } } } } } }`;
    const viaInline = await countStatements(() => c.data(INLINE, { t, with: true }));
    expect(viaInline.count).toBe(1);
    expect(bodies((await c.data(INLINE, { t, with: true })).thread.messages)).toEqual(['s4', 's5']);
    expect((await c.data(INLINE, { t, with: false })).thread).toEqual({});

    const SKIPPED = `query($t: ID!, $skip: Boolean!) { thread(id: $t) { title messages(last: 2) @skip(if: $skip) { edges { node { body } } } } }`;
    expect((await c.data(SKIPPED, { t, skip: true })).thread).toEqual({ title: 'Shapes' });
    expect(bodies((await c.data(SKIPPED, { t, skip: false })).thread.messages)).toEqual(['s4', 's5']);

    // two pages of one thread: neither is read with the thread, each reads its own
    const TWO = `query($t: ID!) { thread(id: $t) { newest: messages(last: 2) { edges { node { body } } } oldest: messages(first: 2) { edges { node { body } } } } }`;
    const two = await c.data(TWO, { t });
    expect(bodies(two.thread.newest)).toEqual(['s4', 's5']);
    expect(bodies(two.thread.oldest)).toEqual(['s1', 's2']);

    // an outsider learns nothing, also when the page would have been read with the thread
    expect(await server.client(outsider.token).errorCode(FRAGMENT, { t })).toBe('NOT_FOUND');
  });

  it('reads 50 messages with their authors, or a workspace with its members, in a fixed number of statements', async () => {
    const people = await Promise.all(Array.from({ length: 12 }, () => signUpPerson(server.client())));
    const w = await createWorkspace(server.client(owner.token), 'Many people');
    for (const p of people) await addMember(server.client(owner.token), w, p.username);
    const t = await createThread(server.client(owner.token), w, 'Busy');
    for (let i = 0; i < 60; i++) await post(server.client(people[i % people.length].token), t, `busy ${i}`);
    const reader = server.client(owner.token);
    const measure = async (query: string, variables: Record<string, unknown>) => (await countStatements(() => reader.data(query, variables))).count;

    const messages50 = await measure(MESSAGES, { t, last: 50 });
    const messages5 = await measure(MESSAGES, { t, last: 5 });
    const MEMBERS = `query($w: ID!) { workspace(id: $w) { members { role user { username lastName email } } } }`;
    const members13 = await measure(MEMBERS, { w });
    const w2 = await createWorkspace(server.client(owner.token), 'Few people');
    await addMember(server.client(owner.token), w2, people[0].username);
    const members2 = await measure(MEMBERS, { w: w2 });
    console.log(`statements: 50 messages ${messages50}, 5 messages ${messages5}; 13 members ${members13}, 2 members ${members2}`);
    expect(messages50).toBe(messages5);
    expect(members13).toBe(members2);
    // the thread with the reader's role and the page with its authors, in one statement (the session is cached)
    expect(messages50).toBe(1);
    expect(members13).toBeLessThanOrEqual(8);
  });

  it("shows a message author's name and email by the rules when the page is read in one statement", async () => {
    const [leaver, stayer] = await Promise.all([signUpPerson(server.client()), signUpPerson(server.client())]);
    const w = await createWorkspace(server.client(owner.token), 'Names');
    await addMember(server.client(owner.token), w, leaver.username);
    await addMember(server.client(owner.token), w, stayer.username);
    const t = await createThread(server.client(owner.token), w, 'Wie schreef dit');
    await post(server.client(leaver.token), t, 'van de vertrekker');
    await post(server.client(stayer.token), t, 'van de blijver');
    const leaverId = (await server.sql<{ id: string }>('select id from users where username = $1', [leaver.username]))[0].id;
    await server.client(owner.token).data(`mutation($w: ID!, $u: ID!) { removeWorkspaceMember(workspaceId: $w, userId: $u) }`, { w, u: leaverId });
    const AUTHORS = `query($t: ID!) { thread(id: $t) { messages(last: 10) { edges { node { body author { username lastName email } } } } } }`;
    const authors = async (token: string) =>
      Object.fromEntries((await server.client(token).data(AUTHORS, { t })).thread.messages.edges.map((e: any) => [e.node.body, e.node.author]));
    // the owner administers the workspace the stayer is in; the leaver shares no workspace with anyone here any more
    expect(await authors(owner.token)).toEqual({
      'van de vertrekker': { username: leaver.username, lastName: null, email: null },
      'van de blijver': { username: stayer.username, lastName: stayer.lastName, email: stayer.email },
    });
    // a plain member sees the name of a co-member, not the email
    expect((await authors(stayer.token))['van de blijver']).toEqual({ username: stayer.username, lastName: stayer.lastName, email: stayer.email });
    expect(await server.client(member.token).errorCode(AUTHORS, { t })).toBe('NOT_FOUND');
    const other = await signUpPerson(server.client());
    await addMember(server.client(owner.token), w, other.username);
    expect((await authors(other.token))['van de blijver']).toEqual({ username: stayer.username, lastName: stayer.lastName, email: null });
    // sharing another workspace still shows the leaver's name to that workspace's members
    const w2 = await createWorkspace(server.client(owner.token), 'Elders');
    await addMember(server.client(owner.token), w2, leaver.username);
    expect((await authors(owner.token))['van de vertrekker']).toEqual({ username: leaver.username, lastName: leaver.lastName, email: leaver.email });
    const cursor = Buffer.from(JSON.stringify(['niet een getal'])).toString('base64url');
    expect(await server.client(owner.token).errorCode(MESSAGES, { t, before: cursor })).toBe('BAD_USER_INPUT');
  });
});
