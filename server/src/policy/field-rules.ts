import {
  and,
  administersSubjectWorkspace,
  administersWorkspaceOfPerson,
  isPlatformAdmin,
  isSelf,
  memberOfSubjectWorkspace,
  or,
  partnerGrantedSubjectWorkspace,
  partnerWithConsent,
  sharesWorkspace,
  type Condition,
} from './conditions.js';

export type FieldRule = { readonly who: string; readonly allows: Condition };
const rule = (who: string, allows: Condition): FieldRule => ({ who, allows });

/**
 * WHO READS WHICH PERSONAL FIELD. Every field the contract marks [personal] names one of these where it is
 * declared (@ReadableBy); a viewer the rule does not allow reads null. docs/privacy-matrix.md is printed from
 * this table, and a test checks every cell through real GraphQL.
 */
export const fieldRules = {
  /** User.lastName, User.firstName */
  personName: rule('the person, platform admins, members of a shared workspace, partners the person consented to', or(isSelf, isPlatformAdmin, sharesWorkspace, partnerWithConsent)),
  /** User.email */
  personEmail: rule('the person, platform admins, owners and admins of a workspace the person is in, partners the person consented to', or(isSelf, isPlatformAdmin, administersWorkspaceOfPerson, partnerWithConsent)),
  /** newsletterOptIn, platformRole, totpEnabled, hasTransactionPin: the account's own settings */
  ownAccount: rule('the person and platform admins only', or(isSelf, isPlatformAdmin)),
  /** Message.body: the conversation belongs to its workspace; platform admins do not read it */
  messageBody: rule(
    "members of the message's workspace; a partner it granted access, if the author consented to that partner",
    or(memberOfSubjectWorkspace, and(partnerGrantedSubjectWorkspace, partnerWithConsent)),
  ),
  /** ApprovalDecision.approverName: the approval log's snapshot of who decided */
  approvalLogName: rule("the approver, owners and admins of the document's workspace, platform admins", or(isSelf, administersSubjectWorkspace, isPlatformAdmin)),
  /** AuditEvent.ip: security data about the person */
  auditIp: rule('the person it is about, platform admins', or(isSelf, isPlatformAdmin)),
  /** PrivacyRequest.requester */
  requester: rule('the requester, platform admins', or(isSelf, isPlatformAdmin)),
  /** Workspace.partners: who the workspace shares data with (not personal, but the admins' business) */
  workspaceAdmins: rule('owners and admins of the workspace, platform admins', or(administersSubjectWorkspace, isPlatformAdmin)),
  /** Workspace.dataRecipients: every member is told who receives data from the workspace (GDPR art. 13 recipients) */
  workspaceMembers: rule('members of the workspace, platform admins', or(memberOfSubjectWorkspace, isPlatformAdmin)),
} as const satisfies Record<string, FieldRule>;

export type FieldRuleName = keyof typeof fieldRules;
