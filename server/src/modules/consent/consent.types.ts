import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Partner } from '../partners/partner.entity.js';
import type { ConsentPurpose } from './consent.entity.js';

export const ConsentPurposeEnum = { NEWSLETTER: 'NEWSLETTER', PARTNER_SHARING: 'PARTNER_SHARING', USAGE_ANALYTICS: 'USAGE_ANALYTICS' } as const satisfies Record<ConsentPurpose, ConsentPurpose>;
registerEnumType(ConsentPurposeEnum, {
  name: 'ConsentPurpose',
  valuesConfig: {
    NEWSLETTER: { description: 'service news, maintenance and update notices (direct marketing)' },
    PARTNER_SHARING: { description: 'personal data shared with one named partner' },
    USAGE_ANALYTICS: { description: 'usage information used for anonymised statistics and improvement (legitimate interest: objectable)' },
  },
});

@ObjectType()
export class Consent {
  @Field(() => ConsentPurposeEnum) purpose!: ConsentPurpose;
  @Field(() => Partner, { nullable: true }) partner!: Partner | null;
  @Field(() => Boolean) granted!: boolean;
  @Field(() => String, { description: 'where it was given or withdrawn: SIGNUP, ACCOUNT, NEWSLETTER_LINK, API, OBJECTION' })
  source!: string;
  @Field(() => Date) at!: Date;
}

@InputType()
export class SetConsentInput {
  @Field(() => ConsentPurposeEnum) purpose!: ConsentPurpose;
  @Field(() => ID, { nullable: true, description: 'required for PARTNER_SHARING' }) partnerId?: string | null;
  @Field(() => Boolean) granted!: boolean;
}
