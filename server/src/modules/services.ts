import type { Sessions } from '../auth/sessions.js';
import type { SignInLimiter } from '../auth/sign-in-limiter.js';
import type { Logger } from '../log.js';
import { ConsentService } from './consent/consent.service.js';
import { AccountService } from './users/account.service.js';

/** The services, made once per process; each method works in the EntityManager it is given. */
export type Services = ReturnType<typeof createServices>;

export function createServices(deps: { sessions: Sessions; limiter: SignInLimiter; log: Logger }) {
  const consent = new ConsentService();
  return {
    sessions: deps.sessions,
    consent,
    accounts: new AccountService({ ...deps, consent }),
  };
}
