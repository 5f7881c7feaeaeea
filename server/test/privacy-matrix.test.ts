import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privacyMatrix, type MatrixCell } from '../src/policy/matrix.js';
import { appSchema } from '../src/schema.js';
import { signUpPerson, SIGN_IN, type Person } from './support/accounts.js';
import type { GraphQLClient } from './support/graphql-client.js';
import { DECIDE, REQUEST_APPROVAL, setPin, upload } from './support/documents.js';
import { createPartner, GRANT, platformAdmin, SET_CONSENT } from './support/partners.js';
import { startTestServer, type TestServer } from './support/server.js';
import { addMember, createThread, createWorkspace, post } from './support/workspaces.js';

let server: TestServer;
let subject: Person;
let threadId: string;
let documentId: string;
let workspaceId: string;
let privacyRequestId: string;
let viewers: Record<string, GraphQLClient>;
let cells: MatrixCell[];

/** How a viewer reaches a value of each type that has personal fields. */
const probes: Record<string, (client: GraphQLClient, field: string) => Promise<unknown>> = {
  // user(id) for people; a partner reaches people as members of a workspace that granted it access
  User: async (client, field) => {
    const direct = await client.request(`query($id: ID!) { user(id: $id) { ${field} } }`, { id: subject.id });
    if (direct.data?.user) return direct.data.user[field];
    const viaWorkspace = await client.request(`query($w: ID!) { workspace(id: $w) { members { user { id ${field} } } } }`, { w: workspaceId });
    return viaWorkspace.data?.workspace?.members.find((m: any) => m.user.id === subject.id)?.user[field] ?? null;
  },
  // the subject's sign-in, in the audit log
  AuditEvent: async (client, field) => {
    const result = await client.request(`{ auditLog(first: 100) { edges { node { action ${field} actor { id } } } } }`);
    return result.data?.auditLog.edges.find((e: any) => e.node.action === 'sign-in' && e.node.actor?.id === subject.id)?.node[field] ?? null;
  },
  // the subject's privacy request
  PrivacyRequest: async (client, field) => {
    for (const query of [`{ privacyRequests { id ${field} { id } } }`, `{ myPrivacyRequests { id ${field} { id } } }`]) {
      const result = await client.request(query);
      const list = result.data?.privacyRequests ?? result.data?.myPrivacyRequests;
      const found = list?.find((r: any) => r.id === privacyRequestId);
      if (found) return found[field];
    }
    return null;
  },
  Workspace: async (client, field) => {
    const result = await client.request(`query($w: ID!) { workspace(id: $w) { ${field} { id } } }`, { w: workspaceId });
    return result.data?.workspace?.[field] ?? null;
  },
  // the subject's decision on a document of the subject's workspace
  ApprovalDecision: async (client, field) => {
    const result = await client.request(`query($id: ID!) { document(id: $id) { approvalRequests { decisions { ${field} } } } }`, { id: documentId });
    return result.data?.document?.approvalRequests[0]?.decisions[0]?.[field] ?? null;
  },
  // the subject's message in a thread of the subject's workspace
  Message: async (client, field) => {
    const result = await client.request(`query($id: ID!) { thread(id: $id) { messages { edges { node { ${field} } } } } }`, { id: threadId });
    return result.data?.thread?.messages.edges[0]?.node[field] ?? null;
  },
};

beforeAll(async () => {
  server = await startTestServer();
  const anonymous = server.client();
  subject = await signUpPerson(anonymous, { firstName: 'Subject', newsletterOptIn: true });
  const another = await signUpPerson(anonymous);
  const fellow = await signUpPerson(anonymous);
  const workspaceAdmin = await signUpPerson(anonymous);
  const platformAdmin_ = await signUpPerson(anonymous);
  // the workspace admin runs the subject's workspace; the fellow member is in it too; the others are not
  workspaceId = await createWorkspace(server.client(workspaceAdmin.token));
  await addMember(server.client(workspaceAdmin.token), workspaceId, subject.username, 'MEMBER');
  await addMember(server.client(workspaceAdmin.token), workspaceId, fellow.username, 'MEMBER');
  threadId = await createThread(server.client(workspaceAdmin.token), workspaceId);
  await post(server.client(subject.token), threadId, 'A message of the subject');
  documentId = (await upload(server.client(workspaceAdmin.token), workspaceId)).id;
  const request = await server.client(workspaceAdmin.token).data(REQUEST_APPROVAL, { d: documentId, a: [subject.id] });
  await setPin(server.client(subject.token), '4711', subject.password);
  await server.client(subject.token).data(DECIDE, { r: request.requestApproval.id, approve: true, pin: '4711' });
  // two partners with access to the subject's workspace; the subject consented to the first only
  const pin = await platformAdmin(server, platformAdmin_);
  const consented = await createPartner(server, platformAdmin_, pin, 'Loonsoftware BV');
  const notConsented = await createPartner(server, platformAdmin_, pin, 'Boekhoudpakket BV');
  for (const p of [consented, notConsented]) await server.client(workspaceAdmin.token).data(GRANT, { w: workspaceId, p: p.id });
  await server.client(subject.token).data(SET_CONSENT, { purpose: 'PARTNER_SHARING', p: consented.id, granted: true });
  await anonymous.data(SIGN_IN, { input: { login: subject.username, password: subject.password } });
  privacyRequestId = (await server.client(subject.token).data(`mutation { submitPrivacyRequest(input: { type: ACCESS }) { id } }`)).submitPrivacyRequest.id;
  viewers = {
    anonymous,
    self: server.client(subject.token),
    'another user': server.client(another.token),
    'workspace member': server.client(fellow.token),
    'workspace admin': server.client(workspaceAdmin.token),
    'platform admin': server.client(platformAdmin_.token),
    'partner, consented': server.partnerClient(consented.apiKey),
    'partner, no consent': server.partnerClient(notConsented.apiKey),
  };
  cells = await privacyMatrix(await appSchema());
});
afterAll(() => server?.close());

describe('docs/privacy-matrix.md, cell by cell through real GraphQL', () => {
  it('covers every type with personal fields and every viewer', () => {
    expect(new Set(cells.map((c) => c.type))).toEqual(new Set(Object.keys(probes)));
    for (const cell of cells) expect(Object.keys(cell.readers).sort()).toEqual(Object.keys(viewers).sort());
  });

  it('gives each viewer the value where the matrix says "yes" and null where it says "null"', async () => {
    const mismatches: string[] = [];
    for (const cell of cells) {
      for (const [viewer, client] of Object.entries(viewers)) {
        const value = await probes[cell.type](client, cell.field);
        const reads = value !== null && value !== undefined;
        if (reads !== cell.readers[viewer]) mismatches.push(`${cell.type}.${cell.field} for ${viewer}: matrix ${cell.readers[viewer] ? 'yes' : 'null'}, got ${JSON.stringify(value)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
