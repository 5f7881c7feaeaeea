import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '../../errors.js';
import type { Logger } from '../../log.js';
import { channels, type PartnerConsentMessage } from '../../realtime/channels.js';
import { ring, type PubSub } from '../../realtime/pubsub.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import { User } from '../users/user.entity.js';
import { isUuid } from '../validation.js';

/**
 * Restriction of processing: the person's data is kept but not used for statistics, newsletters or partner
 * sharing (the queries that feed those skip restricted people), until an admin lifts it.
 */
export class RestrictionService {
  constructor(private readonly deps: { pubsub: PubSub; log: Logger; audit: AuditService }) {}

  restrict(em: EntityManager, actor: Actor, userId: string): Promise<void> {
    return this.set(em, actor, userId, true);
  }

  lift(em: EntityManager, actor: Actor, userId: string): Promise<void> {
    return this.set(em, actor, userId, false);
  }

  private async set(em: EntityManager, actor: Actor, userId: string, restricted: boolean): Promise<void> {
    const user = isUuid(userId) ? await em.findOne(User, { id: userId, erasedAt: null }) : null;
    if (!user) throw notFound('User');
    user.processingRestrictedAt = restricted ? new Date() : null;
    await em.flush();
    await this.deps.audit.by(em, actor, restricted ? 'processing-restricted' : 'processing-restriction-lifted', { subjectUserId: userId });
    // live partner subscriptions hold who consented: tell them, as a withdrawal or a renewed consent
    const partners: { partner_id: string }[] = await em.execute(
      `select partner_id from (select distinct on (partner_id) partner_id, granted from consent
          where user_id = ? and purpose = 'PARTNER_SHARING' order by partner_id, id desc) latest where granted`,
      [userId],
    );
    for (const { partner_id } of partners) {
      const message: PartnerConsentMessage = { userId, granted: !restricted };
      await ring(this.deps, channels.partnerConsent(partner_id), message);
    }
    this.deps.log.info({ userId, restricted }, 'processing restriction changed');
  }
}
