import { Field, ObjectType } from 'type-graphql';
import { Partner } from './partner.entity.js';

@ObjectType()
export class PartnerWithKey {
  @Field(() => Partner) partner!: Partner;
  @Field(() => String, { description: 'shown once' }) apiKey!: string;
}
