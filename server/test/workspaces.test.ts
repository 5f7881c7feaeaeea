import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpPerson, type Person } from './support/accounts.js';
import { startTestServer, type TestServer } from './support/server.js';
import { ADD_MEMBER, addMember, createWorkspace, REMOVE_MEMBER } from './support/workspaces.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const WORKSPACE = `query($id: ID!) { workspace(id: $id) { id name members { role user { id username lastName email } } } }`;
const membersOf = async (workspaceId: string) =>
  (await server.sql<{ user_id: string; role: string }>('select user_id, role from membership where workspace_id = $1 order by joined_at', [workspaceId])).map((r) => `${r.user_id}:${r.role}`);

describe('workspaces', () => {
  let owner: Person, admin: Person, member: Person, outsider: Person;
  let workspaceId: string;
  beforeAll(async () => {
    const anonymous = server.client();
    [owner, admin, member, outsider] = await Promise.all([0, 1, 2, 3].map(() => signUpPerson(anonymous)));
    workspaceId = await createWorkspace(server.client(owner.token), 'De Vries Loonadministratie');
    await addMember(server.client(owner.token), workspaceId, admin.email, 'ADMIN');
    await addMember(server.client(admin.token), workspaceId, member.username.toUpperCase(), 'MEMBER');
  });

  it("makes the creator OWNER; lists the viewer's workspaces only", async () => {
    const list = await server.client(owner.token).data(`{ workspaces { edges { node { id name } } pageInfo { hasNextPage } } }`);
    expect(list.workspaces.edges.map((e: any) => e.node.id)).toEqual([workspaceId]);
    expect(await membersOf(workspaceId)).toEqual([`${owner.id}:OWNER`, `${admin.id}:ADMIN`, `${member.id}:MEMBER`]);
    expect((await server.client(outsider.token).data(`{ workspaces { edges { node { id } } } }`)).workspaces.edges).toEqual([]);
  });

  it('answers NOT_FOUND to a non-member, whether or not the workspace exists', async () => {
    expect(await server.client(outsider.token).errorCode(WORKSPACE, { id: workspaceId })).toBe('NOT_FOUND');
    expect(await server.client(outsider.token).errorCode(WORKSPACE, { id: '00000000-0000-4000-8000-000000000000' })).toBe('NOT_FOUND');
    expect(await server.client(outsider.token).errorCode(WORKSPACE, { id: 'not-a-uuid' })).toBe('NOT_FOUND');
  });

  it("shows members each other's names; only owners and admins see emails", async () => {
    const asMember = (await server.client(member.token).data(WORKSPACE, { id: workspaceId })).workspace.members;
    const ownerSeenByMember = asMember.find((m: any) => m.user.id === owner.id).user;
    expect(ownerSeenByMember).toEqual({ id: owner.id, username: owner.username, lastName: owner.lastName, email: null });
    const asAdmin = (await server.client(admin.token).data(WORKSPACE, { id: workspaceId })).workspace.members;
    expect(asAdmin.find((m: any) => m.user.id === member.id).user.email).toBe(member.email);
    // outside the workspace the same person is a username only
    const seenByOutsider = await server.client(outsider.token).data(`query($id: ID!) { user(id: $id) { lastName email } }`, { id: member.id });
    expect(seenByOutsider.user).toEqual({ lastName: null, email: null });
  });

  it('lets owners and admins add and remove members, and not plain members', async () => {
    const extra = await signUpPerson(server.client());
    const before = await membersOf(workspaceId);
    const refused = await server.client(member.token).request(ADD_MEMBER, { w: workspaceId, login: extra.username, role: 'MEMBER' });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await server.client(member.token).errorCode(REMOVE_MEMBER, { w: workspaceId, u: admin.id })).toBe('FORBIDDEN');
    expect(await server.client(outsider.token).errorCode(ADD_MEMBER, { w: workspaceId, login: extra.username, role: 'MEMBER' })).toBe('NOT_FOUND');
    // an admin cannot make owners
    expect(await server.client(admin.token).errorCode(ADD_MEMBER, { w: workspaceId, login: extra.username, role: 'OWNER' })).toBe('FORBIDDEN');
    expect(await server.client(admin.token).errorCode(ADD_MEMBER, { w: workspaceId, login: 'nobody_here', role: 'MEMBER' })).toBe('NOT_FOUND');
    expect(await server.client(admin.token).errorCode(ADD_MEMBER, { w: workspaceId, login: member.email, role: 'MEMBER' })).toBe('CONFLICT');
    expect(await membersOf(workspaceId)).toEqual(before);

    await addMember(server.client(admin.token), workspaceId, extra.email);
    expect(await server.client(admin.token).data(REMOVE_MEMBER, { w: workspaceId, u: extra.id })).toEqual({ removeWorkspaceMember: true });
    expect(await membersOf(workspaceId)).toEqual(before);
  });

  it('never removes the last owner, also when two owners remove each other at once', async () => {
    expect(await server.client(owner.token).errorCode(REMOVE_MEMBER, { w: workspaceId, u: owner.id })).toBe('CONFLICT');
    const second = await signUpPerson(server.client());
    const w2 = await createWorkspace(server.client(owner.token), 'Two owners');
    await addMember(server.client(owner.token), w2, second.username, 'OWNER');
    const results = await Promise.all([
      server.client(owner.token).request(REMOVE_MEMBER, { w: w2, u: second.id }),
      server.client(second.token).request(REMOVE_MEMBER, { w: w2, u: owner.id }),
    ]);
    expect(results.filter((r) => r.data?.removeWorkspaceMember === true)).toHaveLength(1);
    const owners = await server.sql(`select user_id from membership where workspace_id = $1 and role = 'OWNER'`, [w2]);
    expect(owners).toHaveLength(1);
  });

  it('refuses an empty or oversized workspace name with BAD_USER_INPUT', async () => {
    const c = server.client(owner.token);
    expect(await c.errorCode(`mutation { createWorkspace(input: { name: "   " }) { id } }`)).toBe('BAD_USER_INPUT');
    expect(await c.errorCode(`mutation($n: String!) { createWorkspace(input: { name: $n }) { id } }`, { n: 'x'.repeat(101) })).toBe('BAD_USER_INPUT');
  });
});
