import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Field, Int, ObjectType } from 'type-graphql';
import { User } from '../users/user.entity.js';

@ObjectType()
@Entity()
export class PrivacyStatement {
  [OptionalProps]?: 'publishedAt' | 'version';

  @Field(() => Int)
  @PrimaryKey({ type: 'integer', autoincrement: true })
  version!: number;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  publishedAt: Date = new Date();

  @Field(() => String)
  @Property({ type: 'text' })
  text!: string;
}

/** That one person read one version of the statement. */
@Entity()
@Unique({ properties: ['user', 'version'] })
export class PrivacyAcknowledgement {
  [OptionalProps]?: 'at';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  user!: Ref<User>;

  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: 'datetime' })
  at: Date = new Date();
}
