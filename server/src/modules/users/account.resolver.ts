import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Allow, ReadableBy } from '../../policy/decorators.js';
import { asPerson } from '../../policy/viewer.js';
import type { AppContext } from '../context.js';
import type { SignedIn } from './account.service.js';
import { TotpEnrollment } from '../documents/document.types.js';
import { AuthPayload, SignInInput, SignUpInput, UpdateProfileInput } from './account.inputs.js';
import { User } from './user.entity.js';

@Resolver(() => User)
export class AccountResolver {
  @Query(() => User, { nullable: true, description: 'null when not signed in' })
  @Allow('public')
  me(@Ctx() ctx: AppContext): Promise<User | null> {
    return ctx.services.accounts.me(ctx.em, ctx.viewer);
  }

  @Query(() => User, { nullable: true })
  @Allow('person')
  user(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<User> {
    return ctx.services.accounts.user(ctx.em, id);
  }

  @Mutation(() => AuthPayload)
  @Allow('public')
  async signUp(@Arg('input', () => SignUpInput) input: SignUpInput, @Ctx() ctx: AppContext): Promise<AuthPayload> {
    return this.openedSession(ctx, await ctx.services.accounts.signUp(ctx.em, input));
  }

  @Mutation(() => AuthPayload)
  @Allow('public')
  async signIn(@Arg('input', () => SignInInput) input: SignInInput, @Ctx() ctx: AppContext): Promise<AuthPayload> {
    return this.openedSession(ctx, await ctx.services.accounts.signIn(ctx.em, input, ctx.client.ip));
  }

  @Mutation(() => Boolean)
  @Allow('public')
  async signOut(@Ctx() ctx: AppContext): Promise<boolean> {
    await ctx.services.accounts.signOut(ctx.em, ctx);
    ctx.browserSession.clear();
    return true;
  }

  @Mutation(() => User)
  @Allow('person')
  updateProfile(@Arg('input', () => UpdateProfileInput) input: UpdateProfileInput, @Ctx() ctx: AppContext): Promise<User> {
    return ctx.services.accounts.updateProfile(ctx.em, asPerson(ctx.viewer), input);
  }

  @Mutation(() => Boolean)
  @Allow('person')
  async changePassword(
    @Arg('currentPassword', () => String) currentPassword: string,
    @Arg('newPassword', () => String) newPassword: string,
    @Ctx() ctx: AppContext,
  ): Promise<boolean> {
    await ctx.services.accounts.changePassword(ctx.em, asPerson(ctx.viewer), currentPassword, newPassword);
    return true;
  }

  @Mutation(() => Boolean)
  @Allow('person')
  async setTransactionPin(@Arg('pin', () => String) pin: string, @Arg('password', () => String) password: string, @Ctx() ctx: AppContext): Promise<boolean> {
    await ctx.services.accounts.setTransactionPin(ctx.em, asPerson(ctx.viewer), pin, password);
    return true;
  }

  @Mutation(() => TotpEnrollment)
  @Allow('person')
  enrollTotp(@Ctx() ctx: AppContext): Promise<TotpEnrollment> {
    return ctx.services.accounts.enrollTotp(ctx.em, asPerson(ctx.viewer));
  }

  @Mutation(() => Boolean)
  @Allow('person')
  confirmTotp(@Arg('code', () => String) code: string, @Ctx() ctx: AppContext): Promise<boolean> {
    return ctx.services.accounts.confirmTotp(ctx.em, asPerson(ctx.viewer), code);
  }

  private openedSession(ctx: AppContext, { user, token, expiresAt, viewer }: SignedIn): AuthPayload {
    ctx.browserSession.set(token, expiresAt);
    ctx.actAs(viewer);
    return { user, token };
  }

  @FieldResolver(() => Boolean, { nullable: true, description: '[personal] visible to the user and platform admins only' })
  @ReadableBy('ownAccount')
  newsletterOptIn(@Root() user: User, @Ctx() ctx: AppContext): Promise<boolean> {
    return ctx.loaders.newsletterOptIn.load(user.id);
  }
}
