import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { freshUnitOfWork } from '../db/quiet-contexts.js';
import type { AppContext } from '../modules/context.js';
import { RequestLoaders } from '../modules/context.js';
import type { Services } from '../modules/services.js';
import type { PolicyFacts } from '../policy/facts.js';
import { RequestFacts } from '../policy/facts-loader.js';
import { LiveFacts } from '../policy/live-facts.js';
import type { Viewer } from '../policy/viewer.js';

const noBrowserSession: AppContext['browserSession'] = { set() {}, clear() {} };

/**
 * One unit of work: a forked EntityManager and facts for this viewer only. A live subscription reads its
 * per-event facts from memory (LiveFacts); everything else loads them once from the database.
 */
function factsFor(em: EntityManager, viewer: Viewer, live: Services['live'] | null): { facts: PolicyFacts; loadedFacts: PolicyFacts } {
  const loaded = new RequestFacts(em, viewer);
  return { loadedFacts: loaded, facts: live ? new LiveFacts(viewer, live) : loaded };
}

export function buildContext(
  orm: MikroORM,
  services: Services,
  viewer: Viewer,
  client: AppContext['client'],
  /** em: the unit of work the viewer was looked up in, when there is one already */
  options: { browserSession?: AppContext['browserSession']; live?: boolean; em?: EntityManager } = {},
): AppContext {
  const em = options.em ?? freshUnitOfWork(orm);
  const live = options.live ? services.live : null;
  const context: AppContext = {
    viewer,
    ...factsFor(em, viewer, live),
    em,
    services,
    loaders: new RequestLoaders(em, services),
    client,
    browserSession: options.browserSession ?? noBrowserSession,
    actAs,
  };
  return context;
}

/**
 * One function for every context, reading `this`: Apollo runs the operation on a shallow copy of the context, a
 * seated live subscription drops its unit of work (room-subscription.ts), which a closure would keep alive, and
 * thousands of idle subscriptions would each keep a closure. A live context stays live.
 */
function actAs(this: AppContext, next: Viewer) {
  this.viewer = next;
  Object.assign(this, factsFor(this.em, next, this.facts instanceof LiveFacts ? this.services.live : null));
}
