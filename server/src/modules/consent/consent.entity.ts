import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

export type ConsentPurpose = 'NEWSLETTER' | 'PARTNER_SHARING' | 'USAGE_ANALYTICS';
export type ConsentSource = 'SIGNUP' | 'ACCOUNT' | 'NEWSLETTER_LINK' | 'API' | 'OBJECTION';

/** One entry of the append-only consent ledger: the current state of a purpose is its latest record. */
@Entity({ tableName: 'consent' })
@Index({ name: 'consent_user_purpose_index', properties: ['userId', 'purpose', 'at'] })
export class ConsentRecord {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'string', length: 32 })
  purpose!: ConsentPurpose;

  @Property({ type: 'uuid', nullable: true })
  partnerId: string | null = null;

  @Property({ type: 'boolean' })
  granted!: boolean;

  @Property({ type: 'string', length: 32 })
  source!: ConsentSource;

  @Property({ type: 'datetime' })
  at: Date = new Date();
}
