import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { guardPersonalFields } from './policy/decorators.js';
import { resolvers } from './modules/resolvers.js';

/**
 * TypeGraphQL insists on a pubSub once subscriptions exist; ours each bring their own `subscribe` (realtime/ and
 * the services' streams), so this one is never called.
 */
const unusedPubSub = {
  publish: () => {
    throw new Error('subscriptions publish through realtime/pubsub.ts');
  },
  subscribe: () => {
    throw new Error('subscriptions subscribe through their own subscribe()');
  },
};

let built: Promise<GraphQLSchema> | undefined;

/** The one schema both transports run. Built once per process (TypeGraphQL's metadata is global anyway). */
export function appSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({ resolvers, validate: false, pubSub: unusedPubSub }).then(guardPersonalFields);
  return built;
}

/** The committed schema/schema.graphql: sorted, so that a diff shows only real changes. */
export const printAppSchema = (schema: GraphQLSchema): string => printSchema(lexicographicSortSchema(schema)) + '\n';
