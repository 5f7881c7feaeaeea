import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded.js';
import { createLogger } from '../../src/log.js';
import { freePort } from './ports.js';

let embedded: EmbeddedDatabase | undefined;

/**
 * One PostgreSQL server for the run: DATABASE_URL when given (CI: the machine's), else an embedded one in a
 * temporary directory. Each test file makes its own database on it (support/server.ts).
 */
export default async function setup(project: TestProject) {
  let url = process.env.DATABASE_URL;
  if (!url) {
    const dataDir = await mkdtemp(join(tmpdir(), 'client-online-test-pg-'));
    embedded = await startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      database: 'postgres',
      log: createLogger('warn'),
      persistent: false,
    });
    url = embedded.url;
  }
  project.provide('databaseUrl', url);
  return async () => {
    await embedded?.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
