import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { User } from '../users/user.entity.js';
import { Workspace } from '../workspaces/workspace.entity.js';

/** Third-party software (payroll, bookkeeping) that reads workspaces that granted it access, with its API key. */
@ObjectType()
@Entity()
export class Partner {
  [OptionalProps]?: 'createdAt' | 'keyRevokedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: 'string', length: 100 })
  name!: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  /** SHA-256 of the API key: the key itself is shown once and never stored */
  @Property({ type: 'string', length: 64, unique: true, hidden: true })
  apiKeyHash!: string;

  @Property({ type: 'datetime', nullable: true })
  keyRevokedAt: Date | null = null;
}

/** A workspace's permission for one partner to read it. */
@Entity()
@Unique({ properties: ['workspace', 'partner'] })
export class PartnerGrant {
  [OptionalProps]?: 'grantedAt' | 'grantedBy';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Workspace, { ref: true, deleteRule: 'cascade' })
  workspace!: Ref<Workspace>;

  @ManyToOne(() => Partner, { ref: true, deleteRule: 'cascade', index: true })
  partner!: Ref<Partner>;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  grantedBy: Ref<User> | null = null;

  @Property({ type: 'datetime' })
  grantedAt: Date = new Date();
}
