import { randomBytes } from 'node:crypto';
import type { GraphQLClient } from './graphql-client.js';

export const SIGN_UP = `mutation SignUp($input: SignUpInput!) { signUp(input: $input) { token user { id username lastName firstName email } } }`;
export const SIGN_IN = `mutation SignIn($input: SignInInput!) { signIn(input: $input) { token user { id username } } }`;

export type Person = { id: string; username: string; email: string; lastName: string; password: string; token: string };

/** Signs up a new person with unique, valid details. */
export async function signUpPerson(anonymous: GraphQLClient, overrides: Record<string, unknown> = {}): Promise<Person> {
  const tag = randomBytes(4).toString('hex');
  const input = {
    username: `user_${tag}`,
    lastName: `Lastname ${tag}`,
    email: `user.${tag}@example.test`,
    password: `a long password ${tag}`,
    ...overrides,
  };
  const data = await anonymous.data<{ signUp: { token: string; user: { id: string } } }>(SIGN_UP, { input });
  return { id: data.signUp.user.id, username: input.username as string, email: input.email as string, lastName: input.lastName as string, password: input.password as string, token: data.signUp.token };
}
