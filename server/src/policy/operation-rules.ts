import { forbidden, unauthenticated } from '../errors.js';
import type { Viewer } from './viewer.js';

/** Returns the error to refuse with, or null to let the operation run (its service still checks the object). */
export type OperationRule = { readonly who: string; readonly refuse: (viewer: Viewer) => Error | null };
const rule = (who: string, refuse: OperationRule['refuse']): OperationRule => ({ who, refuse });

/**
 * WHO MAY CALL WHICH OPERATION. Every query, mutation and subscription names one of these (@Allow); an
 * operation without one fails the policy test. Object-level checks (is this your workspace?) are the services'.
 */
export const operationRules = {
  public: rule('anyone, signed in or not', () => null),
  person: rule('a signed-in person (not a partner key)', (v) =>
    v.kind === 'user' ? null : v.kind === 'anonymous' ? unauthenticated() : forbidden('Only people can do this.'),
  ),
  /** reading: people, and partners inside the workspaces that granted them access (the services check which) */
  reader: rule('a signed-in person, or a partner (API key)', (v) => (v.kind === 'anonymous' ? unauthenticated() : null)),
  platformAdmin: rule('platform admins', (v) =>
    v.kind === 'anonymous' ? unauthenticated() : v.kind === 'user' && v.platformRole === 'ADMIN' ? null : forbidden('Platform admins only.'),
  ),
  /** anonymised statistics: platform admins and partners, nobody else */
  platformAdminOrPartner: rule('platform admins and partners', (v) =>
    v.kind === 'anonymous' ? unauthenticated() : v.kind === 'partner' || (v.kind === 'user' && v.platformRole === 'ADMIN') ? null : forbidden('Platform admins and partners only.'),
  ),
} as const satisfies Record<string, OperationRule>;

export type OperationRuleName = keyof typeof operationRules;
