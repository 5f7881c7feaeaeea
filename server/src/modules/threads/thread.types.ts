import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { MessageEventKind } from '../../realtime/channels.js';
import { connectionTypes } from '../pagination.js';
import { User } from '../users/user.entity.js';
import { MessageEventKindEnum } from './message-event.entity.js';
import { Message } from './message.entity.js';
import { Thread } from './thread.entity.js';

export const { EdgeType: ThreadEdge, ConnectionType: ThreadConnection } = connectionTypes(Thread, 'Thread');
export const { EdgeType: MessageEdge, ConnectionType: MessageConnection } = connectionTypes(Message, 'Message');

@InputType()
export class CreateThreadInput {
  @Field(() => ID) workspaceId!: string;
  @Field(() => String) title!: string;
}

@InputType()
export class PostMessageInput {
  @Field(() => ID) threadId!: string;
  @Field(() => String) body!: string;
  @Field(() => String, { nullable: true, description: 'client-chosen idempotency key: posting the same key twice stores one message' })
  clientId?: string | null;
}

@ObjectType({ description: "One entry of a thread's event stream." })
export class MessageEvent {
  @Field(() => MessageEventKindEnum) kind!: MessageEventKind;
  @Field(() => Int, { description: "position in the thread's event stream: strictly increasing per thread, never reused; the resume cursor" })
  seq!: number;
  @Field(() => Message) message!: Message;
}

@ObjectType()
export class TypingEvent {
  @Field(() => ID) threadId!: string;
  @Field(() => User) user!: User;
  @Field(() => Boolean) typing!: boolean;
}
