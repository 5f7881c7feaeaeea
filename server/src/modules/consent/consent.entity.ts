import { Entity, Index, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Partner } from '../partners/partner.entity.js';
import { User } from '../users/user.entity.js';

export type ConsentPurpose = 'NEWSLETTER' | 'PARTNER_SHARING' | 'USAGE_ANALYTICS';
export type ConsentSource = 'SIGNUP' | 'ACCOUNT' | 'NEWSLETTER_LINK' | 'API' | 'OBJECTION';

/** One entry of the append-only consent ledger: the current state of a purpose is its latest record. */
@Entity({ tableName: 'consent' })
// the ledger's reads: a person's purpose (and partner), newest first
@Index({ name: 'consent_user_purpose_index', properties: ['user', 'purpose', 'id'] })
export class ConsentRecord {
  /** increasing: the latest record of a purpose is the one with the highest id */
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  user!: Ref<User>;

  @Property({ type: 'string', length: 32 })
  purpose!: ConsentPurpose;

  /** for PARTNER_SHARING: the one partner this consent is for */
  @ManyToOne(() => Partner, { ref: true, nullable: true, deleteRule: 'cascade' })
  partner: Ref<Partner> | null = null;

  @Property({ type: 'boolean' })
  granted!: boolean;

  @Property({ type: 'string', length: 32 })
  source!: ConsentSource;

  @Property({ type: 'datetime' })
  at: Date = new Date();
}
