import 'reflect-metadata';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { createTestDatabase } from './database.js';
import { GraphQLClient } from './graphql-client.js';

export type TestServer = RunningServer & {
  /** the test database's connection URL */
  databaseUrl: string;
  /** the test database, for asserting what was (not) written */
  sql<T extends Record<string, unknown> = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  client(token?: string): GraphQLClient;
  /** a partner's software, with its API key */
  partnerClient(apiKey: string): GraphQLClient;
  close(): Promise<void>;
};

/** The real server (HTTP + WebSocket) on a random port of 127.0.0.1, with its own fresh database. */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: database.url,
    DB_POOL_MAX: '4',
    ...env,
  });
  const server = await startServer(config, createLogger(config.logLevel));
  return {
    ...server,
    databaseUrl: database.url,
    async sql(text, values) {
      const result = await database.query(text, values as unknown[]);
      return result.rows;
    },
    client: (token) => new GraphQLClient(server.url, token),
    partnerClient: (apiKey) => new GraphQLClient(server.url, apiKey, 'ApiKey'),
    async close() {
      await server.stop();
      await database.drop();
    },
  };
}
