import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { badInput } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Viewer } from '../../policy/viewer.js';

const FLUSH_MS = 10_000;
const ELIGIBILITY_TTL_MS = 60_000;
const MAX_PERIOD_DAYS = 366;
/** SQL on a user `u`: counted in statistics (USAGE_ANALYTICS holds, by default yes, and processing is not restricted) */
const COUNTED = `(u.processing_restricted_at is null and coalesce((select granted from consent c where c.user_id = u.id and c.purpose = 'USAGE_ANALYTICS' order by c.id desc limit 1), true))`;

/**
 * Anonymised usage statistics: how often each operation ran per day, counted only for people whose
 * USAGE_ANALYTICS consent holds and whose processing is not restricted. Counts are kept in memory and added
 * to the day's totals every few seconds; nothing about the person is stored. Small groups are suppressed.
 */
export class UsageService {
  private pending = new Map<string, number>();
  private readonly eligible = new Map<string, { allowed: boolean; at: number }>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly deps: { orm: MikroORM; log: Logger; anonymityThreshold: number }) {
    this.timer = setInterval(() => void this.flush().catch((error) => deps.log.warn({ err: error }, 'usage flush failed')), FLUSH_MS);
    this.timer.unref();
  }

  get anonymityThreshold(): number {
    return this.deps.anonymityThreshold;
  }

  /**
   * Counts the operation's root fields (schema names, never client-chosen text) for an eligible person. Without a
   * promise when the person's eligibility is known: this runs for every operation.
   */
  record(viewer: Viewer, rootFields: string[], now = Date.now()): void | Promise<void> {
    if (viewer.kind !== 'user' || rootFields.length === 0) return;
    const cached = this.eligible.get(viewer.userId);
    if (cached && now - cached.at < ELIGIBILITY_TTL_MS) return this.count(cached.allowed, rootFields, now);
    // statistics never fail a request
    return this.allows(viewer.userId).then(
      (allowed) => this.count(allowed, rootFields, now),
      (error) => this.deps.log.warn({ err: error }, 'usage eligibility unknown; not counted'),
    );
  }

  /** the day (UTC) the counts of `now` go to, worked out again only when a day has passed */
  private day = { from: 0, to: 0, name: '' };

  private count(allowed: boolean, rootFields: string[], now: number): void {
    if (!allowed) return;
    if (now < this.day.from || now >= this.day.to) {
      const from = now - (now % 86_400_000);
      this.day = { from, to: from + 86_400_000, name: new Date(from).toISOString().slice(0, 10) };
    }
    for (const field of rootFields) {
      const key = `${this.day.name}|${field}`;
      this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
    }
  }

  /** Forgets the cached answer for one person (their consent or restriction changed). */
  forget(userId: string): void {
    this.eligible.delete(userId);
  }

  private async allows(userId: string): Promise<boolean> {
    const [row] = await this.deps.orm.em.fork().execute<{ allowed: boolean }[]>(
      `select ${COUNTED} as allowed from users u where u.id = ?`,
      [userId],
    );
    const allowed = row?.allowed ?? false;
    this.eligible.set(userId, { allowed, at: Date.now() });
    return allowed;
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const rows = [...batch].map(([key, count]) => {
      const [day, field] = key.split('|');
      return { day, key: field, count };
    });
    await this.deps.orm.em
      .fork()
      .getKnex()('usage_count')
      .insert(rows)
      .onConflict(['day', 'key'])
      .merge({ count: this.deps.orm.em.getKnex().raw('usage_count.count + excluded.count') });
  }

  stop(): Promise<void> {
    clearInterval(this.timer);
    return this.flush();
  }

  /** Totals per operation and active people for a period; any number below the threshold is null. */
  async statistics(em: EntityManager, from: Date, to: Date): Promise<{ from: Date; to: Date; anonymityThreshold: number; activeUsers: number | null; byOperation: { key: string; count: number | null }[] }> {
    if (!(from < to)) throw badInput('from must be before to.', 'from');
    if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * 86_400_000) throw badInput(`A period is at most ${MAX_PERIOD_DAYS} days.`, 'to');
    const threshold = this.deps.anonymityThreshold;
    const suppress = (n: number) => (n >= threshold ? n : null);
    const counts = (await em
      .getKnex()('usage_count')
      .select('key')
      .sum('count as total')
      // whole days: from's day through to's day
      .whereBetween('day', [from.toISOString().slice(0, 10), to.toISOString().slice(0, 10)])
      .groupBy('key')
      .orderBy('key')) as { key: string; total: string }[];
    const [active] = await em.execute<{ n: string }[]>(
      `select count(distinct s.user_id) as n from session s join users u on u.id = s.user_id
        where s.last_used_at >= ? and s.last_used_at < ? and ${COUNTED}`,
      [from, to],
    );
    return {
      from,
      to,
      anonymityThreshold: threshold,
      activeUsers: suppress(Number(active?.n ?? 0)),
      byOperation: counts.map((c) => ({ key: c.key, count: suppress(Number(c.total)) })),
    };
  }
}
