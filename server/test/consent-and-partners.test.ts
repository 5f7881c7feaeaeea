import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpPerson, type Person } from './support/accounts.js';
import { createPartner, CREATE_PARTNER, GRANT, platformAdmin, REVOKE, SET_CONSENT } from './support/partners.js';
import { startTestServer, type TestServer } from './support/server.js';
import { firstConnectionEvent, settle, subscribe, wsClient } from './support/ws-client.js';
import { addMember, createThread, createWorkspace, post } from './support/workspaces.js';

let server: TestServer;
let admin: Person, office: Person, client: Person;
let pin: string;
let workspaceId: string, threadId: string;
const sockets: { dispose(): unknown }[] = [];

beforeAll(async () => {
  server = await startTestServer();
  const anonymous = server.client();
  [admin, office, client] = await Promise.all([0, 1, 2].map(() => signUpPerson(anonymous)));
  pin = await platformAdmin(server, admin);
  workspaceId = await createWorkspace(server.client(office.token), 'Loonadministratie Jansen');
  await addMember(server.client(office.token), workspaceId, client.username);
  threadId = await createThread(server.client(office.token), workspaceId, 'Loonstroken');
  await post(server.client(client.token), threadId, 'Mijn nieuwe adres staat in de bijlage.');
});
afterAll(async () => {
  await Promise.all(sockets.map((s) => s.dispose()));
  await server?.close();
});

const MY_CONSENTS = `{ myConsents { purpose granted source partner { id } } }`;
const MEMBERS = `query($w: ID!) { workspace(id: $w) { id name members { user { id username lastName email } } } }`;
const MESSAGES = `query($t: ID!) { thread(id: $t) { messages { edges { node { body author { lastName } } } } } }`;

describe('the consent ledger', () => {
  it('records every choice, keeps the history, and takes the latest as current; newsletter off and analytics on by default', async () => {
    const person = await signUpPerson(server.client(), { newsletterOptIn: true });
    const c = server.client(person.token);
    expect((await c.data(MY_CONSENTS)).myConsents).toEqual([{ purpose: 'NEWSLETTER', granted: true, source: 'SIGNUP', partner: null }]);
    await c.data(SET_CONSENT, { purpose: 'NEWSLETTER', granted: false });
    await c.data(SET_CONSENT, { purpose: 'USAGE_ANALYTICS', granted: false });
    expect((await c.data(`{ me { newsletterOptIn } }`)).me.newsletterOptIn).toBe(false);
    expect((await c.data(MY_CONSENTS)).myConsents.map((r: any) => `${r.purpose}:${r.granted}:${r.source}`)).toEqual([
      'USAGE_ANALYTICS:false:API',
      'NEWSLETTER:false:API',
      'NEWSLETTER:true:SIGNUP',
    ]);
    await c.data(SET_CONSENT, { purpose: 'NEWSLETTER', granted: true });
    expect((await c.data(`{ me { newsletterOptIn } }`)).me.newsletterOptIn).toBe(true);
    // from the browser (cookie) the source is ACCOUNT
    const viaCookie = await server.client().request(SET_CONSENT, { purpose: 'NEWSLETTER', granted: false }, { cookie: `co_session=${person.token}` });
    expect(viaCookie.data?.setConsent.source).toBe('ACCOUNT');
  });

  it('needs a partner for PARTNER_SHARING and refuses one for other purposes, writing nothing', async () => {
    const person = await signUpPerson(server.client());
    const c = server.client(person.token);
    expect(await c.errorCode(SET_CONSENT, { purpose: 'PARTNER_SHARING', granted: true })).toBe('BAD_USER_INPUT');
    expect(await c.errorCode(SET_CONSENT, { purpose: 'PARTNER_SHARING', p: '00000000-0000-4000-8000-000000000000', granted: true })).toBe('NOT_FOUND');
    expect(await c.errorCode(SET_CONSENT, { purpose: 'NEWSLETTER', p: '00000000-0000-4000-8000-000000000000', granted: true })).toBe('BAD_USER_INPUT');
    expect((await c.data(MY_CONSENTS)).myConsents).toEqual([]);
  });
});

describe('partners', () => {
  it('are created by platform admins with step-up; the key is shown once and stored as a hash', async () => {
    expect(await server.client(admin.token).errorCode(CREATE_PARTNER, { name: 'No PIN' })).toBe('STEP_UP_REQUIRED');
    expect(await server.client(office.token).errorCode(CREATE_PARTNER, { name: 'Not an admin', pin: '1234' })).toBe('FORBIDDEN');
    const partner = await createPartner(server, admin, pin, 'Nmbrs');
    expect(partner.apiKey).toMatch(/^cop_/);
    const stored = await server.sql<{ api_key_hash: string }>('select api_key_hash from partner where id = $1', [partner.id]);
    expect(stored[0].api_key_hash).not.toContain(partner.apiKey);
    expect((await server.client(admin.token).data(`{ partners { id name } }`)).partners).toContainEqual({ id: partner.id, name: 'Nmbrs' });
  });

  it('read nothing before a workspace grants access, then personal fields only with the person\u2019s consent, and lose them on withdrawal', async () => {
    const partner = await createPartner(server, admin, pin, 'Loket.nl');
    const api = server.partnerClient(partner.apiKey);
    expect(await api.errorCode(MEMBERS, { w: workspaceId })).toBe('NOT_FOUND');
    expect((await api.data(`{ workspaces { edges { node { id } } } }`)).workspaces.edges).toEqual([]);

    expect(await server.client(client.token).errorCode(GRANT, { w: workspaceId, p: partner.id })).toBe('FORBIDDEN'); // a plain member
    await server.client(office.token).data(GRANT, { w: workspaceId, p: partner.id });
    expect((await api.data(`{ workspaces { edges { node { id } } } }`)).workspaces.edges).toEqual([{ node: { id: workspaceId } }]);
    const before = (await api.data(MEMBERS, { w: workspaceId })).workspace.members.find((m: any) => m.user.id === client.id).user;
    expect(before).toEqual({ id: client.id, username: client.username, lastName: null, email: null });
    expect((await api.data(MESSAGES, { t: threadId })).thread.messages.edges[0].node).toEqual({ body: null, author: { lastName: null } });

    await server.client(client.token).data(SET_CONSENT, { purpose: 'PARTNER_SHARING', p: partner.id, granted: true });
    const after = (await api.data(MEMBERS, { w: workspaceId })).workspace.members.find((m: any) => m.user.id === client.id).user;
    expect(after).toEqual({ id: client.id, username: client.username, lastName: client.lastName, email: client.email });
    expect((await api.data(MESSAGES, { t: threadId })).thread.messages.edges[0].node).toEqual({ body: 'Mijn nieuwe adres staat in de bijlage.', author: { lastName: client.lastName } });
    // the office member did not consent: still null
    expect((await api.data(MEMBERS, { w: workspaceId })).workspace.members.find((m: any) => m.user.id === office.id).user.lastName).toBeNull();

    await server.client(client.token).data(SET_CONSENT, { purpose: 'PARTNER_SHARING', p: partner.id, granted: false });
    expect((await api.data(MEMBERS, { w: workspaceId })).workspace.members.find((m: any) => m.user.id === client.id).user.lastName).toBeNull();

    await server.client(office.token).data(REVOKE, { w: workspaceId, p: partner.id });
    expect(await api.errorCode(MEMBERS, { w: workspaceId })).toBe('NOT_FOUND');
  });

  it('can do nothing but read: no mutations, no admin data, no other workspaces, no user lookups', async () => {
    const partner = await createPartner(server, admin, pin, 'Read only BV');
    await server.client(office.token).data(GRANT, { w: workspaceId, p: partner.id });
    const api = server.partnerClient(partner.apiKey);
    const other = await createWorkspace(server.client(client.token), 'Elsewhere');
    expect(await api.errorCode(MEMBERS, { w: other })).toBe('NOT_FOUND');
    expect(await api.errorCode(`{ partners { id } }`)).toBe('FORBIDDEN');
    expect(await api.errorCode(`mutation($t: ID!) { postMessage(input: { threadId: $t, body: "hi" }) { id } }`, { t: threadId })).toBe('FORBIDDEN');
    expect(await api.errorCode(`mutation($w: ID!) { createThread(input: { workspaceId: $w, title: "x" }) { id } }`, { w: workspaceId })).toBe('FORBIDDEN');
    expect(await api.errorCode(`query($id: ID!) { user(id: $id) { id } }`, { id: client.id })).toBe('FORBIDDEN');
    expect(await api.errorCode(`mutation { publishPrivacyStatement(text: "A new statement that is long enough") { version } }`)).toBe('FORBIDDEN');
    expect((await api.data(`{ me { id } }`)).me).toBeNull();
    // the workspace's partner list is for its admins
    expect((await api.data(`query($w: ID!) { workspace(id: $w) { partners { id } } }`, { w: workspaceId })).workspace.partners).toBeNull();
    expect((await server.client(office.token).data(`query($w: ID!) { workspace(id: $w) { partners { id } } }`, { w: workspaceId })).workspace.partners).toContainEqual({ id: partner.id });
    expect((await server.client(client.token).data(`query($w: ID!) { workspace(id: $w) { partners { id } } }`, { w: workspaceId })).workspace.partners).toBeNull();
  });

  it('are told to every member of a workspace that lets them in (dataRecipients), and listed by name to people choosing whom to let in', async () => {
    const partner = await createPartner(server, admin, pin, 'Recipients BV');
    const revoked = await createPartner(server, admin, pin, 'Gone BV');
    await server.client(admin.token).data(`mutation($p: ID!) { revokePartnerKey(partnerId: $p) }`, { p: revoked.id });
    const directory = (await server.client(client.token).data(`{ partnerDirectory { id name } }`)).partnerDirectory;
    expect(directory).toContainEqual({ id: partner.id, name: 'Recipients BV' });
    expect(directory.map((p: { id: string }) => p.id)).not.toContain(revoked.id);
    expect(await server.partnerClient(partner.apiKey).errorCode(`{ partnerDirectory { id } }`)).toBe('FORBIDDEN');

    await server.client(office.token).data(GRANT, { w: workspaceId, p: partner.id });
    const RECIPIENTS = `query($w: ID!) { workspace(id: $w) { dataRecipients { id } } }`;
    expect((await server.client(client.token).data(RECIPIENTS, { w: workspaceId })).workspace.dataRecipients).toContainEqual({ id: partner.id });
    expect((await server.partnerClient(partner.apiKey).data(RECIPIENTS, { w: workspaceId })).workspace.dataRecipients).toBeNull();
    await server.client(office.token).data(REVOKE, { w: workspaceId, p: partner.id });
    expect((await server.client(client.token).data(RECIPIENTS, { w: workspaceId })).workspace.dataRecipients).not.toContainEqual({ id: partner.id });
  });

  it('stops working at once when its key is revoked', async () => {
    const partner = await createPartner(server, admin, pin, 'Revoked BV');
    const api = server.partnerClient(partner.apiKey);
    expect((await api.request(`{ me { id } }`)).status).toBe(200);
    await server.client(admin.token).data(`mutation($p: ID!) { revokePartnerKey(partnerId: $p) }`, { p: partner.id });
    const refused = await api.request(`{ workspaces { edges { node { id } } } }`);
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('hold live subscriptions: fields go null on the next event after withdrawal, and revoking access ends them with FORBIDDEN', async () => {
    const partner = await createPartner(server, admin, pin, 'Live BV');
    await server.client(office.token).data(GRANT, { w: workspaceId, p: partner.id });
    await server.client(client.token).data(SET_CONSENT, { purpose: 'PARTNER_SHARING', p: partner.id, granted: true });
    const apiSocket = wsClient(server.url, { apiKey: partner.apiKey });
    sockets.push(apiSocket);
    expect(await firstConnectionEvent(apiSocket)).toEqual({ event: 'connected' });
    const messages = subscribe(apiSocket, `subscription($t: ID!) { messageEvents(threadId: $t) { seq message { body author { lastName } } } }`, { t: threadId });
    const events = subscribe(apiSocket, `subscription($w: ID!) { workspaceEvents(workspaceId: $w) { kind } }`, { w: workspaceId });
    await settle();
    await post(server.client(client.token), threadId, 'with consent');
    await messages.waitFor(1);
    expect(messages.values[0].messageEvents.message).toEqual({ body: 'with consent', author: { lastName: client.lastName } });

    await server.client(client.token).data(SET_CONSENT, { purpose: 'PARTNER_SHARING', p: partner.id, granted: false });
    await new Promise((r) => setTimeout(r, 100));
    await post(server.client(client.token), threadId, 'after withdrawal');
    await messages.waitFor(2);
    expect(messages.values[1].messageEvents.message).toEqual({ body: null, author: { lastName: null } });

    await server.client(office.token).data(REVOKE, { w: workspaceId, p: partner.id });
    for (const s of [messages, events]) {
      await s.ended(3000);
      expect(s.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });
});

describe('privacy statements', () => {
  it('starts with the seeded Dutch version 1; publishing reaches connected people live and asks each to acknowledge', async () => {
    const reader = await signUpPerson(server.client());
    const c = server.client(reader.token);
    const first = (await c.data(`{ privacyStatement { version text acknowledged } }`)).privacyStatement;
    expect(first.text).toMatch(/^Privacyverklaring Client Online/);
    expect(first.text).toMatch(/56 dagen/);
    expect(first.acknowledged).toBe(false);
    expect((await server.client().data(`{ privacyStatement { version acknowledged } }`)).privacyStatement.acknowledged).toBeNull();
    await c.data(`mutation($v: Int!) { acknowledgePrivacyStatement(version: $v) }`, { v: first.version });
    await c.data(`mutation($v: Int!) { acknowledgePrivacyStatement(version: $v) }`, { v: first.version }); // twice is fine
    expect((await c.data(`{ privacyStatement { acknowledged } }`)).privacyStatement.acknowledged).toBe(true);
    expect(await c.errorCode(`mutation { acknowledgePrivacyStatement(version: 9999) }`)).toBe('NOT_FOUND');

    const socket = wsClient(server.url, { token: reader.token });
    sockets.push(socket);
    await firstConnectionEvent(socket);
    const notes = subscribe(socket, `subscription { notifications { kind text } }`);
    await settle();
    expect(await c.errorCode(`mutation { publishPrivacyStatement(text: "Not an admin, so this is refused.") { version } }`)).toBe('FORBIDDEN');
    const published = (await server.client(admin.token).data(`mutation($t: String!) { publishPrivacyStatement(text: $t) { version } }`, { t: 'Privacyverklaring versie 2: wij bewaren IP-adressen nu 60 dagen.' })).publishPrivacyStatement;
    expect(published.version).toBe(first.version + 1);
    const [note] = await notes.waitFor(1);
    expect(note.notifications.kind).toBe('PRIVACY_STATEMENT_CHANGED');
    expect((await c.data(`{ privacyStatement { version acknowledged } }`)).privacyStatement).toEqual({ version: published.version, acknowledged: false });
  });
});
