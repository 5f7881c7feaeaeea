import 'reflect-metadata';
import { loadConfig } from './config.js';
import { createLogger } from './log.js';
import { openDatabaseFor, serviceDeps } from './server.js';
import { createServices } from './modules/services.js';
import { InProcessPubSub } from './realtime/pubsub.js';
import { BACKUP_MAX_AGE_DAYS, createBackup, pruneBackups, restoreBackup } from './db/backup.js';
import { startEmbeddedPostgres } from './db/embedded.js';

const usage = `Usage:
  pnpm cli admin grant <username-or-email>   make a user a platform admin
  pnpm cli backup create                     pg_dump the database into BACKUP_DIR
  pnpm cli backup prune                      delete backups older than 56 days
  pnpm cli backup restore <file>             restore a backup into the (empty) database`;

/** Operator commands; they use the same configuration (and embedded database) as the server. */
async function main(argv: string[]): Promise<number> {
  const [area, verb, arg] = argv;
  const config = loadConfig();
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  if (area === 'backup') return backup(config, log, verb, arg);
  if (area !== 'admin' || verb !== 'grant' || !arg) {
    console.error(usage);
    return 2;
  }
  const database = await openDatabaseFor(config, log);
  try {
    // the CLI publishes nothing that live clients wait for
    const noJobs = async () => {
      throw new Error('The CLI runs no background jobs.');
    };
    const services = createServices(await serviceDeps(config, database.orm, log, new InProcessPubSub(), noJobs));
    const user = await services.accounts.grantPlatformAdmin(database.orm.em.fork(), arg);
    console.log(`${user.username} (${user.id}) is now a platform admin.`);
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return 1;
  } finally {
    await database.close();
  }
}

process.exit(await main(process.argv.slice(2)));

async function backup(config: ReturnType<typeof loadConfig>, log: ReturnType<typeof createLogger>, verb: string | undefined, file: string | undefined): Promise<number> {
  if (verb === 'prune') {
    const deleted = await pruneBackups(config.backupDir);
    console.log(`Deleted ${deleted.length} backup(s) older than ${BACKUP_MAX_AGE_DAYS} days from ${config.backupDir}.`);
    return 0;
  }
  if (verb !== 'create' && !(verb === 'restore' && file)) {
    console.error(usage);
    return 2;
  }
  // the database server, and for a restore its empty database, without migrating it first
  const url = config.databaseUrl ?? (await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, database: 'client_online', log })).url;
  try {
    if (verb === 'create') console.log(`Wrote ${await createBackup(url, config.backupDir)}`);
    else {
      await restoreBackup(url, file!);
      console.log(`Restored ${file}.`);
    }
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return 1;
  }
}
