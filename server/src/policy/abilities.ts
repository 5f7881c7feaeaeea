import { forbidden, notFound } from '../errors.js';
import type { PolicyContext } from './facts.js';
import { managesWorkspace, type WorkspaceRole } from './viewer.js';

/**
 * WHO MAY DO WHAT TO WHICH OBJECT, one line per ability. Services ask before acting; a viewer who may not
 * even see the object gets NOT_FOUND (its existence does not leak), one who sees it but may not act FORBIDDEN.
 */
export const abilities = {
  readWorkspace: (role: WorkspaceRole | null) => role !== null,
  manageMembers: (role: WorkspaceRole | null) => managesWorkspace(role),
  /** only owners make owners, and only owners remove them */
  grantRole: (role: WorkspaceRole | null, granted: WorkspaceRole) => (granted === 'OWNER' ? role === 'OWNER' : managesWorkspace(role)),
  requestApproval: (role: WorkspaceRole | null) => managesWorkspace(role),
  managePartners: (role: WorkspaceRole | null) => managesWorkspace(role),
  postInThread: (role: WorkspaceRole | null) => role !== null,
  editMessage: (viewerId: string, authorId: string | null) => authorId !== null && viewerId === authorId,
  deleteMessage: (viewerId: string, authorId: string | null, role: WorkspaceRole | null) =>
    (authorId !== null && viewerId === authorId) || managesWorkspace(role),
} as const;

/** The viewer's role in the workspace, or NOT_FOUND when the viewer is not a member. */
export async function memberRole(actor: PolicyContext, workspaceId: string, what = 'Workspace'): Promise<WorkspaceRole> {
  const role = await actor.facts.workspaceRole(workspaceId);
  if (!abilities.readWorkspace(role)) throw notFound(what);
  return role!;
}

/**
 * Read access to a workspace's content: its members, or a partner it granted access (role null).
 * NOT_FOUND for everyone else.
 */
export async function readerRole(actor: PolicyContext, workspaceId: string, what = 'Workspace'): Promise<WorkspaceRole | null> {
  if (actor.viewer.kind === 'partner') {
    if (await actor.facts.partnerMayRead(workspaceId)) return null;
    throw notFound(what);
  }
  return memberRole(actor, workspaceId, what);
}

export function ensure(allowed: boolean, message: string): void {
  if (!allowed) throw forbidden(message);
}
