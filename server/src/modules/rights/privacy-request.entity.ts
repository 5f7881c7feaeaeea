import { randomUUID } from 'node:crypto';
import { Entity, Enum, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { User } from '../users/user.entity.js';

export const privacyRequestTypes = ['ACCESS', 'RECTIFICATION', 'ERASURE', 'RESTRICTION', 'OBJECTION', 'PORTABILITY'] as const;
export type PrivacyRequestType = (typeof privacyRequestTypes)[number];
export type PrivacyRequestStatus = 'OPEN' | 'COMPLETED' | 'REJECTED';
export const PrivacyRequestTypeEnum = Object.fromEntries(privacyRequestTypes.map((t) => [t, t])) as { [K in PrivacyRequestType]: K };
registerEnumType(PrivacyRequestTypeEnum, { name: 'PrivacyRequestType' });
export const PrivacyRequestStatusEnum = { OPEN: 'OPEN', COMPLETED: 'COMPLETED', REJECTED: 'REJECTED' } as const satisfies Record<PrivacyRequestStatus, PrivacyRequestStatus>;
registerEnumType(PrivacyRequestStatusEnum, { name: 'PrivacyRequestStatus' });

/** A data-subject request that is not self-service: answered within one month, a refusal always with reasons. */
@ObjectType()
@Entity()
export class PrivacyRequest {
  [OptionalProps]?: 'createdAt' | 'status' | 'details' | 'resolvedAt' | 'rejectionReason' | 'resolvedBy';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => PrivacyRequestTypeEnum)
  @Enum({ items: [...privacyRequestTypes], columnType: 'varchar(16)' })
  type!: PrivacyRequestType;

  @Field(() => PrivacyRequestStatusEnum)
  @Enum({ items: ['OPEN', 'COMPLETED', 'REJECTED'], columnType: 'varchar(16)', default: 'OPEN' })
  status: PrivacyRequestStatus = 'OPEN';

  /** the person's own words: cleared on erasure */
  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  details: string | null = null;

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade', index: true })
  requester!: Ref<User>;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => Date, { description: 'createdAt plus one month' })
  @Property({ type: 'datetime' })
  dueAt!: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  resolvedAt: Date | null = null;

  @Field(() => String, { nullable: true, description: 'required when REJECTED' })
  @Property({ type: 'text', nullable: true })
  rejectionReason: string | null = null;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  resolvedBy: Ref<User> | null = null;
}
