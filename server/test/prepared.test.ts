import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ormOptions } from '../src/db/orm.js';
import { preparedRows } from '../src/db/prepared.js';
import { entities } from '../src/modules/entities.js';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('named prepared statements', () => {
  it('keep one plan each, whatever their parameters (PostgreSQL would plan a custom one for each run first)', async () => {
    // one connection, so that the statements and PostgreSQL's counts of their plans are on the same session
    const orm = await MikroORM.init(ormOptions(server.databaseUrl, entities, { poolMax: 1 }));
    try {
      const em = orm.em.fork();
      for (let i = 0; i < 8; i++) expect(await preparedRows(em, 'select id from thread where id = ? limit ?', [randomUUID(), 21])).toEqual([]);
      const [plans] = await preparedRows(em, 'select generic_plans, custom_plans from pg_prepared_statements where statement = ?', ['select id from thread where id = $1 limit $2']);
      expect({ generic: Number(plans.generic_plans), custom: Number(plans.custom_plans) }).toEqual({ generic: 8, custom: 0 });
    } finally {
      await orm.close();
    }
  });
});
