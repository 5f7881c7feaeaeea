import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Allow, ReadableBy } from '../../policy/decorators.js';
import type { AppContext } from '../context.js';
import { StepUpInput } from '../documents/document.types.js';
import { Workspace } from '../workspaces/workspace.entity.js';
import { Partner } from './partner.entity.js';
import { PartnerWithKey } from './partner.types.js';

@Resolver(() => Partner)
export class PartnerResolver {
  @Query(() => [Partner], { description: 'platform admins' })
  @Allow('platformAdmin')
  partners(@Ctx() ctx: AppContext): Promise<Partner[]> {
    return ctx.services.partners.list(ctx.em);
  }

  @Query(() => [Partner], { description: 'signed-in people: the partners a workspace can let in (names only; partners with a revoked key are left out)' })
  @Allow('person')
  partnerDirectory(@Ctx() ctx: AppContext): Promise<Partner[]> {
    return ctx.services.partners.list(ctx.em, { activeOnly: true });
  }

  @Mutation(() => PartnerWithKey, { description: 'platform admins; an important task: needs stepUp' })
  @Allow('platformAdmin')
  createPartner(@Arg('name', () => String) name: string, @Arg('stepUp', () => StepUpInput) stepUp: StepUpInput, @Ctx() ctx: AppContext): Promise<PartnerWithKey> {
    return ctx.services.partners.create(ctx.em, ctx, name, stepUp);
  }

  @Mutation(() => Boolean, { description: 'platform admins: the partner\'s API key stops working at once' })
  @Allow('platformAdmin')
  async revokePartnerKey(@Arg('partnerId', () => ID) partnerId: string, @Ctx() ctx: AppContext): Promise<boolean> {
    await ctx.services.partners.revokeKey(ctx.em, ctx, partnerId);
    return true;
  }

  @Mutation(() => Boolean, { description: 'workspace owners and admins' })
  @Allow('person')
  async grantPartnerAccess(@Arg('workspaceId', () => ID) workspaceId: string, @Arg('partnerId', () => ID) partnerId: string, @Ctx() ctx: AppContext): Promise<boolean> {
    await ctx.services.partners.grant(ctx.em, ctx, workspaceId, partnerId);
    return true;
  }

  @Mutation(() => Boolean)
  @Allow('person')
  async revokePartnerAccess(@Arg('workspaceId', () => ID) workspaceId: string, @Arg('partnerId', () => ID) partnerId: string, @Ctx() ctx: AppContext): Promise<boolean> {
    await ctx.services.partners.revoke(ctx.em, ctx, workspaceId, partnerId);
    return true;
  }
}

@Resolver(() => Workspace)
export class WorkspacePartnersResolver {
  @FieldResolver(() => [Partner], { nullable: true, description: 'partners this workspace shares data with; visible to workspace admins and platform admins' })
  @ReadableBy<Workspace>('workspaceAdmins', (w) => ({ person: null, workspaceId: w.id }))
  partners(@Root() workspace: Workspace, @Ctx() ctx: AppContext): Promise<Partner[]> {
    return ctx.loaders.partnersOf.load(workspace.id);
  }

  @FieldResolver(() => [Partner], {
    nullable: true,
    description: "who receives data from this workspace (the same list as partners), told to every member so each can decide on PARTNER_SHARING consent",
  })
  @ReadableBy<Workspace>('workspaceMembers', (w) => ({ person: null, workspaceId: w.id }))
  dataRecipients(@Root() workspace: Workspace, @Ctx() ctx: AppContext): Promise<Partner[]> {
    return ctx.loaders.partnersOf.load(workspace.id);
  }
}
