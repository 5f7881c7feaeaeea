import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { User } from '../users/user.entity.js';
import { Workspace } from '../workspaces/workspace.entity.js';

@ObjectType()
@Entity()
@Index({ properties: ['workspace', 'createdAt', 'id'] })
export class Thread {
  [OptionalProps]?: 'createdAt' | 'lastSeq' | 'createdBy';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Workspace, { ref: true, deleteRule: 'cascade' })
  workspace!: Ref<Workspace>;

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  title!: string;

  /** null once the creator's account is erased */
  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  createdBy: Ref<User> | null = null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  /** the last seq handed out in this thread's event stream; bumped under the row's lock, so never reused */
  @Property({ type: 'integer', default: 0 })
  lastSeq: number = 0;
}
