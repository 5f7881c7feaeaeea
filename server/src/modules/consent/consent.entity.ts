import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { User } from '../users/user.entity.js';

export type ConsentPurpose = 'NEWSLETTER' | 'PARTNER_SHARING' | 'USAGE_ANALYTICS';
export type ConsentSource = 'SIGNUP' | 'ACCOUNT' | 'NEWSLETTER_LINK' | 'API' | 'OBJECTION';

/** One entry of the append-only consent ledger: the current state of a purpose is its latest record. */
@Entity({ tableName: 'consent' })
@Index({ name: 'consent_user_purpose_index', properties: ['user', 'purpose', 'at'] })
export class ConsentRecord {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  user!: Ref<User>;

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
