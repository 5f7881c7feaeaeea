import type { WorkspaceRole } from '../policy/viewer.js';

export type MessageEventKind = 'ADDED' | 'EDITED' | 'DELETED';

/** What travels on each channel: ids and kinds, never personal data (the receiver loads what its viewer may see). */
export type ThreadEventMessage = { threadId: string; seq: number; kind: MessageEventKind; messageId: string };
export type TypingMessage = { threadId: string; userId: string; typing: boolean };
export type WorkspaceEventKind = 'DOCUMENT_ADDED' | 'APPROVAL_REQUESTED' | 'APPROVAL_DECIDED' | 'MEMBER_ADDED' | 'MEMBER_REMOVED' | 'THREAD_CREATED';
/** workspace changes that only the servers hear (clients see the contract's kinds) */
export type InternalWorkspaceEventKind = 'PARTNER_GRANTED' | 'PARTNER_REVOKED';
export type WorkspaceEventMessage = {
  kind: WorkspaceEventKind | InternalWorkspaceEventKind;
  workspaceId: string;
  at: string;
  threadId?: string;
  documentId?: string;
  approvalRequestId?: string;
  member?: { userId: string; role: WorkspaceRole; joinedAt: string };
  partnerId?: string;
};
export const clientWorkspaceEventKinds: ReadonlySet<string> = new Set<WorkspaceEventKind>([
  'DOCUMENT_ADDED', 'APPROVAL_REQUESTED', 'APPROVAL_DECIDED', 'MEMBER_ADDED', 'MEMBER_REMOVED', 'THREAD_CREATED',
]);
/** a person's PARTNER_SHARING consent for one partner changed */
export type PartnerConsentMessage = { userId: string; granted: boolean };
export type NotificationKind = 'PRIVACY_STATEMENT_CHANGED' | 'APPROVAL_REQUESTED' | 'PRIVACY_REQUEST_UPDATED' | 'ADDED_TO_WORKSPACE';
export type NotificationMessage = { kind: NotificationKind; text: string; at: string };

export const channels = {
  thread: (threadId: string) => `thread:${threadId}`,
  typing: (threadId: string) => `typing:${threadId}`,
  workspace: (workspaceId: string) => `workspace:${workspaceId}`,
  user: (userId: string) => `user:${userId}`,
  /** every connected person (privacy statement changes) */
  everyone: () => 'everyone',
  partnerConsent: (partnerId: string) => `partner-consent:${partnerId}`,
  /** an account was erased, or its sessions ended: its sockets close */
  accountClosed: () => 'account-closed',
};
/** sessionId: only that session's sockets; exceptSessionId: all but that one (a password change) */
export type AccountClosedMessage = { userId: string; sessionId?: string; exceptSessionId?: string };
