export type PlatformRole = 'USER' | 'ADMIN';

/** Who is asking. Decided once per request (or socket) by the transport, from a session or an API key. */
export type Viewer =
  | { kind: 'anonymous' }
  | { kind: 'user'; userId: string; platformRole: PlatformRole; sessionId: string }
  | { kind: 'partner'; partnerId: string };

export const anonymousViewer: Viewer = Object.freeze({ kind: 'anonymous' });

export type PersonViewer = Extract<Viewer, { kind: 'user' }>;

/** Narrows to a signed-in person; operations guarded by 'person' never see anything else. */
export function asPerson(viewer: Viewer): PersonViewer {
  if (viewer.kind !== 'user') throw new Error('operation guard missing: expected a signed-in person');
  return viewer;
}

export const isPlatformAdminViewer = (viewer: Viewer): boolean => viewer.kind === 'user' && viewer.platformRole === 'ADMIN';

export type WorkspaceRole = 'OWNER' | 'ADMIN' | 'MEMBER';
export const managesWorkspace = (role: WorkspaceRole | null): boolean => role === 'OWNER' || role === 'ADMIN';
