import type { EntityManager } from '@mikro-orm/postgresql';
import { affectedRows } from '../../db/statements.js';
import type { Logger } from '../../log.js';

export type RetentionReport = { approvalNamesPurged: number; auditIpsCleared: number; sessionsDeleted: number; rateLimitsDeleted: number };

/**
 * What is kept only as long as needed, removed when its time is up. Safe to run on every process at once:
 * each step is one idempotent statement. `now` is a parameter, so tests move the clock instead of sleeping.
 */
export class RetentionService {
  constructor(private readonly deps: { log: Logger; auditIpRetentionDays: number }) {}

  async run(em: EntityManager, now = new Date()): Promise<RetentionReport> {
    const count = (sql: string, params: unknown[]) => affectedRows(em, sql, params);
    const ipCutoff = new Date(now.getTime() - this.deps.auditIpRetentionDays * 86_400_000);
    const report: RetentionReport = {
      // the legal retention of the approval log is over: the name snapshot goes, the decision stays
      approvalNamesPurged: await count('update approval_decision set approver_name = null where retain_until <= ? and approver_name is not null', [now]),
      auditIpsCleared: await count('update audit_event set ip = null where at < ? and ip is not null', [ipCutoff]),
      sessionsDeleted: await count('delete from session where expires_at < ? or revoked_at < ?', [now, ipCutoff]),
      rateLimitsDeleted: await count('delete from rate_limit where expire is not null and expire < ?', [now.getTime()]),
    };
    this.deps.log.info(report, 'retention run');
    return report;
  }
}
