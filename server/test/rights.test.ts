import { buildSchema, isObjectType } from 'graphql';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, repoRoot } from '../src/config.js';
import { dailyHousekeeping } from '../src/jobs/daily.js';
import { oneMonthAfter } from '../src/modules/rights/due-date.js';
import { signUpPerson, SIGN_IN, type Person } from './support/accounts.js';
import { DECIDE, REQUEST_APPROVAL, setPin, upload } from './support/documents.js';
import { createPartner, GRANT, platformAdmin, SET_CONSENT } from './support/partners.js';
import { startTestServer, type TestServer } from './support/server.js';
import { firstConnectionEvent, settle, subscribe, wsClient } from './support/ws-client.js';
import { addMember, createThread, createWorkspace, post } from './support/workspaces.js';

let server: TestServer;
let admin: Person, office: Person;
let adminPin: string;
let workspaceId: string, threadId: string;
const sockets: { dispose(): unknown }[] = [];

beforeAll(async () => {
  server = await startTestServer({ ANONYMITY_THRESHOLD: '3' });
  [admin, office] = await Promise.all([0, 1].map(() => signUpPerson(server.client())));
  adminPin = await platformAdmin(server, admin);
  workspaceId = await createWorkspace(server.client(office.token), 'Accountantskantoor De Boer');
  threadId = await createThread(server.client(office.token), workspaceId, 'Jaarwerk');
});
afterAll(async () => {
  await Promise.all(sockets.map((s) => s.dispose()));
  await server?.close();
});

/** A retention run with the clock moved years ahead also ends every session (they expired by then): sign in again. */
async function signInAgain() {
  for (const p of [admin, office]) p.token = (await server.client().data(SIGN_IN, { input: { login: p.username, password: p.password } })).signIn.token;
}

const SUBMIT = `mutation($type: PrivacyRequestType!, $details: String) { submitPrivacyRequest(input: { type: $type, details: $details }) { id type status dueAt createdAt } }`;
const RESOLVE = `mutation($id: ID!, $status: PrivacyRequestStatus!, $reason: String) { resolvePrivacyRequest(input: { id: $id, status: $status, rejectionReason: $reason }) { id status rejectionReason resolvedAt } }`;

/** A client of the office with data everywhere: a message, a document, an approval, consents, a request. */
async function clientWithData(names: { firstName: string; lastName: string; username: string; email: string }): Promise<Person & { requestId: string }> {
  const person = await signUpPerson(server.client(), { ...names, newsletterOptIn: true });
  await addMember(server.client(office.token), workspaceId, person.username);
  await setPin(server.client(person.token), '8642', person.password);
  const c = server.client(person.token);
  await post(c, threadId, `Groeten van ${names.firstName}`);
  await upload(c, workspaceId, { title: 'Loonstrook', type: 'PAYROLL' });
  const doc = await upload(server.client(office.token), workspaceId, { title: 'Aangifte', type: 'TAX_RETURN' });
  const request = await server.client(office.token).data(REQUEST_APPROVAL, { d: doc.id, a: [person.id] });
  await c.data(DECIDE, { r: request.requestApproval.id, approve: true, pin: '8642' });
  const { submitPrivacyRequest } = await c.data(SUBMIT, { type: 'RECTIFICATION', details: `Mijn naam is ${names.firstName} ${names.lastName}, niet anders.` });
  return { ...person, ...names, requestId: submitPrivacyRequest.id };
}

describe('access and portability: exportMyData', () => {
  it('holds everything about the viewer, every personal field the schema marks, also as a download', async () => {
    const person = await clientWithData({ firstName: 'Femke', lastName: 'Exportsma', username: 'femke_export', email: 'femke@export.test' });
    const result = await server.client(person.token).data(`{ exportMyData { format generatedAt json } }`);
    expect(result.exportMyData.format).toBe('client-online-export/1');
    const doc = JSON.parse(result.exportMyData.json);
    expect(doc.profile).toMatchObject({ id: person.id, username: 'femke_export', firstName: 'Femke', lastName: 'Exportsma', email: 'femke@export.test', newsletterOptIn: true });
    expect(doc.consents[0]).toMatchObject({ purpose: 'NEWSLETTER', granted: true, source: 'SIGNUP' });
    expect(doc.memberships).toEqual([expect.objectContaining({ role: 'MEMBER', workspace: { id: workspaceId, name: 'Accountantskantoor De Boer' } })]);
    expect(doc.messages).toEqual([expect.objectContaining({ body: 'Groeten van Femke', thread: { id: threadId, title: 'Jaarwerk' }, workspace: { id: workspaceId, name: 'Accountantskantoor De Boer' } })]);
    expect(doc.documents[0]).toMatchObject({ title: 'Loonstrook', type: 'PAYROLL', downloadPath: expect.stringMatching(/^\/documents\/.+\/content$/) });
    expect(doc.approvalDecisions[0]).toMatchObject({ status: 'APPROVED', approverName: 'Femke Exportsma', document: { title: 'Aangifte' } });
    expect(doc.privacyRequests[0]).toMatchObject({ type: 'RECTIFICATION', status: 'OPEN' });
    expect(doc.sessions.length).toBeGreaterThan(0);
    expect(JSON.stringify(doc.sessions)).not.toMatch(/cos_|token/);
    expect(doc.auditEvents.map((e: any) => e.action)).toContain('step-up');

    // every field the contract marks [personal], of every type the export holds, is in it
    const contract = buildSchema(readFileSync(join(repoRoot, 'schema/contract.graphql'), 'utf8'));
    const sections: Record<string, any[]> = { User: [doc.profile], Message: doc.messages, ApprovalDecision: doc.approvalDecisions, PrivacyRequest: doc.privacyRequests, AuditEvent: doc.auditEvents };
    const missing: string[] = [];
    for (const type of Object.values(contract.getTypeMap())) {
      if (!isObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        if (!field.description?.includes('[personal]')) continue;
        if (!(type.name in sections)) missing.push(`${type.name} (no section)`);
        else if (!sections[type.name].every((entry) => field.name in entry)) missing.push(`${type.name}.${field.name}`);
      }
    }
    expect(missing).toEqual([]);

    const download = await fetch(`${server.url}/me/export`, { headers: { authorization: `Bearer ${person.token}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="client-online-export-/);
    expect((await download.json()).profile.email).toBe('femke@export.test');
    expect((await fetch(`${server.url}/me/export`)).status).toBe(401);
  });
});

describe('erasure', () => {
  it('removes the person from every table; only the approval log keeps the name, until its retention ends; live sockets close', async () => {
    const names = { firstName: 'Wubbo', lastName: 'Wisselaar', username: 'wubbo_wist', email: 'wubbo@erase.test' };
    const person = await clientWithData(names);
    await server.client(person.token).data(`mutation($p: ID!) { setConsent(input: { purpose: PARTNER_SHARING, partnerId: $p, granted: true }) { granted } }`, { p: (await createPartner(server, admin, adminPin, 'Erasure partner')).id });
    const [{ id: messageId }] = await server.sql<{ id: string }>(`select id from message where body = 'Groeten van Wubbo'`);
    const socket = wsClient(server.url, { token: person.token });
    sockets.push(socket);
    await firstConnectionEvent(socket);
    const closed = new Promise<number>((resolve) => socket.on('closed', (e) => resolve((e as { code: number }).code)));
    const live = subscribe(socket, `subscription($t: ID!) { messageEvents(threadId: $t) { seq } }`, { t: threadId });
    await settle();

    expect(await server.client(person.token).errorCode(`mutation { deleteAccount(password: "wrong password", stepUp: { pin: "8642" }) }`)).toBe('BAD_USER_INPUT');
    expect(await server.client(person.token).errorCode(`mutation($pw: String!) { deleteAccount(password: $pw, stepUp: { pin: "0000" }) }`, { pw: person.password })).toBe('STEP_UP_REQUIRED');
    expect((await server.sql('select erased_at from users where id = $1', [person.id]))[0].erased_at).toBeNull();
    expect(await server.client(person.token).data(`mutation($pw: String!) { deleteAccount(password: $pw, stepUp: { pin: "8642" }) }`, { pw: person.password })).toEqual({ deleteAccount: true });
    expect(await closed).toBe(4403);
    expect(live.values).toEqual([]);
    expect((await server.client(person.token).request(`{ me { id } }`)).status).toBe(401);

    const found = await scan([names.username, names.email, names.lastName, names.firstName]);
    expect(found.map((f) => f.where)).toEqual(['approval_decision.approver_name']);
    // the message keeps its place, without its words or its author
    expect(await server.sql(`select body, author_id, seq is not null as placed from message where id = $1`, [messageId])).toEqual([{ body: null, author_id: null, placed: true }]);
    const documents = await server.sql(`select uploaded_by_id from document where title = 'Loonstrook' and uploaded_by_id is null`);
    expect(documents.length).toBeGreaterThan(0);
    expect((await server.sql<{ username: string }>('select username from users where id = $1', [person.id]))[0].username).toMatch(/^deleted-[0-9a-f]{12}$/);

    // the retention job, with the clock past the decision's retainUntil, purges the snapshot
    const [{ retain_until }] = await server.sql<{ retain_until: Date }>(`select retain_until from approval_decision where approver_name = 'Wubbo Wisselaar'`);
    await server.services.retention.run(server.orm.em.fork(), new Date(retain_until.getTime() - 86_400_000));
    expect((await scan([names.lastName])).length).toBe(1);
    const report = await server.services.retention.run(server.orm.em.fork(), new Date(retain_until.getTime() + 1000));
    expect(report.approvalNamesPurged).toBeGreaterThanOrEqual(1);
    expect(await scan([names.username, names.email, names.lastName, names.firstName])).toEqual([]);
    await signInAgain();
    expect((await server.client(admin.token).data(`{ auditLog(first: 20) { edges { node { action } } } }`)).auditLog.edges.map((e: any) => e.node.action)).toContain('account-erased');
  });

  it('is what an admin does when completing an ERASURE request', async () => {
    const names = { firstName: 'Erik', lastName: 'Verzoeker', username: 'erik_verzoek', email: 'erik@erase.test' };
    const person = await clientWithData(names);
    const { submitPrivacyRequest } = await server.client(person.token).data(SUBMIT, { type: 'ERASURE' });
    await server.client(admin.token).data(RESOLVE, { id: submitPrivacyRequest.id, status: 'COMPLETED' });
    expect((await scan([names.username, names.email, names.lastName])).map((f) => f.where)).toEqual(['approval_decision.approver_name']);
  });
});

/** Every text column of every table, searched for each needle (case-insensitive). */
async function scan(needles: string[]): Promise<{ where: string; needle: string }[]> {
  const columns = await server.sql<{ table_schema: string; table_name: string; column_name: string }>(
    `select table_schema, table_name, column_name from information_schema.columns
      where table_schema not in ('pg_catalog', 'information_schema') and data_type in ('text', 'character varying', 'json', 'jsonb', 'character')`,
  );
  const found: { where: string; needle: string }[] = [];
  for (const c of columns) {
    for (const needle of needles) {
      const rows = await server.sql(`select 1 from "${c.table_schema}"."${c.table_name}" where "${c.column_name}"::text ilike $1 limit 1`, [`%${needle}%`]);
      if (rows.length > 0) found.push({ where: `${c.table_schema === 'public' ? '' : c.table_schema + '.'}${c.table_name}.${c.column_name}`, needle });
    }
  }
  return [...new Map(found.map((f) => [f.where, f])).values()];
}

describe('restriction and objection', () => {
  it('a completed RESTRICTION keeps the data but stops newsletters, partner sharing and statistics, until lifted', async () => {
    const person = await signUpPerson(server.client(), { newsletterOptIn: true });
    await addMember(server.client(office.token), workspaceId, person.username);
    const partner = await createPartner(server, admin, adminPin, 'Restriction partner');
    await server.client(office.token).data(GRANT, { w: workspaceId, p: partner.id });
    await server.client(person.token).data(SET_CONSENT, { purpose: 'PARTNER_SHARING', p: partner.id, granted: true });
    const seenByPartner = async () =>
      (await server.partnerClient(partner.apiKey).data(`query($w: ID!) { workspace(id: $w) { members { user { id lastName } } } }`, { w: workspaceId })).workspace.members.find((m: any) => m.user.id === person.id).user.lastName;
    const recipients = async () => Number((await server.sql<{ n: string }>(`select count(*) as n from users u where u.id = $1 and u.processing_restricted_at is null`, [person.id]))[0].n);
    expect(await seenByPartner()).toBe(person.lastName);

    const { submitPrivacyRequest } = await server.client(person.token).data(SUBMIT, { type: 'RESTRICTION' });
    await server.client(admin.token).data(RESOLVE, { id: submitPrivacyRequest.id, status: 'COMPLETED' });
    expect(await seenByPartner()).toBeNull();
    expect(await recipients()).toBe(0);
    const before = await server.sql('select count(*) from newsletter_delivery where user_id = $1', [person.id]);
    await server.client(admin.token).data(`mutation { sendNewsletter(subject: "Restricted?", body: "Not for restricted people.") }`);
    expect(await server.sql('select count(*) from newsletter_delivery where user_id = $1', [person.id])).toEqual(before);
    // the data itself is still there
    expect((await server.client(person.token).data(`{ me { lastName } }`)).me.lastName).toBe(person.lastName);

    await server.client(admin.token).data(`mutation($u: ID!) { liftProcessingRestriction(userId: $u) }`, { u: person.id });
    expect(await seenByPartner()).toBe(person.lastName);
  });

  it('an OBJECTION withdraws usage analytics at once (source OBJECTION)', async () => {
    const person = await signUpPerson(server.client());
    const c = server.client(person.token);
    const { submitPrivacyRequest } = await c.data(SUBMIT, { type: 'OBJECTION', details: 'Geen statistieken over mij.' });
    expect(submitPrivacyRequest.status).toBe('COMPLETED');
    expect((await c.data(`{ myConsents { purpose granted source } }`)).myConsents[0]).toEqual({ purpose: 'USAGE_ANALYTICS', granted: false, source: 'OBJECTION' });
  });
});

describe('the privacy-request queue', () => {
  it('is due one calendar month later', () => {
    expect(oneMonthAfter(new Date('2026-01-31T10:00:00Z')).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(oneMonthAfter(new Date('2028-01-31T10:00:00Z')).toISOString()).toBe('2028-02-29T10:00:00.000Z');
    expect(oneMonthAfter(new Date('2026-12-15T08:30:00Z')).toISOString()).toBe('2027-01-15T08:30:00.000Z');
  });

  it('needs reasons to reject, tells the requester live, shows admins the overdue first, and counts open and overdue', async () => {
    const person = await signUpPerson(server.client());
    const c = server.client(person.token);
    const request = (await c.data(SUBMIT, { type: 'PORTABILITY' })).submitPrivacyRequest;
    expect(new Date(request.dueAt).toISOString()).toBe(oneMonthAfter(new Date(request.createdAt)).toISOString());
    expect(await c.errorCode(RESOLVE, { id: request.id, status: 'REJECTED', reason: 'x' })).toBe('FORBIDDEN');
    expect(await server.client(admin.token).errorCode(RESOLVE, { id: request.id, status: 'REJECTED' })).toBe('BAD_USER_INPUT');
    expect((await server.sql('select status from privacy_request where id = $1', [request.id]))[0].status).toBe('OPEN');

    const old = (await c.data(SUBMIT, { type: 'ACCESS' })).submitPrivacyRequest;
    await server.sql(`update privacy_request set created_at = now() - interval '40 days', due_at = now() - interval '9 days' where id = $1`, [old.id]);
    const queue = (await server.client(admin.token).data(`{ privacyRequests(status: OPEN) { id dueAt } }`)).privacyRequests;
    expect(queue[0].id).toBe(old.id);
    const counts = await server.services.privacyRequests.openAndOverdue(server.orm.em.fork());
    expect(counts.overdue).toBeGreaterThanOrEqual(1);
    expect(counts.open).toBeGreaterThanOrEqual(2);

    const socket = wsClient(server.url, { token: person.token });
    sockets.push(socket);
    await firstConnectionEvent(socket);
    const notes = subscribe(socket, `subscription { notifications { kind text } }`);
    await settle();
    const rejected = (await server.client(admin.token).data(RESOLVE, { id: request.id, status: 'REJECTED', reason: 'Deze gegevens vallen onder de wettelijke bewaarplicht.' })).resolvePrivacyRequest;
    expect(rejected).toMatchObject({ status: 'REJECTED', rejectionReason: 'Deze gegevens vallen onder de wettelijke bewaarplicht.' });
    expect((await notes.waitFor(1))[0].notifications).toEqual({ kind: 'PRIVACY_REQUEST_UPDATED', text: 'Your portability request was rejected.' });
    expect(await server.client(admin.token).errorCode(RESOLVE, { id: request.id, status: 'COMPLETED' })).toBe('CONFLICT');
    expect((await c.data(`{ myPrivacyRequests { id status requester { id } } }`)).myPrivacyRequests.find((r: any) => r.id === request.id)).toEqual({ id: request.id, status: 'REJECTED', requester: { id: person.id } });
  });
});

describe('the audit log', () => {
  it('records sign-ins (also failed), sign-outs, step-ups, decisions and admin actions, with IPs only for the retention period', async () => {
    const person = await signUpPerson(server.client());
    await server.client().request(SIGN_IN, { input: { login: person.username, password: 'not the password' } });
    const signedIn = await server.client().data(SIGN_IN, { input: { login: person.username, password: person.password } });
    await server.client(signedIn.signIn.token).data(`mutation { signOut }`);
    await server.client(admin.token).data(`mutation { publishPrivacyStatement(text: "Versie 3 van de privacyverklaring, voor de test.") { version } }`);
    await clientWithData({ firstName: 'Anna', lastName: 'Auditsma', username: 'anna_audit', email: 'anna@audit.test' });
    const log = (await server.client(admin.token).data(`{ auditLog(first: 100) { edges { node { action ip actor { id } } } } }`)).auditLog.edges.map((e: any) => e.node);
    const actions = new Set(log.map((e: any) => e.action));
    for (const action of ['sign-in', 'sign-in-failed', 'sign-out', 'step-up', 'approval-decided', 'platform-admin-granted', 'partner-created', 'privacy-request-resolved', 'privacy-statement-published', 'newsletter-sent', 'account-erased']) {
      expect(actions, action).toContain(action);
    }
    expect(log.find((e: any) => e.action === 'sign-in-failed' && e.actor?.id === person.id).ip).toMatch(/127\.0\.0\.1/);
    expect(await server.client(person.token).errorCode(`{ auditLog { edges { node { id } } } }`)).toBe('FORBIDDEN');

    const report = await server.services.retention.run(server.orm.em.fork(), new Date(Date.now() + 91 * 86_400_000));
    expect(report.auditIpsCleared).toBeGreaterThan(0);
    expect(await server.sql('select id from audit_event where ip is not null')).toEqual([]);
    await signInAgain();
  });
});

describe('the daily housekeeping job', () => {
  it('runs retention, prunes old backups and counts overdue requests in one go', async () => {
    const backupDir = await mkdtemp(join(tmpdir(), 'co-daily-'));
    const old = `client-online-${new Date(Date.now() - 60 * 86_400_000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')}.dump`;
    await writeFile(join(backupDir, old), 'x');
    const config = loadConfig({ DATABASE_URL: server.databaseUrl, BACKUP_DIR: backupDir });
    const result = await dailyHousekeeping(config, server.services, server.orm, server.log);
    expect(result.prunedBackups).toEqual([old]);
    expect(result.retention).toEqual(expect.objectContaining({ approvalNamesPurged: expect.any(Number), auditIpsCleared: expect.any(Number) }));
    expect(result.requests.open).toBeGreaterThanOrEqual(1);
  });
});

describe('anonymised statistics', () => {
  it('counts operations of people who allow it, suppresses small groups, and is for platform admins and partners only', async () => {
    const people = await Promise.all([0, 1, 2, 3].map(() => signUpPerson(server.client())));
    for (const p of people.slice(0, 3)) await server.client(p.token).data(`{ workspaces { edges { node { id } } } }`);
    await server.client(people[0].token).data(`{ privacyStatement { version } }`);
    // the fourth objected: not counted
    await server.client(people[3].token).data(SUBMIT, { type: 'OBJECTION' });
    await server.client(people[3].token).data(`{ workspaces { edges { node { id } } } }`);
    await server.services.usage.flush();
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const STATS = `query($from: DateTimeISO!, $to: DateTimeISO!) { usageStatistics(from: $from, to: $to) { anonymityThreshold activeUsers byOperation { key count } } }`;
    const stats = (await server.client(admin.token).data(STATS, { from, to })).usageStatistics;
    expect(stats.anonymityThreshold).toBe(3);
    const byKey = Object.fromEntries(stats.byOperation.map((o: any) => [o.key, o.count]));
    expect(byKey['Query.workspaces']).toBeGreaterThanOrEqual(3);
    expect(byKey['Query.privacyStatement']).toBeNull(); // ran once: below the threshold
    expect(stats.activeUsers).toBeGreaterThanOrEqual(3);
    const stored = await server.sql(`select * from usage_count`);
    expect(JSON.stringify(stored)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|127\.0\.0\.1|@/);
    expect(await server.client(people[0].token).errorCode(STATS, { from, to })).toBe('FORBIDDEN');
    const partner = await createPartner(server, admin, adminPin, 'Statistics partner');
    expect((await server.partnerClient(partner.apiKey).data(STATS, { from, to })).usageStatistics.anonymityThreshold).toBe(3);
  });
});
