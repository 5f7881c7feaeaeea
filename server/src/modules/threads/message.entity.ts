import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ReadableBy } from '../../policy/decorators.js';
import { User } from '../users/user.entity.js';
import { Thread } from './thread.entity.js';

@ObjectType()
@Entity()
@Unique({ properties: ['thread', 'seq'] })
// a retried post (same client id) finds the first one instead of storing a second
@Unique({ properties: ['thread', 'author', 'clientId'] })
export class Message {
  [OptionalProps]?: 'createdAt' | 'editedAt' | 'deletedAt' | 'clientId';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Thread, { ref: true, deleteRule: 'cascade' })
  thread!: Ref<Thread>;

  /** null once the author's account is erased */
  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  author!: Ref<User> | null;

  /** null once deleted: the message keeps its place, not its words */
  @Field(() => String, { nullable: true, description: "[personal] of its author; a deleted message reads as null" })
  @ReadableBy<Message>('messageBody', (m) => ({ person: m.author?.id ?? null, workspaceId: m.workspaceId }))
  @Property({ type: 'text', nullable: true })
  body!: string | null;

  @Field(() => Int, { description: "position of its ADDED event in its thread's event stream" })
  @Property({ type: 'integer' })
  seq!: number;

  @Property({ type: 'string', length: 64, nullable: true })
  clientId: string | null = null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  editedAt: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  deletedAt: Date | null = null;

  /** the thread's workspace, set by the service that loaded the message: the body's rule needs it */
  workspaceId?: string;
}
