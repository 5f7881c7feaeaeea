import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, notFound } from '../../errors.js';
import type { Logger } from '../../log.js';
import { channels } from '../../realtime/channels.js';
import { ring, type PubSub } from '../../realtime/pubsub.js';
import { Partner } from '../partners/partner.entity.js';
import { User } from '../users/user.entity.js';
import { isUuid } from '../validation.js';
import { ConsentRecord, type ConsentPurpose, type ConsentSource } from './consent.entity.js';

/** The defaults before any record: analytics rests on legitimate interest (objectable), the rest is opt-in. */
export const consentDefaults: Record<ConsentPurpose, boolean> = {
  NEWSLETTER: false,
  PARTNER_SHARING: false,
  USAGE_ANALYTICS: true,
};

/** The consent ledger: append-only records; a purpose's (and partner's) current state is its latest record. */
export class ConsentService {
  constructor(private readonly deps: { pubsub: PubSub; log: Logger }) {}

  /** Adds a record (inside the caller's transaction when there is one). */
  record(em: EntityManager, userId: string, purpose: ConsentPurpose, granted: boolean, source: ConsentSource, partnerId: string | null = null): ConsentRecord {
    const record = em.create(ConsentRecord, {
      user: em.getReference(User, userId),
      purpose,
      granted,
      source,
      at: new Date(),
      partner: partnerId ? em.getReference(Partner, partnerId) : null,
    });
    em.persist(record);
    return record;
  }

  /** A person's choice, from the account, the API or a newsletter link; live partner subscriptions hear it at once. */
  async set(em: EntityManager, userId: string, input: { purpose: ConsentPurpose; partnerId?: string | null; granted: boolean }, source: ConsentSource): Promise<ConsentRecord> {
    const partnerId = input.partnerId ?? null;
    if (input.purpose === 'PARTNER_SHARING') {
      if (!partnerId) throw badInput('Name the partner this consent is for.', 'partnerId');
      if (!isUuid(partnerId) || !(await em.findOne(Partner, { id: partnerId }))) throw notFound('Partner');
    } else if (partnerId) {
      throw badInput('Only PARTNER_SHARING is given per partner.', 'partnerId');
    }
    const record = await em.transactional(async (tx) => this.record(tx, userId, input.purpose, input.granted, source, partnerId));
    if (partnerId) {
      await ring(this.deps, channels.partnerConsent(partnerId), { userId, granted: input.granted });
    }
    this.deps.log.info({ userId, purpose: input.purpose, partnerId, granted: input.granted, source }, 'consent recorded');
    return record;
  }

  /** The whole ledger of one person, newest first. */
  history(em: EntityManager, userId: string): Promise<ConsentRecord[]> {
    return em.find(ConsentRecord, { user: userId }, { orderBy: { id: 'desc' }, populate: ['partner'] });
  }

  /** Current state of one purpose for many people in one statement (the latest record per person wins). */
  currentLoader(em: EntityManager, purpose: ConsentPurpose): DataLoader<string, boolean> {
    return new DataLoader(async (userIds) => {
      const rows: { user_id: string; granted: boolean }[] = await em
        .getKnex()('consent')
        .distinctOn('user_id')
        .select('user_id', 'granted')
        .where({ purpose })
        .whereNull('partner_id')
        .whereIn('user_id', userIds as string[])
        .orderBy([{ column: 'user_id' }, { column: 'id', order: 'desc' }]);
      const byUser = new Map(rows.map((r) => [r.user_id, r.granted]));
      return userIds.map((id) => byUser.get(id) ?? consentDefaults[purpose]);
    });
  }
}
