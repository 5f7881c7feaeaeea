import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppContext } from '../modules/context.js';
import { RequestLoaders } from '../modules/context.js';
import type { Services } from '../modules/services.js';
import { RequestFacts } from '../policy/facts-loader.js';
import type { Viewer } from '../policy/viewer.js';

const noBrowserSession: AppContext['browserSession'] = { set() {}, clear() {} };

/** One unit of work: a forked EntityManager and facts loaded for this viewer only. */
export function buildContext(
  orm: MikroORM,
  services: Services,
  viewer: Viewer,
  client: AppContext['client'],
  browserSession: AppContext['browserSession'] = noBrowserSession,
): AppContext {
  const em = orm.em.fork();
  const context: AppContext = {
    viewer,
    facts: new RequestFacts(em, viewer),
    em,
    services,
    loaders: new RequestLoaders(em, services),
    client,
    browserSession,
    // `this`, not the closure: Apollo runs the operation on a shallow copy of the context
    actAs(this: AppContext, next) {
      this.viewer = next;
      this.facts = new RequestFacts(em, next);
    },
  };
  return context;
}
