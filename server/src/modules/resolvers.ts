import type { NonEmptyArray } from 'type-graphql';
import { AccountResolver } from './users/account.resolver.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const resolvers: NonEmptyArray<Function> = [AccountResolver];
