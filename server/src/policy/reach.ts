import { isPlatformAdmin, isSelf, isSignedIn, memberOfSubjectWorkspace, or, partnerGrantedSubjectWorkspace, type Condition } from './conditions.js';

const inWorkspace = or(memberOfSubjectWorkspace, partnerGrantedSubjectWorkspace);

/**
 * Who can reach an object of each type with personal fields at all (the services' object-level checks say the
 * same: abilities.ts). A field's rule only matters to a viewer who can reach the object; the privacy matrix
 * shows both together, and its test proves the combination through real GraphQL.
 */
export const reach: Record<string, { who: string; allows: Condition }> = {
  User: { who: 'signed-in people and partners (as members, authors, approvers of what they can read)', allows: isSignedIn },
  Workspace: { who: 'its members and the partners it granted access', allows: inWorkspace },
  Message: { who: "members of the thread's workspace and the partners it granted access", allows: inWorkspace },
  AuditEvent: { who: 'platform admins (auditLog); the person in their own data export', allows: isPlatformAdmin },
  PrivacyRequest: { who: 'the requester (myPrivacyRequests) and platform admins (privacyRequests)', allows: or(isSelf, isPlatformAdmin) },
  ApprovalDecision: { who: "members of the document's workspace and the partners it granted access", allows: inWorkspace },
};
