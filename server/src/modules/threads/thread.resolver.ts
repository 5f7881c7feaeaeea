import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Allow, LiveSubscription } from '../../policy/decorators.js';
import type { ThreadEventMessage, TypingMessage } from '../../realtime/channels.js';
import { loadOptional, type MaybePromise, subscriber, type AppContext } from '../context.js';
import { lookAhead } from '../look-ahead.js';
import type { Connection } from '../pagination.js';
import { User } from '../users/user.entity.js';
import { Workspace } from '../workspaces/workspace.entity.js';
import { Message } from './message.entity.js';
import { Thread } from './thread.entity.js';
import type { MessagePage } from './thread.service.js';
import { CreateThreadInput, MessageConnection, MessageEvent, PostMessageInput, TypingEvent } from './thread.types.js';

type SubscribeData<A> = { args: A; context: AppContext };

@Resolver(() => Thread)
export class ThreadResolver {
  @Query(() => Thread, { nullable: true })
  @Allow('reader')
  thread(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext, @Info() info: GraphQLResolveInfo): Promise<Thread> {
    return ctx.services.threads.get(ctx.em, ctx, id, lookAhead<MessagePage>(info, 'Thread', 'messages'));
  }

  @Mutation(() => Thread)
  @Allow('person')
  createThread(@Arg('input', () => CreateThreadInput) input: CreateThreadInput, @Ctx() ctx: AppContext): Promise<Thread> {
    return ctx.services.threads.create(ctx.em, ctx, input);
  }

  @FieldResolver(() => Workspace)
  workspace(@Root() thread: Thread): Promise<Workspace> {
    return thread.workspace.load() as Promise<Workspace>;
  }

  @FieldResolver(() => User, { nullable: true })
  createdBy(@Root() thread: Thread): MaybePromise<User | null> {
    return loadOptional(thread.createdBy);
  }

  @FieldResolver(() => MessageConnection, { description: 'newest last; page backwards with last/before' })
  messages(
    @Root() thread: Thread,
    @Arg('last', () => Int, { nullable: true }) last: number | null,
    @Arg('before', () => String, { nullable: true }) before: string | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: AppContext,
  ): Promise<Connection<Message>> {
    return ctx.services.threads.messages(ctx.em, ctx, thread, { last, before, first, after });
  }
}

@Resolver(() => Message)
export class MessageResolver {
  @Mutation(() => Message)
  @Allow('person')
  postMessage(@Arg('input', () => PostMessageInput) input: PostMessageInput, @Ctx() ctx: AppContext): Promise<Message> {
    return ctx.services.threads.post(ctx.em, ctx, input);
  }

  @Mutation(() => Message)
  @Allow('person')
  editMessage(@Arg('id', () => ID) id: string, @Arg('body', () => String) body: string, @Ctx() ctx: AppContext): Promise<Message> {
    return ctx.services.threads.edit(ctx.em, ctx, id, body);
  }

  @Mutation(() => Message)
  @Allow('person')
  deleteMessage(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<Message> {
    return ctx.services.threads.delete(ctx.em, ctx, id);
  }

  @Mutation(() => Boolean)
  @Allow('person')
  async setTyping(@Arg('threadId', () => ID) threadId: string, @Arg('typing', () => Boolean) typing: boolean, @Ctx() ctx: AppContext): Promise<boolean> {
    await ctx.services.threads.setTyping(ctx.em, ctx, threadId, typing);
    return true;
  }

  @FieldResolver(() => Thread)
  thread(@Root() message: Message): Promise<Thread> {
    return message.thread.load() as Promise<Thread>;
  }

  @FieldResolver(() => User, { nullable: true, description: "null once the author's account is deleted" })
  author(@Root() message: Message): MaybePromise<User | null> {
    return loadOptional(message.author);
  }

  @LiveSubscription('reader', () => MessageEvent, ({ args, context }: SubscribeData<{ threadId: string; afterSeq?: number | null }>) =>
    context.services.threadStreams.messageEvents(context.em, subscriber(context), args.threadId, args.afterSeq),
  )
  async messageEvents(
    @Root() event: ThreadEventMessage,
    @Arg('threadId', () => ID) _threadId: string,
    @Arg('afterSeq', () => Int, { nullable: true }) _afterSeq: number | null,
    @Ctx() ctx: AppContext,
  ): Promise<MessageEvent> {
    return { kind: event.kind, seq: event.seq, message: await ctx.services.liveLoads.message(event.messageId, event.seq) };
  }

  @LiveSubscription('person', () => TypingEvent, ({ args, context }: SubscribeData<{ threadId: string }>) =>
    context.services.threadStreams.typing(context.em, subscriber(context), args.threadId),
  )
  async typing(@Root() event: TypingMessage, @Arg('threadId', () => ID) _threadId: string, @Ctx() ctx: AppContext): Promise<TypingEvent | null> {
    const user = await ctx.services.liveLoads.user(event.userId);
    return { threadId: event.threadId, user: user!, typing: event.typing };
  }
}
