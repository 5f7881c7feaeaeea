import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Allow, LiveSubscription } from '../../policy/decorators.js';
import type { NotificationMessage, WorkspaceEventKind, WorkspaceEventMessage } from '../../realtime/channels.js';
import { subscriber, type AppContext } from '../context.js';
import { ThreadConnection } from '../threads/thread.types.js';
import { User } from '../users/user.entity.js';
import { Membership, WorkspaceRoleEnum } from './membership.entity.js';
import { Workspace } from './workspace.entity.js';
import { CreateWorkspaceInput, Notification, WorkspaceConnection, WorkspaceEvent } from './workspace.types.js';
import type { WorkspaceRole } from '../../policy/viewer.js';
import type { Connection } from '../pagination.js';
import type { Thread } from '../threads/thread.entity.js';

type SubscribeData<A> = { args: A; context: AppContext };

@Resolver(() => Workspace)
export class WorkspaceResolver {
  @Query(() => WorkspaceConnection)
  @Allow('reader')
  workspaces(@Arg('first', () => Int, { nullable: true }) first: number | null, @Arg('after', () => String, { nullable: true }) after: string | null, @Ctx() ctx: AppContext): Promise<Connection<Workspace>> {
    return ctx.services.workspaces.list(ctx.em, ctx, { first, after });
  }

  @Query(() => Workspace, { nullable: true })
  @Allow('reader')
  workspace(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<Workspace> {
    return ctx.services.workspaces.get(ctx.em, ctx, id);
  }

  @Mutation(() => Workspace)
  @Allow('person')
  createWorkspace(@Arg('input', () => CreateWorkspaceInput) input: CreateWorkspaceInput, @Ctx() ctx: AppContext): Promise<Workspace> {
    return ctx.services.workspaces.create(ctx.em, ctx, input);
  }

  @Mutation(() => Membership, { description: 'workspace owners and admins; invite by username or email' })
  @Allow('person')
  addWorkspaceMember(
    @Arg('workspaceId', () => ID) workspaceId: string,
    @Arg('login', () => String) login: string,
    @Arg('role', () => WorkspaceRoleEnum) role: WorkspaceRole,
    @Ctx() ctx: AppContext,
  ): Promise<Membership> {
    return ctx.services.workspaces.addMember(ctx.em, ctx, workspaceId, login, role);
  }

  @Mutation(() => Boolean)
  @Allow('person')
  async removeWorkspaceMember(@Arg('workspaceId', () => ID) workspaceId: string, @Arg('userId', () => ID) userId: string, @Ctx() ctx: AppContext): Promise<boolean> {
    await ctx.services.workspaces.removeMember(ctx.em, ctx, workspaceId, userId);
    return true;
  }

  @FieldResolver(() => [Membership])
  members(@Root() workspace: Workspace, @Ctx() ctx: AppContext): Promise<Membership[]> {
    return ctx.loaders.membersOf.load(workspace.id);
  }

  @FieldResolver(() => ThreadConnection)
  threads(
    @Root() workspace: Workspace,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: AppContext,
  ): Promise<Connection<Thread>> {
    return ctx.services.threads.list(ctx.em, workspace.id, { first, after });
  }

  @LiveSubscription('reader', () => WorkspaceEvent, ({ args, context }: SubscribeData<{ workspaceId: string }>) =>
    context.services.workspaceStreams.workspaceEvents(context.em, subscriber(context), args.workspaceId),
  )
  async workspaceEvents(@Root() event: WorkspaceEventMessage, @Arg('workspaceId', () => ID) _workspaceId: string, @Ctx() ctx: AppContext): Promise<WorkspaceEvent> {
    const em = ctx.em.fork();
    const member = event.member
      ? em.create(Membership, { workspace: event.workspaceId, user: em.getReference(User, event.member.userId), role: event.member.role, joinedAt: new Date(event.member.joinedAt) }, { persist: false })
      : null;
    return {
      // the stream passes only the contract's kinds (workspace-stream.ts)
      kind: event.kind as WorkspaceEventKind,
      workspaceId: event.workspaceId,
      thread: event.threadId ? await ctx.services.liveLoads.thread(event.threadId) : null,
      document: event.documentId ? await ctx.services.liveLoads.document(event.documentId) : null,
      approvalRequest: event.approvalRequestId ? await ctx.services.liveLoads.approvalRequest(event.approvalRequestId, event.at) : null,
      member,
      at: new Date(event.at),
    };
  }

  @LiveSubscription('person', () => Notification, ({ context }: SubscribeData<object>) =>
    context.services.workspaceStreams.notifications(subscriber(context)),
  )
  notifications(@Root() notification: NotificationMessage): Notification {
    return { kind: notification.kind, text: notification.text, at: new Date(notification.at) };
  }
}

@Resolver(() => Membership)
export class WorkspaceMemberResolver {
  @FieldResolver(() => User)
  user(@Root() membership: Membership): Promise<User> {
    return membership.user.load() as Promise<User>;
  }
}
