import type { PolicyFacts, Subject } from './facts.js';
import { managesWorkspace, type Viewer } from './viewer.js';

/**
 * A condition on the viewer and the data's subject. It may answer synchronously; it answers asynchronously
 * only when it needs a fact not loaded yet.
 */
export type Condition = (viewer: Viewer, subject: Subject, facts: PolicyFacts) => boolean | Promise<boolean>;

export const isSelf: Condition = (viewer, { person }) => viewer.kind === 'user' && person !== null && viewer.userId === person;
export const isPlatformAdmin: Condition = (viewer) => viewer.kind === 'user' && viewer.platformRole === 'ADMIN';
export const sharesWorkspace: Condition = (viewer, { person }, facts) =>
  viewer.kind === 'user' && person !== null && facts.sharesWorkspaceWith(person);
export const administersWorkspaceOfPerson: Condition = (viewer, { person }, facts) =>
  viewer.kind === 'user' && person !== null && facts.administersWorkspaceOf(person);
/** the data lives in a workspace the viewer is a member of */
export const memberOfSubjectWorkspace: Condition = (_viewer, { workspaceId }, facts) => {
  if (!workspaceId) return false;
  const role = facts.workspaceRole(workspaceId);
  return role instanceof Promise ? role.then((r) => r !== null) : role !== null;
};

/** the data lives in a workspace the viewer owns or administers */
export const administersSubjectWorkspace: Condition = (_viewer, { workspaceId }, facts) => {
  if (!workspaceId) return false;
  const role = facts.workspaceRole(workspaceId);
  return role instanceof Promise ? role.then(managesWorkspace) : managesWorkspace(role);
};
/** a partner the workspace the data lives in granted access */
export const partnerGrantedSubjectWorkspace: Condition = (viewer, { workspaceId }, facts) =>
  viewer.kind === 'partner' && !!workspaceId && facts.partnerMayRead(workspaceId);
/** a partner the person consented to share their data with */
export const partnerWithConsent: Condition = (viewer, { person }, facts) =>
  viewer.kind === 'partner' && person !== null && facts.consentsToPartner(person);
export const isSignedIn: Condition = (viewer) => viewer.kind !== 'anonymous';

/** True when any condition holds; stays synchronous while the conditions are. */
export function or(...conditions: Condition[]): Condition {
  return (viewer, subject, facts) => {
    for (let i = 0; i < conditions.length; i++) {
      const answer = conditions[i](viewer, subject, facts);
      if (answer === true) return true;
      if (answer !== false) return answer.then((yes) => yes || or(...conditions.slice(i + 1))(viewer, subject, facts));
    }
    return false;
  };
}

/** True when every condition holds; stays synchronous while the conditions are. */
export function and(...conditions: Condition[]): Condition {
  return (viewer, subject, facts) => {
    for (let i = 0; i < conditions.length; i++) {
      const answer = conditions[i](viewer, subject, facts);
      if (answer === false) return false;
      if (answer !== true) return answer.then((yes) => yes && and(...conditions.slice(i + 1))(viewer, subject, facts));
    }
    return true;
  };
}
