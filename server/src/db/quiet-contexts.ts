import { AsyncLocalStorage } from 'node:async_hooks';
import type { TransactionOptions } from '@mikro-orm/core';
import { EntityManager, type MikroORM, type PostgreSqlDriver } from '@mikro-orm/postgresql';

/**
 * On Node 20 an AsyncLocalStorage, once it has run, keeps V8's promise hooks on for the life of the process: every
 * promise anywhere then calls into JavaScript when it is made and settled. MikroORM runs two of them, the
 * transaction context and the guard against a flush inside a flush, at the first write. A read then paid for them
 * on each of its ~200 promises: the thread query took 595 µs of CPU per request with them on, 495 µs without.
 *
 * So the ORM's storages are switched off (`disable()`, Node's documented way) whenever no transaction and no
 * flush is running in this process, and their next `run()` switches them on again. While one is running, nothing
 * changes: a transaction's context reaches every promise it makes, as before. Node 22's AsyncContextFrame
 * (on by default from Node 24) removes the cost itself, and this with it.
 */
const storages = new Set<AsyncLocalStorage<unknown>>();
let running = 0;

function quietWhenIdle(): void {
  if (running === 0) for (const storage of storages) storage.disable();
}

async function tracked<T>(work: () => Promise<T>): Promise<T> {
  running++;
  try {
    return await work();
  } finally {
    running--;
    quietWhenIdle();
  }
}

/** The EntityManager of every fork (the ORM's `entityManager` option): its transactions and flushes are counted. */
export class QuietEntityManager extends EntityManager<PostgreSqlDriver> {
  override transactional<T>(cb: (em: this) => T | Promise<T>, options?: TransactionOptions): Promise<T> {
    return tracked(() => super.transactional(cb, options));
  }

  override flush(): Promise<void> {
    return tracked(() => super.flush());
  }
}

/**
 * Finds the ORM's storages, which MikroORM keeps to itself: an empty transaction and an empty flush run them, and
 * every storage that runs during their first (synchronous) step is recorded. Node's `run` is wrapped for that
 * step only. A MikroORM that no longer has them leaves nothing to switch off.
 */
export async function findOrmContexts(em: EntityManager): Promise<void> {
  const prototype = AsyncLocalStorage.prototype as { run: (this: AsyncLocalStorage<unknown>, ...args: unknown[]) => unknown };
  const run = prototype.run;
  const found = new Set<AsyncLocalStorage<unknown>>();
  prototype.run = function (this: AsyncLocalStorage<unknown>, ...args: unknown[]) {
    found.add(this);
    return run.apply(this, args);
  };
  let probed: Promise<unknown>;
  try {
    probed = Promise.all([em.fork().transactional(async () => {}), em.fork().flush()]);
  } finally {
    prototype.run = run;
  }
  await probed;
  for (const storage of found) storages.add(storage);
  quietWhenIdle();
}

/** Whether the ORM's storages are off now (for tests; `enabled` is Node's own field). */
export const contextsQuiet = (): boolean => [...storages].every((storage) => !(storage as unknown as { enabled: boolean }).enabled);
/** How many storages are switched off when idle: the transaction context and the flush guard. */
export const quietedStorages = (): number => storages.size;

/**
 * A fresh unit of work for one request or subscription event: what `orm.em.fork()` gives when there is nothing
 * to carry over (ormOptions sets no filters, no logger context, no schema, and the global EntityManager is never
 * in a transaction), without fork()'s bookkeeping. fork() switches the config's allowGlobalContext on and off
 * around it, and each switch writes process.env (MikroORM's Configuration.sync): measured, `{ __typename }` took
 * 200 µs of CPU per request this way against 213 µs with fork().
 */
export function freshUnitOfWork(orm: MikroORM): EntityManager {
  return new QuietEntityManager(orm.config as never, orm.em.getDriver() as never, orm.getMetadata(), false, orm.em.getEventManager());
}
