import PgBoss from 'pg-boss';
import { JOB_SCHEMA_LOCK, withAdvisoryLock } from '../db/orm.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';

export type Jobs = {
  enqueue(queue: string, data: object): Promise<void>;
  /** runs the handler for the queue's jobs on this process (every process may: a job goes to one of them) */
  work(queue: string, handler: (data: any) => Promise<void>): Promise<void>;
  /** runs the handler once a day (cron, UTC) on one of the processes */
  daily(queue: string, cron: string, handler: () => Promise<unknown>): Promise<void>;
  stop(): Promise<void>;
};

/**
 * Background jobs in the same PostgreSQL (pg-boss, schema "pgboss"): safe with several server processes.
 * Its schema and queues are set up under an advisory lock: processes starting together would deadlock on them.
 */
export async function startJobs(url: string, log: Logger, queueNames: string[], metrics?: Metrics): Promise<Jobs> {
  const boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 4 });
  boss.on('error', (error) => log.error({ err: { message: error.message } }, 'job queue error'));
  const queues = new Set<string>();
  await withAdvisoryLock(url, JOB_SCHEMA_LOCK, async () => {
    await boss.start();
    for (const queue of queueNames) await ensureQueue(queue);
  });
  const counted = async (queue: string, run: () => Promise<unknown>) => {
    try {
      await run();
      metrics?.jobRuns.inc({ queue, outcome: 'ok' });
    } catch (error) {
      metrics?.jobRuns.inc({ queue, outcome: 'failed' });
      throw error;
    }
  };
  async function ensureQueue(queue: string) {
    if (queues.has(queue)) return;
    await boss.createQueue(queue, { name: queue, retryLimit: 5, retryDelay: 5, retryBackoff: true });
    queues.add(queue);
  }
  return {
    async enqueue(queue, data) {
      await ensureQueue(queue);
      await boss.send(queue, data);
    },
    async work(queue, handler) {
      await ensureQueue(queue);
      await boss.work(queue, { pollingIntervalSeconds: 0.5 }, async (jobs) => {
        for (const job of jobs) await counted(queue, () => handler(job.data));
      });
    },
    async daily(queue, cron, handler) {
      await ensureQueue(queue);
      await boss.schedule(queue, cron, {}, { tz: 'UTC' });
      await boss.work(queue, async () => {
        await counted(queue, handler);
      });
    },
    async stop() {
      await boss.stop({ graceful: true, timeout: 5000, wait: true });
    },
  };
}
