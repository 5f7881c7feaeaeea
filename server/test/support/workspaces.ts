import type { GraphQLClient } from './graphql-client.js';

export const CREATE_WORKSPACE = `mutation($name: String!) { createWorkspace(input: { name: $name }) { id name } }`;
export const ADD_MEMBER = `mutation($w: ID!, $login: String!, $role: WorkspaceRole!) { addWorkspaceMember(workspaceId: $w, login: $login, role: $role) { role user { id username } } }`;
export const REMOVE_MEMBER = `mutation($w: ID!, $u: ID!) { removeWorkspaceMember(workspaceId: $w, userId: $u) }`;
export const CREATE_THREAD = `mutation($w: ID!, $title: String!) { createThread(input: { workspaceId: $w, title: $title }) { id title } }`;
export const POST = `mutation($t: ID!, $body: String!, $clientId: String) { postMessage(input: { threadId: $t, body: $body, clientId: $clientId }) { id seq body author { id } } }`;

export async function createWorkspace(owner: GraphQLClient, name = 'Jansen Administratie'): Promise<string> {
  return (await owner.data(CREATE_WORKSPACE, { name })).createWorkspace.id;
}

export async function addMember(admin: GraphQLClient, workspaceId: string, login: string, role: 'OWNER' | 'ADMIN' | 'MEMBER' = 'MEMBER') {
  return (await admin.data(ADD_MEMBER, { w: workspaceId, login, role })).addWorkspaceMember;
}

export async function createThread(member: GraphQLClient, workspaceId: string, title = 'Aangifte 2025'): Promise<string> {
  return (await member.data(CREATE_THREAD, { w: workspaceId, title })).createThread.id;
}

export async function post(member: GraphQLClient, threadId: string, body: string, clientId?: string): Promise<{ id: string; seq: number; body: string }> {
  return (await member.data(POST, { t: threadId, body, clientId })).postMessage;
}
