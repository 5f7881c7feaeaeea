import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Allow, ReadableBy } from '../../policy/decorators.js';
import { asPerson } from '../../policy/viewer.js';
import { AuditEvent } from '../audit/audit-event.entity.js';
import { loadOptional, type MaybePromise, type AppContext } from '../context.js';
import { StepUpInput } from '../documents/document.types.js';
import type { Connection } from '../pagination.js';
import { User } from '../users/user.entity.js';
import { PrivacyRequest, PrivacyRequestStatusEnum, type PrivacyRequestStatus } from './privacy-request.entity.js';
import { AuditEventConnection, DataExport, ResolvePrivacyRequestInput, SubmitPrivacyRequestInput, UsageStatistics } from './rights.types.js';

@Resolver(() => PrivacyRequest)
export class RightsResolver {
  @Query(() => DataExport, { description: "the viewer's own data, for access and portability requests" })
  @Allow('person')
  async exportMyData(@Ctx() ctx: AppContext, @Info() info: GraphQLResolveInfo): Promise<DataExport> {
    const document = await ctx.services.export.build(ctx.em, asPerson(ctx.viewer).userId, info.schema);
    return { generatedAt: new Date(document.generatedAt as string), format: document.format as string, json: JSON.stringify(document) };
  }

  @Mutation(() => Boolean, { description: "erases the viewer's personal data; approval logs stay until their retention ends" })
  @Allow('person')
  async deleteAccount(@Arg('password', () => String) password: string, @Arg('stepUp', () => StepUpInput) stepUp: StepUpInput, @Ctx() ctx: AppContext): Promise<boolean> {
    await ctx.services.accounts.deleteAccount(ctx.em, ctx, password, stepUp);
    ctx.browserSession.clear();
    return true;
  }

  @Mutation(() => PrivacyRequest)
  @Allow('person')
  submitPrivacyRequest(@Arg('input', () => SubmitPrivacyRequestInput) input: SubmitPrivacyRequestInput, @Ctx() ctx: AppContext): Promise<PrivacyRequest> {
    return ctx.services.privacyRequests.submit(ctx.em, ctx, input);
  }

  @Query(() => [PrivacyRequest])
  @Allow('person')
  myPrivacyRequests(@Ctx() ctx: AppContext): Promise<PrivacyRequest[]> {
    return ctx.services.privacyRequests.mine(ctx.em, ctx);
  }

  @Query(() => [PrivacyRequest], { description: 'platform admins' })
  @Allow('platformAdmin')
  privacyRequests(@Arg('status', () => PrivacyRequestStatusEnum, { nullable: true }) status: PrivacyRequestStatus | null, @Ctx() ctx: AppContext): Promise<PrivacyRequest[]> {
    return ctx.services.privacyRequests.queue(ctx.em, status);
  }

  @Mutation(() => PrivacyRequest, { description: 'platform admins' })
  @Allow('platformAdmin')
  resolvePrivacyRequest(@Arg('input', () => ResolvePrivacyRequestInput) input: ResolvePrivacyRequestInput, @Ctx() ctx: AppContext): Promise<PrivacyRequest> {
    return ctx.services.privacyRequests.resolve(ctx.em, ctx, input);
  }

  @Mutation(() => Boolean, { description: 'platform admins: ends a restriction of processing' })
  @Allow('platformAdmin')
  async liftProcessingRestriction(@Arg('userId', () => ID) userId: string, @Ctx() ctx: AppContext): Promise<boolean> {
    await ctx.services.restriction.lift(ctx.em, ctx, userId);
    return true;
  }

  @Query(() => UsageStatistics, { description: 'platform admins and partners: anonymised, never personal' })
  @Allow('platformAdminOrPartner')
  usageStatistics(@Arg('from', () => Date) from: Date, @Arg('to', () => Date) to: Date, @Ctx() ctx: AppContext): Promise<UsageStatistics> {
    return ctx.services.usage.statistics(ctx.em, from, to);
  }

  @Query(() => AuditEventConnection, { description: 'platform admins' })
  @Allow('platformAdmin')
  auditLog(@Arg('first', () => Int, { nullable: true }) first: number | null, @Arg('after', () => String, { nullable: true }) after: string | null, @Ctx() ctx: AppContext): Promise<Connection<AuditEvent>> {
    return ctx.services.audit.list(ctx.em, { first, after });
  }

  @FieldResolver(() => User, { nullable: true, description: 'the person it concerns; [personal]' })
  @ReadableBy<PrivacyRequest>('requester', (r) => ({ person: r.requester.id }))
  requester(@Root() request: PrivacyRequest): Promise<User | null> {
    return request.requester.load() as Promise<User | null>;
  }
}

@Resolver(() => AuditEvent)
export class AuditEventResolver {
  @FieldResolver(() => User, { nullable: true })
  actor(@Root() event: AuditEvent): MaybePromise<User | null> {
    return loadOptional(event.actor);
  }
}
