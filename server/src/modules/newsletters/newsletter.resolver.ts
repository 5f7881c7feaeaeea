import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Allow } from '../../policy/decorators.js';
import type { AppContext } from '../context.js';
import { NewsletterProgress } from './newsletter.entity.js';

@Resolver()
export class NewsletterResolver {
  @Mutation(() => Int, { description: 'platform admins: sends to users who opted in; returns the number of recipients' })
  @Allow('platformAdmin')
  sendNewsletter(@Arg('subject', () => String) subject: string, @Arg('body', () => String) body: string, @Ctx() ctx: AppContext): Promise<number> {
    return ctx.services.newsletters.send(ctx.em, ctx, subject, body);
  }

  @Mutation(() => Boolean, { description: 'works without signing in: the token comes from the link in a newsletter' })
  @Allow('public')
  async unsubscribeNewsletter(@Arg('token', () => String) token: string, @Ctx() ctx: AppContext): Promise<boolean> {
    await ctx.services.newsletters.unsubscribe(ctx.em, token);
    return true;
  }

  @Query(() => [NewsletterProgress], { description: 'platform admins: the latest newsletters and how far their delivery is' })
  @Allow('platformAdmin')
  newsletters(@Ctx() ctx: AppContext): Promise<NewsletterProgress[]> {
    return ctx.services.newsletters.progress(ctx.em);
  }
}
