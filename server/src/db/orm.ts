import { DataloaderType, ReflectMetadataProvider, type EntityClass, type MigrationObject } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import pg from 'pg';
import { MikroORM, defineConfig, type Options } from '@mikro-orm/postgresql';
import type { Logger } from '../log.js';
import { migrations } from './migrations/index.js';
import { findOrmContexts, QuietEntityManager } from './quiet-contexts.js';

export type Orm = MikroORM;

export function ormOptions(url: string, entities: EntityClass<unknown>[], options: { poolMax: number; log?: Logger }): Options {
  return defineConfig({
    clientUrl: url,
    entities,
    metadataProvider: ReflectMetadataProvider,
    // references and collections are batched per tick: no query per row when resolving lists
    dataloader: DataloaderType.ALL,
    forceUtcTimezone: true,
    // every unit of work runs in a forked EntityManager (per request, per subscription event)
    allowGlobalContext: false,
    // counts its transactions and flushes, to switch MikroORM's async contexts off between them (quiet-contexts.ts)
    entityManager: QuietEntityManager,
    extensions: [Migrator],
    migrations: {
      migrationsList: migrations as MigrationObject[],
      transactional: true,
      allOrNothing: true,
      snapshot: false,
    },
    pool: { min: 0, max: options.poolMax },
    debug: false,
    logger: (message) => options.log?.debug({ orm: message }, 'orm'),
    discovery: { warnWhenNoEntities: true },
    // tables that belong to libraries (rate-limiter-flexible), made by our migrations but not entities
    schemaGenerator: { skipTables: ['rate_limit'] },
  });
}

/** Connects and brings the schema up to date with the committed migrations (never a schema sync). */
export async function openDatabase(url: string, entities: EntityClass<unknown>[], options: { poolMax: number; log?: Logger }): Promise<Orm> {
  const orm = await MikroORM.init(ormOptions(url, entities, options));
  try {
    await findOrmContexts(orm.em);
    await withAdvisoryLock(url, MIGRATION_LOCK, async () => {
      const applied = await orm.getMigrator().up();
      if (applied.length > 0) options.log?.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
    });
  } catch (error) {
    await orm.close();
    throw error;
  }
  return orm;
}

/** Lock keys, the same in every process: N processes that start together set up the schema one at a time. */
const MIGRATION_LOCK = 7_204_311_001;
export const JOB_SCHEMA_LOCK = 7_204_311_002;

/** Runs `work` while holding a PostgreSQL advisory lock (on a connection of its own). */
export async function withAdvisoryLock<T>(url: string, key: number, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [key]);
    return await work();
  } finally {
    await client.query('select pg_advisory_unlock($1)', [key]).catch(() => {});
    await client.end();
  }
}
