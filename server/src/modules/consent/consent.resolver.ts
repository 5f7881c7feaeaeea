import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Allow } from '../../policy/decorators.js';
import { asPerson } from '../../policy/viewer.js';
import type { AppContext } from '../context.js';
import type { ConsentRecord } from './consent.entity.js';
import { Consent, SetConsentInput } from './consent.types.js';

const present = (r: ConsentRecord): Consent => ({ purpose: r.purpose, partner: r.partner?.getEntity() ?? null, granted: r.granted, source: r.source, at: r.at });

@Resolver()
export class ConsentResolver {
  @Query(() => [Consent], { description: "the viewer's consent ledger, newest first: the first record of a purpose (and partner) is its current state" })
  @Allow('person')
  async myConsents(@Ctx() ctx: AppContext): Promise<Consent[]> {
    return (await ctx.services.consent.history(ctx.em, asPerson(ctx.viewer).userId)).map(present);
  }

  @Mutation(() => Consent)
  @Allow('person')
  async setConsent(@Arg('input', () => SetConsentInput) input: SetConsentInput, @Ctx() ctx: AppContext): Promise<Consent> {
    const record = await ctx.services.consent.set(ctx.em, asPerson(ctx.viewer).userId, input, ctx.client.viaApi ? 'API' : 'ACCOUNT');
    if (record.partner) await ctx.em.populate(record, ['partner']);
    return present(record);
  }
}
