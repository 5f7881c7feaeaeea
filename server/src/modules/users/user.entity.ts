import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { ReadableBy } from '../../policy/decorators.js';
import type { PlatformRole } from '../../policy/viewer.js';

export const PlatformRoleEnum = { USER: 'USER', ADMIN: 'ADMIN' } as const satisfies Record<PlatformRole, PlatformRole>;
registerEnumType(PlatformRoleEnum, { name: 'PlatformRole' });

@ObjectType()
@Entity({ tableName: 'users' })
@Index({ name: 'users_username_lower_unique', expression: 'create unique index "users_username_lower_unique" on "users" (lower("username"))' })
@Index({ name: 'users_email_lower_unique', expression: 'create unique index "users_email_lower_unique" on "users" (lower("email"))' })
export class User {
  [OptionalProps]?: 'platformRole' | 'createdAt' | 'updatedAt' | 'firstName' | 'pinHash' | 'totpSecret' | 'totpPendingSecret' | 'totpLastStep' | 'totpEnabled' | 'hasTransactionPin' | 'processingRestrictedAt' | 'erasedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: 'string', length: 32 })
  username!: string;

  /** null only once the account is erased */
  @Field(() => String, { nullable: true, description: '[personal] visible to the user, platform admins, members of a shared workspace, and partners the user consented to' })
  @ReadableBy('personName')
  @Property({ type: 'string', length: 100, nullable: true })
  lastName!: string | null;

  @Field(() => String, { nullable: true, description: '[personal] optional; same visibility as lastName' })
  @ReadableBy('personName')
  @Property({ type: 'string', length: 100, nullable: true })
  firstName: string | null = null;

  @Field(() => String, { nullable: true, description: '[personal] visible to the user, admins of a workspace the user belongs to, platform admins, and partners the user consented to' })
  @ReadableBy('personEmail')
  @Property({ type: 'string', length: 254, nullable: true })
  email!: string | null;

  @Property({ type: 'string', length: 255, nullable: true, hidden: true, lazy: false })
  passwordHash!: string | null;

  @Field(() => PlatformRoleEnum, { nullable: true, description: 'visible to the user and platform admins only' })
  @ReadableBy('ownAccount')
  @Enum({ items: ['USER', 'ADMIN'], columnType: 'varchar(16)', default: 'USER' })
  platformRole: PlatformRole = 'USER';

  /** argon2id hash of the transaction PIN (step-up) */
  @Property({ type: 'string', length: 255, nullable: true, hidden: true })
  pinHash: string | null = null;

  /** the confirmed TOTP secret, encrypted at rest (step-up) */
  @Property({ type: 'text', nullable: true, hidden: true })
  totpSecret: string | null = null;

  /** a TOTP secret enrolled but not confirmed yet (sealed) */
  @Property({ type: 'text', nullable: true, hidden: true })
  totpPendingSecret: string | null = null;

  /** the last TOTP time step used: a code works once */
  @Property({ type: 'integer', nullable: true, hidden: true })
  totpLastStep: number | null = null;

  /** set while a RESTRICTION request holds: data stored, not used for statistics, newsletters or partners */
  @Property({ type: 'datetime', nullable: true })
  processingRestrictedAt: Date | null = null;

  /** set when the account was erased: the row stays (what points at it keeps its place), its data does not */
  @Property({ type: 'datetime', nullable: true })
  erasedAt: Date | null = null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Field(() => Boolean, { name: 'totpEnabled', nullable: true, description: 'visible to the user and platform admins only' })
  @ReadableBy('ownAccount')
  get totpEnabled(): boolean {
    return this.totpSecret !== null;
  }

  @Field(() => Boolean, { name: 'hasTransactionPin', nullable: true, description: 'visible to the user and platform admins only' })
  @ReadableBy('ownAccount')
  get hasTransactionPin(): boolean {
    return this.pinHash !== null;
  }
}
