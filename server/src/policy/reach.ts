import { isSignedIn, memberOfSubjectWorkspace, type Condition } from './conditions.js';

/**
 * Who can reach an object of each type with personal fields at all (the services' object-level checks say the
 * same: abilities.ts). A field's rule only matters to a viewer who can reach the object; the privacy matrix
 * shows both together, and its test proves the combination through real GraphQL.
 */
export const reach: Record<string, { who: string; allows: Condition }> = {
  User: { who: 'signed-in people (user(id), and as members, authors, approvers)', allows: isSignedIn },
  Message: { who: "members of the thread's workspace", allows: memberOfSubjectWorkspace },
  ApprovalDecision: { who: "members of the document's workspace", allows: memberOfSubjectWorkspace },
};
