import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('migrations', () => {
  it('bring the database exactly to what the entities declare (no schema drift)', async () => {
    const diff = await server.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim(), diff).toBe("");
  });

  it('are recorded, so a restart applies nothing twice', async () => {
    const executed = await server.orm.getMigrator().getExecutedMigrations();
    expect(executed.length).toBeGreaterThan(0);
    expect(await server.orm.getMigrator().getPendingMigrations()).toEqual([]);
  });
});
