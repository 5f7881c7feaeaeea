import type { WorkspaceRole } from '../policy/viewer.js';

export type MessageEventKind = 'ADDED' | 'EDITED' | 'DELETED';

/** What travels on each channel: ids and kinds, never personal data (the receiver loads what its viewer may see). */
export type ThreadEventMessage = { threadId: string; seq: number; kind: MessageEventKind; messageId: string };
export type TypingMessage = { threadId: string; userId: string; typing: boolean };
export type WorkspaceEventKind = 'DOCUMENT_ADDED' | 'APPROVAL_REQUESTED' | 'APPROVAL_DECIDED' | 'MEMBER_ADDED' | 'MEMBER_REMOVED' | 'THREAD_CREATED';
export type WorkspaceEventMessage = {
  kind: WorkspaceEventKind;
  workspaceId: string;
  at: string;
  threadId?: string;
  documentId?: string;
  approvalRequestId?: string;
  member?: { userId: string; role: WorkspaceRole; joinedAt: string };
};
export type NotificationKind = 'PRIVACY_STATEMENT_CHANGED' | 'APPROVAL_REQUESTED' | 'PRIVACY_REQUEST_UPDATED' | 'ADDED_TO_WORKSPACE';
export type NotificationMessage = { kind: NotificationKind; text: string; at: string };

export const channels = {
  thread: (threadId: string) => `thread:${threadId}`,
  typing: (threadId: string) => `typing:${threadId}`,
  workspace: (workspaceId: string) => `workspace:${workspaceId}`,
  user: (userId: string) => `user:${userId}`,
};
