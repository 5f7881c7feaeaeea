import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConsentRecord, type ConsentPurpose, type ConsentSource } from './consent.entity.js';

/** The defaults before any record: analytics rests on legitimate interest (objectable), the rest is opt-in. */
export const consentDefaults: Record<ConsentPurpose, boolean> = {
  NEWSLETTER: false,
  PARTNER_SHARING: false,
  USAGE_ANALYTICS: true,
};

export class ConsentService {
  record(em: EntityManager, userId: string, purpose: ConsentPurpose, granted: boolean, source: ConsentSource, at = new Date()): ConsentRecord {
    const record = em.create(ConsentRecord, { user: userId, purpose, granted, source, at, partnerId: null });
    em.persist(record);
    return record;
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
        .orderBy([{ column: 'user_id' }, { column: 'at', order: 'desc' }]);
      const byUser = new Map(rows.map((r) => [r.user_id, r.granted]));
      return userIds.map((id) => byUser.get(id) ?? consentDefaults[purpose]);
    });
  }
}
