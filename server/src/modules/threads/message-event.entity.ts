import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { registerEnumType } from 'type-graphql';
import type { MessageEventKind } from '../../realtime/channels.js';
import { Message } from './message.entity.js';
import { Thread } from './thread.entity.js';

export const MessageEventKindEnum = { ADDED: 'ADDED', EDITED: 'EDITED', DELETED: 'DELETED' } as const satisfies Record<MessageEventKind, MessageEventKind>;
registerEnumType(MessageEventKindEnum, { name: 'MessageEventKind' });

/** One entry of a thread's event stream: written in the change's transaction, published after its commit. */
@Entity({ tableName: 'message_event' })
@Unique({ properties: ['thread', 'seq'] })
export class MessageEventRecord {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => Thread, { ref: true, deleteRule: 'cascade' })
  thread!: Ref<Thread>;

  @Property({ type: 'integer' })
  seq!: number;

  @Enum({ items: ['ADDED', 'EDITED', 'DELETED'], columnType: 'varchar(16)' })
  kind!: MessageEventKind;

  @ManyToOne(() => Message, { ref: true, deleteRule: 'cascade' })
  message!: Ref<Message>;

  @Property({ type: 'datetime' })
  at: Date = new Date();
}
