import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config.js';
import { pruneBackups } from '../db/backup.js';
import type { Logger } from '../log.js';
import type { Services } from '../modules/services.js';

export const DAILY_QUEUE = 'daily-housekeeping';

/**
 * Once a day, on whichever process takes the job: retention (name snapshots past their legal period, old IP
 * addresses, expired sessions and rate limits), backups past 56 days, and how many privacy requests are overdue.
 */
export async function dailyHousekeeping(config: Config, services: Services, orm: MikroORM, log: Logger, now = new Date()) {
  const em = orm.em.fork();
  const retention = await services.retention.run(em, now);
  const prunedBackups = await pruneBackups(config.backupDir, now);
  const requests = await services.privacyRequests.openAndOverdue(em, now);
  log.info({ retention, prunedBackups: prunedBackups.length, openPrivacyRequests: requests.open, overduePrivacyRequests: requests.overdue }, 'daily housekeeping');
  return { retention, prunedBackups, requests };
}
