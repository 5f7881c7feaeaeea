import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { User } from '../users/user.entity.js';

@ObjectType({ description: 'A newsletter and how far its delivery is (platform admins).' })
@Entity()
export class Newsletter {
  [OptionalProps]?: 'createdAt' | 'createdBy';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  subject!: string;

  @Property({ type: 'text' })
  body!: string;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  createdBy: Ref<User> | null = null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}

export type DeliveryStatus = 'PENDING' | 'SENDING' | 'SENT' | 'FAILED';

/** One newsletter to one person: claimed once, sent once. */
@Entity()
@Unique({ properties: ['newsletter', 'user'] })
@Index({ properties: ['newsletter', 'status'] })
export class NewsletterDelivery {
  [OptionalProps]?: 'status' | 'attempts' | 'sentAt';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => Newsletter, { ref: true, deleteRule: 'cascade' })
  newsletter!: Ref<Newsletter>;

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  user!: Ref<User>;

  @Enum({ items: ['PENDING', 'SENDING', 'SENT', 'FAILED'], columnType: 'varchar(16)', default: 'PENDING' })
  status: DeliveryStatus = 'PENDING';

  @Property({ type: 'integer', default: 0 })
  attempts: number = 0;

  @Property({ type: 'datetime', nullable: true })
  sentAt: Date | null = null;
}

/** Mails kept when no SMTP server is configured. */
@Entity()
export class OutboxMail {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'string', length: 320 })
  from!: string;

  @Property({ type: 'string', length: 320 })
  to!: string;

  @Property({ type: 'string', length: 200 })
  subject!: string;

  @Property({ type: 'text' })
  text!: string;

  @Property({ type: 'json' })
  headers!: Record<string, string>;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}

@ObjectType('NewsletterProgress')
export class NewsletterProgress {
  @Field(() => Newsletter) newsletter!: Newsletter;
  @Field(() => Int) recipients!: number;
  @Field(() => Int) sent!: number;
  @Field(() => Int) failed!: number;
  @Field(() => Int) pending!: number;
}
