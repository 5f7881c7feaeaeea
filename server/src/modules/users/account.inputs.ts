import { Field, InputType, ObjectType } from 'type-graphql';
import { User } from './user.entity.js';

@ObjectType()
export class AuthPayload {
  @Field(() => String)
  token!: string;

  @Field(() => User)
  user!: User;
}

@InputType()
export class SignUpInput {
  @Field(() => String) username!: string;
  @Field(() => String) lastName!: string;
  @Field(() => String) email!: string;
  @Field(() => String) password!: string;
  @Field(() => String, { nullable: true }) firstName?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'false unless the person ticks it: consent is opt-in' })
  newsletterOptIn?: boolean | null;
}

@InputType()
export class SignInInput {
  @Field(() => String, { description: 'username or email' }) login!: string;
  @Field(() => String) password!: string;
}

@InputType()
export class UpdateProfileInput {
  @Field(() => String, { nullable: true }) firstName?: string | null;
  @Field(() => String, { nullable: true }) lastName?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) username?: string | null;
  @Field(() => String, { nullable: true, description: 'required when email changes: re-authentication' })
  currentPassword?: string | null;
}
