import { createHash } from 'node:crypto';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retainUntil } from '../src/modules/documents/retention.js';
import { signUpPerson, type Person } from './support/accounts.js';
import { DECIDE, pdfBytes, PNG_BYTES, REQUEST_APPROVAL, setPin, upload, UPLOAD } from './support/documents.js';
import { startTestServer, type TestServer } from './support/server.js';
import { firstConnectionEvent, settle, subscribe, wsClient } from './support/ws-client.js';
import { addMember, createWorkspace } from './support/workspaces.js';

let server: TestServer;
let office: Person, client: Person, partner: Person, outsider: Person;
let workspaceId: string;
const sockets: { dispose(): unknown }[] = [];

beforeAll(async () => {
  server = await startTestServer({ DOCUMENT_INLINE_MAX_BYTES: String(64 * 1024), DOCUMENT_MAX_BYTES: String(256 * 1024), STEP_UP_MAX_FAILURES: '3' });
  const anonymous = server.client();
  [office, client, partner, outsider] = await Promise.all([0, 1, 2, 3].map((i) => signUpPerson(anonymous, i === 1 ? { firstName: 'Klaas' } : {})));
  workspaceId = await createWorkspace(server.client(office.token), 'Bakkerij Klaassen');
  await addMember(server.client(office.token), workspaceId, client.username);
  await addMember(server.client(office.token), workspaceId, partner.username);
});
afterAll(async () => {
  await Promise.all(sockets.map((s) => s.dispose()));
  await server?.close();
});

const counts = async () => (await server.sql<{ d: string; c: string }>('select (select count(*) from document) as d, (select count(*) from document_content) as c'))[0];
const download = (path: string, token?: string) => fetch(server.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('documents', () => {
  it('round-trips the same bytes with the SHA-256 computed on the server, as an attachment that is never sniffed', async () => {
    const bytes = pdfBytes('round trip');
    const doc = await upload(server.client(client.token), workspaceId, { title: 'Jaarrekening 2025', type: 'ANNUAL_ACCOUNTS', content: bytes });
    expect(doc).toMatchObject({ title: 'Jaarrekening 2025', mimeType: 'application/pdf', sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), uploadedBy: { id: client.id } });
    const response = await download(doc.downloadPath, office.token);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="Jaarrekening 2025.pdf"/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const listed = await server.client(office.token).data(`query($w: ID!) { workspace(id: $w) { documents { edges { node { id } } } } }`, { w: workspaceId });
    expect(listed.workspace.documents.edges.map((e: any) => e.node.id)).toContain(doc.id);
  });

  it('keeps non-members out: NOT_FOUND by GraphQL, 404 by the path, 401 without a session', async () => {
    const doc = await upload(server.client(client.token), workspaceId);
    expect(await server.client(outsider.token).errorCode(`query($id: ID!) { document(id: $id) { id } }`, { id: doc.id })).toBe('NOT_FOUND');
    expect((await download(doc.downloadPath, outsider.token)).status).toBe(404);
    expect((await download(doc.downloadPath)).status).toBe(401);
    expect((await download('/documents/00000000-0000-4000-8000-000000000000/content', client.token)).status).toBe(404);
    const before = await counts();
    expect(await server.client(outsider.token).errorCode(UPLOAD, { input: { workspaceId, title: 'x', type: 'OTHER', mimeType: 'application/pdf', contentBase64: pdfBytes().toString('base64') } })).toBe('NOT_FOUND');
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['a MIME type that does not match the content', { mimeType: 'application/pdf', content: PNG_BYTES.toString('base64') }],
    ['a PDF declared as text', { mimeType: 'text/plain', content: pdfBytes().toString('base64') }],
    ['bad base64', { mimeType: 'application/pdf', content: '%%% not base64 %%%' }],
    ['an empty document', { mimeType: 'application/pdf', content: '' }],
    ['a document over the inline limit', { mimeType: 'application/octet-stream', content: Buffer.alloc(65 * 1024, 1).toString('base64') }],
    ['an unknown document type', { mimeType: 'application/pdf', content: pdfBytes().toString('base64'), type: 'RECEIPT' }],
  ])('refuses %s and stores nothing', async (_what, input: { mimeType: string; content: string; type?: string }) => {
    const before = await counts();
    const result = await server.client(client.token).request(UPLOAD, { input: { workspaceId, title: 'Bad', type: input.type ?? 'OTHER', mimeType: input.mimeType, contentBase64: input.content } });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await counts()).toEqual(before);
  });

  it('accepts a PNG declared as a PNG', async () => {
    expect((await upload(server.client(client.token), workspaceId, { mimeType: 'image/png', content: PNG_BYTES, type: 'OTHER', title: 'logo' })).mimeType).toBe('image/png');
  });

  it('streams larger files to POST /documents, with the CSRF header, authenticated, within the limit', async () => {
    const big = Buffer.concat([pdfBytes('big'), Buffer.alloc(150 * 1024, 0x20)]);
    const post = (body: Buffer, headers: Record<string, string>) =>
      fetch(`${server.url}/documents?workspaceId=${workspaceId}&title=${encodeURIComponent('Loonstaat 2025')}&type=PAYROLL`, { method: 'POST', body: new Uint8Array(body), headers: { 'content-type': 'application/pdf', ...headers } });
    const created = await post(big, { authorization: `Bearer ${client.token}`, 'x-client-online-upload': '1' });
    expect(created.status).toBe(201);
    const { downloadPath, sha256, sizeBytes } = await created.json();
    expect(sizeBytes).toBe(big.length);
    expect(sha256).toBe(createHash('sha256').update(big).digest('hex'));
    expect(Buffer.from(await (await download(downloadPath, office.token)).arrayBuffer())).toEqual(big);

    const before = await counts();
    expect((await post(big, { authorization: `Bearer ${client.token}` })).status).toBe(400); // no CSRF header
    expect((await post(big, { authorization: `Bearer ${client.token}`, 'x-client-online-upload': '1', origin: 'https://evil.example' })).status).toBe(400);
    expect((await post(big, { 'x-client-online-upload': '1' })).status).toBe(401);
    expect(await counts()).toEqual(before);
    // the app's own page (same host as the server) may upload with the person's cookie
    expect((await post(pdfBytes('own page'), { authorization: `Bearer ${client.token}`, 'x-client-online-upload': '1', origin: server.url })).status).toBe(201);
    const afterOwnPage = await counts();
    expect((await post(Buffer.concat([big, Buffer.alloc(200 * 1024)]), { authorization: `Bearer ${client.token}`, 'x-client-online-upload': '1' })).status).toBe(413);
    expect((await post(big, { authorization: `Bearer ${outsider.token}`, 'x-client-online-upload': '1' })).status).toBe(404);
    expect(await counts()).toEqual(afterOwnPage);
  });
});

describe('retention', () => {
  it('keeps the approval log 7 years from 1 January after the decision for fiscal types, and holds OTHER not at all', () => {
    const decided = new Date('2026-11-24T10:00:00Z');
    for (const type of ['TAX_RETURN', 'ANNUAL_ACCOUNTS', 'PAYROLL', 'CONTRACT'] as const) {
      expect(retainUntil(type, decided).toISOString()).toBe('2034-01-01T00:00:00.000Z');
    }
    expect(retainUntil('TAX_RETURN', new Date('2026-01-01T00:00:00Z')).toISOString()).toBe('2034-01-01T00:00:00.000Z');
    expect(retainUntil('OTHER', decided)).toEqual(decided);
  });
});

describe('approvals with step-up', () => {
  const request = async (approvers: Person[], type = 'TAX_RETURN') => {
    const doc = await upload(server.client(office.token), workspaceId, { type });
    const created = await server.client(office.token).data(REQUEST_APPROVAL, { d: doc.id, a: approvers.map((a) => a.id) });
    return { doc, requestId: created.requestApproval.id as string };
  };
  const statusOf = async (requestId: string) => (await server.sql<{ status: string }>('select status from approval_request where id = $1', [requestId]))[0].status;
  const decisions = async (requestId: string) => server.sql('select * from approval_decision where request_id = $1', [requestId]);

  beforeAll(async () => {
    await setPin(server.client(client.token), '4711', client.password);
    await setPin(server.client(partner.token), '123456', partner.password);
  });

  it('lets only owners and admins ask, and only members be asked', async () => {
    const doc = await upload(server.client(client.token), workspaceId);
    expect(await server.client(client.token).errorCode(REQUEST_APPROVAL, { d: doc.id, a: [partner.id] })).toBe('FORBIDDEN');
    expect(await server.client(office.token).errorCode(REQUEST_APPROVAL, { d: doc.id, a: [outsider.id] })).toBe('BAD_USER_INPUT');
    expect(await server.client(office.token).errorCode(REQUEST_APPROVAL, { d: doc.id, a: [] })).toBe('BAD_USER_INPUT');
    expect(await server.client(outsider.token).errorCode(REQUEST_APPROVAL, { d: doc.id, a: [client.id] })).toBe('NOT_FOUND');
  });

  it('approves with the PIN: a decision with the name snapshot, the content hash and the retention date', async () => {
    const { doc, requestId } = await request([client]);
    const decision = (await server.client(client.token).data(DECIDE, { r: requestId, approve: true, comment: 'Akkoord', pin: '4711' })).decideApproval;
    expect(decision).toMatchObject({ status: 'APPROVED', approverName: `Klaas ${client.lastName}`, comment: 'Akkoord', documentSha256: doc.sha256, approver: { id: client.id } });
    expect(decision.retainUntil).toBe(retainUntil('TAX_RETURN', new Date(decision.decidedAt)).toISOString());
    expect(await statusOf(requestId)).toBe('APPROVED');
    expect((await decisions(requestId))[0]).toMatchObject({ step_up_method: 'PIN' });
    // deciding twice is refused, and changes nothing
    expect(await server.client(client.token).errorCode(DECIDE, { r: requestId, approve: false, pin: '4711' })).toBe('CONFLICT');
    expect(await decisions(requestId)).toHaveLength(1);
  });

  it('becomes APPROVED only when all approve, and REJECTED when one rejects', async () => {
    const both = await request([client, partner]);
    await server.client(client.token).data(DECIDE, { r: both.requestId, approve: true, pin: '4711' });
    expect(await statusOf(both.requestId)).toBe('PENDING');
    await server.client(partner.token).data(DECIDE, { r: both.requestId, approve: true, pin: '123456' });
    expect(await statusOf(both.requestId)).toBe('APPROVED');

    const rejected = await request([client, partner], 'OTHER');
    const decision = (await server.client(partner.token).data(DECIDE, { r: rejected.requestId, approve: false, comment: 'Bedrag klopt niet', pin: '123456' })).decideApproval;
    expect(decision.retainUntil).toBe(decision.decidedAt); // OTHER: no legal hold
    expect(await statusOf(rejected.requestId)).toBe('REJECTED');
    expect(await server.client(client.token).errorCode(DECIDE, { r: rejected.requestId, approve: true, pin: '4711' })).toBe('CONFLICT');
    // someone who was not asked cannot decide
    const other = await request([client]);
    expect(await server.client(partner.token).errorCode(DECIDE, { r: other.requestId, approve: true, pin: '123456' })).toBe('FORBIDDEN');
  });

  it('refuses a wrong PIN with STEP_UP_REQUIRED, records nothing, and locks after repeated failures', async () => {
    const locked = await signUpPerson(server.client());
    await addMember(server.client(office.token), workspaceId, locked.username);
    await setPin(server.client(locked.token), '2468', locked.password);
    const { requestId } = await request([locked]);
    expect(await server.client(locked.token).errorCode(DECIDE, { r: requestId, approve: true })).toBe('STEP_UP_REQUIRED');
    for (let i = 0; i < 3; i++) expect(await server.client(locked.token).errorCode(DECIDE, { r: requestId, approve: true, pin: '0000' })).toBe('STEP_UP_REQUIRED');
    const blocked = await server.client(locked.token).request(DECIDE, { r: requestId, approve: true, pin: '2468' });
    expect(blocked.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect(await decisions(requestId)).toHaveLength(0);
    expect(await statusOf(requestId)).toBe('PENDING');
  });

  it('approves with a TOTP code from the enrolled secret, and refuses the same code twice', async () => {
    const totpUser = await signUpPerson(server.client());
    await addMember(server.client(office.token), workspaceId, totpUser.username);
    const c = server.client(totpUser.token);
    const enrollment = (await c.data(`mutation { enrollTotp { uri secret } }`)).enrollTotp;
    expect(enrollment.uri).toMatch(/^otpauth:\/\/totp\/Client%20Online:/);
    const stored = await server.sql<{ totp_pending_secret: string }>('select totp_pending_secret from users where id = $1', [totpUser.id]);
    expect(stored[0].totp_pending_secret).not.toContain(enrollment.secret); // sealed at rest
    expect(await c.data(`mutation($code: String!) { confirmTotp(code: $code) }`, { code: '000000' })).toEqual({ confirmTotp: false });
    expect(await c.data(`mutation($code: String!) { confirmTotp(code: $code) }`, { code: await generate({ secret: enrollment.secret }) })).toEqual({ confirmTotp: true });
    expect((await c.data(`{ me { totpEnabled } }`)).me.totpEnabled).toBe(true);

    // the confirmation used this period's code: the next period's code (within the allowed drift) approves
    const nextCode = await generate({ secret: enrollment.secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    const first = await request([totpUser]);
    const decision = (await c.data(DECIDE, { r: first.requestId, approve: true, totp: nextCode })).decideApproval;
    expect(decision.status).toBe('APPROVED');
    expect((await decisions(first.requestId))[0]).toMatchObject({ step_up_method: 'TOTP' });
    const replay = await request([totpUser]);
    expect(await c.errorCode(DECIDE, { r: replay.requestId, approve: true, totp: nextCode })).toBe('STEP_UP_REQUIRED');
    expect(await decisions(replay.requestId)).toHaveLength(0);
  });

  it('keeps a decision pointing at what was approved when a new version of the document is uploaded', async () => {
    const { doc, requestId } = await request([client]);
    await server.client(client.token).data(DECIDE, { r: requestId, approve: true, pin: '4711' });
    const newer = await upload(server.client(office.token), workspaceId, { title: 'Aangifte IB 2025', content: pdfBytes('corrected version') });
    expect(newer.sha256).not.toBe(doc.sha256);
    expect((await decisions(requestId))[0]).toMatchObject({ document_sha256: doc.sha256, status: 'APPROVED' });
    expect(await statusOf(requestId)).toBe('APPROVED');
    const history = await server.client(client.token).data(`query($id: ID!) { document(id: $id) { approvalRequests { status decisions { documentSha256 } } } }`, { id: newer.id });
    expect(history.document.approvalRequests).toEqual([]);
  });

  it('tells members live: DOCUMENT_ADDED, APPROVAL_REQUESTED, APPROVAL_DECIDED, and notifies each approver', async () => {
    const socket = wsClient(server.url, { token: client.token });
    sockets.push(socket);
    await firstConnectionEvent(socket);
    const events = subscribe(socket, `subscription($w: ID!) { workspaceEvents(workspaceId: $w) { kind document { title } approvalRequest { status } } }`, { w: workspaceId });
    const notes = subscribe(socket, `subscription { notifications { kind text } }`);
    await settle();
    const { requestId } = await request([client]);
    await server.client(client.token).data(DECIDE, { r: requestId, approve: true, pin: '4711' });
    const got = (await events.waitFor(3)).map((v) => v.workspaceEvents);
    expect(got).toEqual([
      { kind: 'DOCUMENT_ADDED', document: { title: 'Aangifte IB 2025' }, approvalRequest: null },
      { kind: 'APPROVAL_REQUESTED', document: { title: 'Aangifte IB 2025' }, approvalRequest: { status: 'PENDING' } },
      { kind: 'APPROVAL_DECIDED', document: { title: 'Aangifte IB 2025' }, approvalRequest: { status: 'APPROVED' } },
    ]);
    const [note] = await notes.waitFor(1);
    expect(note.notifications).toEqual({ kind: 'APPROVAL_REQUESTED', text: 'Your approval is asked for "Aangifte IB 2025".' });
  });

  it('has no operation that edits or deletes a decision', async () => {
    const schema = await (await import('../src/schema.js')).appSchema();
    const mutations = Object.keys(schema.getMutationType()!.getFields());
    expect(mutations.filter((m) => /decision|approv/i.test(m)).sort()).toEqual(['decideApproval', 'requestApproval']);
  });
});
