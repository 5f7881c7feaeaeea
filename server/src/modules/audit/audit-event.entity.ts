import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { ReadableBy } from '../../policy/decorators.js';
import { User } from '../users/user.entity.js';

/**
 * One entry of the security log: sign-ins, important tasks, admin actions. Ids and kinds only; the IP address
 * is personal and is nulled after the security retention period.
 */
@ObjectType()
@Entity()
@Index({ properties: ['at'] })
export class AuditEvent {
  [OptionalProps]?: 'at' | 'actor' | 'subjectUser' | 'ip' | 'details';

  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 64 })
  action!: string;

  /** who did it (null: anonymous, e.g. a failed sign-in for an unknown login) */
  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null', index: true })
  actor: Ref<User> | null = null;

  /** whom it is about, when not the actor (an admin's action on a person) */
  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null', index: true })
  subjectUser: Ref<User> | null = null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  at: Date = new Date();

  @Field(() => String, { nullable: true, description: '[personal] IP address; kept only for the security retention period' })
  @ReadableBy<AuditEvent>('auditIp', (e) => ({ person: e.actor?.id ?? e.subjectUser?.id ?? null }))
  @Property({ type: 'string', length: 45, nullable: true })
  ip: string | null = null;

  /** ids only (documentId, workspaceId, method…), never names or free text */
  @Property({ type: 'json', nullable: true })
  details: Record<string, string | number | boolean | null> | null = null;
}
