import type { MikroORM } from '@mikro-orm/postgresql';
import { configurePasswordWork } from './auth/passwords.js';
import { Sessions } from './auth/sessions.js';
import { SignInLimiter } from './auth/sign-in-limiter.js';
import { loadEncryptionKey, SecretBox } from './auth/secret-box.js';
import { StepUp } from './auth/step-up.js';
import type { Config } from './config.js';
import { openDatabase } from './db/orm.js';
import { startEmbeddedPostgres } from './db/embedded.js';
import { startTransports } from './http/server.js';
import { DAILY_QUEUE, dailyHousekeeping } from './jobs/daily.js';
import { startJobs } from './jobs/queue.js';
import { OutboxMailer, SmtpMailer } from './mail/mailer.js';
import { NEWSLETTER_QUEUE, type Enqueue } from './modules/newsletters/newsletter.service.js';
import { PurposeTokens } from './auth/purpose-tokens.js';
import { createLogger, type Logger } from './log.js';
import { entities } from './modules/entities.js';
import { createServices, type Services } from './modules/services.js';
import { appSchema } from './schema.js';
import { createMetrics, type Metrics } from './metrics.js';
import { InProcessPubSub, type PubSub } from './realtime/pubsub.js';
import { RedisPubSub } from './realtime/redis-pubsub.js';
import { channels, type AccountClosedMessage } from './realtime/channels.js';

export type RunningServer = { url: string; orm: MikroORM; services: Services; log: Logger; stop(): Promise<void> };

/** Opens the database (the embedded one when no DATABASE_URL), wires the services, and connects them to the database and the transports. */
export async function openDatabaseFor(config: Config, log: Logger) {
  const embedded = config.databaseUrl
    ? null
    : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, database: 'client_online', log });
  try {
    const url = config.databaseUrl ?? embedded!.url;
    const orm = await openDatabase(url, entities, { poolMax: config.dbPoolMax, log });
    return {
      url,
      orm,
      async close() {
        await orm.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

async function connectRedis(url: string, prefix: string, log: Logger): Promise<RedisPubSub> {
  const redis = new RedisPubSub(url, prefix, log);
  try {
    await redis.ready();
  } catch (error) {
    await redis.close();
    throw error;
  }
  return redis;
}

/** Counts what is published, by channel kind (the part before the id). */
function countPublished(pubsub: PubSub, metrics: Metrics): PubSub {
  return {
    publish: (channel, message) => {
      metrics.eventsPublished.inc({ channel: channel.split(':')[0] });
      return pubsub.publish(channel, message);
    },
    subscribe: (channel, listener) => pubsub.subscribe(channel, listener),
    close: () => pubsub.close(),
  };
}

/** What the services are made of, for the server and the CLI alike. */
export async function serviceDeps(config: Config, orm: MikroORM, log: Logger, pubsub: PubSub, enqueue: Enqueue) {
  const knex = orm.em.getKnex();
  const key = await loadEncryptionKey(config.encryptionKey, config.dataDir);
  return {
    sessions: new Sessions(config.sessionTtlMs, config.sessionCacheMs),
    limiter: new SignInLimiter(knex, config.signIn),
    stepUp: new StepUp(knex, new SecretBox(key), config.stepUp),
    documentLimits: config.documents,
    mailer: config.smtpUrl ? new SmtpMailer(config.smtpUrl, config.mailFrom) : new OutboxMailer(config.mailFrom),
    unsubscribeTokens: new PurposeTokens(key, 'newsletter-unsubscribe'),
    publicUrl: config.publicUrl,
    enqueue,
    retention: { auditIpRetentionDays: config.auditIpRetentionDays, anonymityThreshold: config.anonymityThreshold },
    log,
    orm,
    pubsub,
  };
}

/** config → database → services → transports; stop() undoes them in reverse. */
export async function startServer(config: Config, log: Logger = createLogger(config.logLevel)): Promise<RunningServer> {
  configurePasswordWork(config.passwordWork);
  const database = await openDatabaseFor(config, log);
  const { orm } = database;
  try {
    const schema = await appSchema();
    const metrics = createMetrics();
    const pubsub = countPublished(config.redisUrl ? await connectRedis(config.redisUrl, config.redisPrefix, log) : new InProcessPubSub(), metrics);
    const jobs = await startJobs(database.url, log, [NEWSLETTER_QUEUE, DAILY_QUEUE], metrics);
    const deps = { ...(await serviceDeps(config, orm, log, pubsub, jobs.enqueue)), metrics };
    const services = createServices(deps);
    // ended sessions stop working on every process at once, not when this process's cache entry runs out
    const stopForgetting = await pubsub.subscribe(channels.accountClosed(), (message) => services.sessions.forget(message as AccountClosedMessage));
    await jobs.work(NEWSLETTER_QUEUE, (data: { newsletterId: string }) => services.newsletters.deliver(data.newsletterId));
    await jobs.daily(DAILY_QUEUE, '17 3 * * *', () => dailyHousekeeping(config, services, orm, log));
    metrics.beforeScrape.push(async () => {
      const { open, overdue } = await services.privacyRequests.openAndOverdue(orm.em.fork());
      metrics.privacyRequestsOpen.set(open);
      metrics.privacyRequestsOverdue.set(overdue);
    });
    const transports = await startTransports({ config, log, orm, schema, services, metrics });
    log.info({ url: transports.url, embeddedDatabase: config.databaseUrl === null }, 'Client Online is listening');
    return {
      url: transports.url,
      orm,
      services,
      log,
      async stop() {
        await transports.close();
        stopForgetting();
        await services.usage.stop();
        await jobs.stop();
        await pubsub.close();
        deps.mailer.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
