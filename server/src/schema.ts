import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { resolvers } from './modules/resolvers.js';

let built: Promise<GraphQLSchema> | undefined;

/** The one schema both transports run. Built once per process (TypeGraphQL's metadata is global anyway). */
export function appSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({ resolvers, validate: false });
  return built;
}

/** The committed schema/schema.graphql: sorted, so that a diff shows only real changes. */
export const printAppSchema = (schema: GraphQLSchema): string => printSchema(lexicographicSortSchema(schema)) + '\n';
