import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { PurposeTokens } from '../../auth/purpose-tokens.js';
import { affectedRows } from '../../db/statements.js';
import { badInput } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Mailer } from '../../mail/mailer.js';
import { asPerson } from '../../policy/viewer.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import type { ConsentService } from '../consent/consent.service.js';
import { User } from '../users/user.entity.js';
import { lineText, multilineText, parseInput } from '../validation.js';
import { Newsletter, NewsletterProgress } from './newsletter.entity.js';

export const NEWSLETTER_QUEUE = 'newsletter';
export type Enqueue = (queue: string, data: { newsletterId: string }) => Promise<void>;
/** a delivery that failed this often is given up (FAILED) */
const MAX_ATTEMPTS = 5;
const BATCH = 25;

const newsletterInput = z.object({
  subject: lineText('Subject', 200),
  body: multilineText('The newsletter', 100_000),
});

/**
 * Newsletters go only to people whose NEWSLETTER consent holds and whose processing is not restricted, in the background: one delivery row per
 * person, claimed by one worker at a time (several processes may work at once) and marked sent after sending,
 * so nobody gets one twice; failures are retried a few times, then given up.
 */
export class NewsletterService {
  constructor(
    private readonly deps: {
      orm: MikroORM;
      log: Logger;
      consent: ConsentService;
      mailer: Mailer;
      tokens: PurposeTokens;
      publicUrl: string;
      enqueue: Enqueue;
      audit: AuditService;
    },
  ) {}

  /** Queues a newsletter; returns the number of recipients. */
  async send(em: EntityManager, actor: Actor, subject: string, body: string): Promise<number> {
    const admin = asPerson(actor.viewer);
    const data = parseInput(newsletterInput, { subject, body });
    const { newsletter, recipients } = await em.transactional(async (tx) => {
      const created = tx.create(Newsletter, { subject: data.subject, body: data.body, createdBy: tx.getReference(User, admin.userId) });
      await tx.persist(created).flush();
      const recipients = await affectedRows(
        tx,
        `insert into newsletter_delivery (newsletter_id, user_id, status, attempts)
         select ?, u.id, 'PENDING', 0 from users u
           join lateral (select c.granted from consent c
                          where c.user_id = u.id and c.purpose = 'NEWSLETTER' and c.partner_id is null
                          order by c.id desc limit 1) latest on true
          where latest.granted and u.email is not null and u.processing_restricted_at is null`,
        [created.id],
      );
      return { newsletter: created, recipients };
    });
    await this.deps.enqueue(NEWSLETTER_QUEUE, { newsletterId: newsletter.id });
    await this.deps.audit.by(em, actor, 'newsletter-sent', { details: { newsletterId: newsletter.id, recipients } });
    this.deps.log.info({ newsletterId: newsletter.id, recipients, by: admin.userId }, 'newsletter queued');
    return recipients;
  }

  /** The worker: sends what is pending, batch by batch. Throws when some must be tried again later. */
  async deliver(newsletterId: string): Promise<void> {
    const em = this.deps.orm.em.fork();
    const newsletter = await em.findOneOrFail(Newsletter, { id: newsletterId });
    let retryLater = 0;
    for (;;) {
      const claimed: { id: string; user_id: string; email: string; attempts: number }[] = await em.execute(
        `update newsletter_delivery d set status = 'SENDING', attempts = d.attempts + 1
           from users u
          where d.user_id = u.id and d.id in (
                select id from newsletter_delivery where newsletter_id = ? and status = 'PENDING'
                 order by id limit ? for update skip locked)
          returning d.id, d.user_id, u.email, d.attempts`,
        [newsletterId, BATCH],
      );
      if (claimed.length === 0) break;
      for (const delivery of claimed) {
        const link = this.unsubscribeLink(delivery.user_id);
        try {
          await this.deps.mailer.send(em, {
            to: delivery.email,
            subject: newsletter.subject,
            text: `${newsletter.body}\n\n--\nU ontvangt deze nieuwsbrief omdat u zich daarvoor heeft aangemeld. Afmelden: ${link}\n`,
            headers: { 'List-Unsubscribe': `<${link}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
          });
          await em.execute(`update newsletter_delivery set status = 'SENT', sent_at = now() where id = ?`, [delivery.id]);
          this.deps.log.info({ newsletterId, deliveryId: delivery.id, userId: delivery.user_id }, 'newsletter delivered');
        } catch (error) {
          const givenUp = delivery.attempts >= MAX_ATTEMPTS;
          await em.execute(`update newsletter_delivery set status = ? where id = ?`, [givenUp ? 'FAILED' : 'PENDING', delivery.id]);
          if (!givenUp) retryLater++;
          this.deps.log.warn({ newsletterId, deliveryId: delivery.id, attempts: delivery.attempts, givenUp, err: { message: (error as Error).message } }, 'newsletter delivery failed');
        }
      }
      // what failed now waits for the next run (pg-boss retries with backoff), not for this loop
      if (retryLater > 0) break;
    }
    if (retryLater > 0) throw new Error(`${retryLater} newsletter deliveries to retry`);
  }

  unsubscribeLink(userId: string): string {
    return `${this.deps.publicUrl}/unsubscribe?token=${this.deps.tokens.issue(userId)}`;
  }

  /** From the link in a newsletter, without signing in: withdraws NEWSLETTER consent (source NEWSLETTER_LINK). */
  async unsubscribe(em: EntityManager, token: string): Promise<void> {
    const userId = this.deps.tokens.verify(token);
    const user = userId ? await em.findOne(User, { id: userId }) : null;
    if (!user) throw badInput('This unsubscribe link is not valid.', 'token');
    const subscribed = await this.deps.consent.currentLoader(em, 'NEWSLETTER').load(user.id);
    if (subscribed) await this.deps.consent.set(em, user.id, { purpose: 'NEWSLETTER', granted: false }, 'NEWSLETTER_LINK');
  }

  async progress(em: EntityManager): Promise<NewsletterProgress[]> {
    const newsletters = await em.find(Newsletter, {}, { orderBy: { createdAt: 'desc' }, limit: 50 });
    if (newsletters.length === 0) return [];
    const rows: { newsletter_id: string; status: string; n: string }[] = await em
      .getKnex()('newsletter_delivery')
      .select('newsletter_id', 'status')
      .count('* as n')
      .whereIn('newsletter_id', newsletters.map((n) => n.id))
      .groupBy('newsletter_id', 'status');
    const count = (id: string, ...statuses: string[]) => rows.filter((r) => r.newsletter_id === id && statuses.includes(r.status)).reduce((sum, r) => sum + Number(r.n), 0);
    return newsletters.map((newsletter) => ({
      newsletter,
      recipients: count(newsletter.id, 'PENDING', 'SENDING', 'SENT', 'FAILED'),
      sent: count(newsletter.id, 'SENT'),
      failed: count(newsletter.id, 'FAILED'),
      pending: count(newsletter.id, 'PENDING', 'SENDING'),
    }));
  }
}
