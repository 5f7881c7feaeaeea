import 'reflect-metadata';
import { loadConfig } from './config.js';
import { createLogger } from './log.js';
import { openDatabaseFor, serviceDeps } from './server.js';
import { createServices } from './modules/services.js';
import { InProcessPubSub } from './realtime/pubsub.js';

const usage = `Usage:
  pnpm cli admin grant <username-or-email>   make a user a platform admin`;

/** Operator commands; they use the same configuration (and embedded database) as the server. */
async function main(argv: string[]): Promise<number> {
  const [area, verb, arg] = argv;
  if (area !== 'admin' || verb !== 'grant' || !arg) {
    console.error(usage);
    return 2;
  }
  const config = loadConfig();
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
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
