import type { PolicyFacts } from './facts.js';
import type { Viewer } from './viewer.js';

/**
 * A condition on the viewer and the person a piece of data is about (null when nobody, e.g. an erased author).
 * It may answer synchronously; it answers asynchronously only when it needs a fact not loaded yet.
 */
export type Condition = (viewer: Viewer, person: string | null, facts: PolicyFacts) => boolean | Promise<boolean>;

export const isSelf: Condition = (viewer, person) => viewer.kind === 'user' && person !== null && viewer.userId === person;
export const isPlatformAdmin: Condition = (viewer) => viewer.kind === 'user' && viewer.platformRole === 'ADMIN';
export const isSignedInPerson: Condition = (viewer) => viewer.kind === 'user';
export const anyone: Condition = () => true;

/** True when any condition holds; stays synchronous while the conditions are. */
export function or(...conditions: Condition[]): Condition {
  return (viewer, person, facts) => {
    for (let i = 0; i < conditions.length; i++) {
      const answer = conditions[i](viewer, person, facts);
      if (answer === true) return true;
      if (answer !== false) return answer.then((yes) => yes || or(...conditions.slice(i + 1))(viewer, person, facts));
    }
    return false;
  };
}

/** True when every condition holds; stays synchronous while the conditions are. */
export function and(...conditions: Condition[]): Condition {
  return (viewer, person, facts) => {
    for (let i = 0; i < conditions.length; i++) {
      const answer = conditions[i](viewer, person, facts);
      if (answer === false) return false;
      if (answer !== true) return answer.then((yes) => yes && and(...conditions.slice(i + 1))(viewer, person, facts));
    }
    return true;
  };
}
