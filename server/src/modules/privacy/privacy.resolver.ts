import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Allow } from '../../policy/decorators.js';
import type { AppContext } from '../context.js';
import { PrivacyStatement } from './privacy-statement.entity.js';

@Resolver(() => PrivacyStatement)
export class PrivacyStatementResolver {
  @Query(() => PrivacyStatement)
  @Allow('public')
  privacyStatement(@Ctx() ctx: AppContext): Promise<PrivacyStatement> {
    return ctx.services.privacyStatements.current(ctx.em);
  }

  @Mutation(() => PrivacyStatement, { description: 'platform admins: announces the change to every user' })
  @Allow('platformAdmin')
  publishPrivacyStatement(@Arg('text', () => String) text: string, @Ctx() ctx: AppContext): Promise<PrivacyStatement> {
    return ctx.services.privacyStatements.publish(ctx.em, ctx, text);
  }

  @Mutation(() => Boolean)
  @Allow('person')
  async acknowledgePrivacyStatement(@Arg('version', () => Int) version: number, @Ctx() ctx: AppContext): Promise<boolean> {
    await ctx.services.privacyStatements.acknowledge(ctx.em, ctx.viewer, version);
    return true;
  }

  @FieldResolver(() => Boolean, { nullable: true, description: 'whether the viewer has acknowledged this version (null when not signed in)' })
  acknowledged(@Root() statement: PrivacyStatement, @Ctx() ctx: AppContext): Promise<boolean | null> {
    return ctx.services.privacyStatements.acknowledged(ctx.em, ctx.viewer, statement.version);
  }
}
