import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, getMetadataStorage } from 'type-graphql';
import { guardPersonalFields } from './policy/decorators.js';
import { DateTimeISO } from './modules/date-time.js';
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

/**
 * Fields that only read their object's property get no resolver of their own (TypeGraphQL's `simple`), so that
 * graphql-js reads the property as it does for any plain field: TypeGraphQL's wrapper for such a field (a
 * resolver-data object and its middleware chain, empty here) ran for every field of every row. Fields with a
 * @FieldResolver keep theirs (TypeGraphQL ignores `simple` for them), and so do fields with middlewares or
 * @Authorized, which `simple` would skip; a field named apart from its property keeps the wrapper that maps it.
 * The [personal] fields' rules are put in front afterwards, on the built schema, either way (guardPersonalFields).
 */
function readPlainFieldsDirectly(): void {
  const storage = getMetadataStorage();
  const wrapped = new Set([...storage.middlewares, ...storage.authorizedFields].map((m) => m.fieldName));
  for (const field of storage.fields) {
    if (field.simple === undefined && field.schemaName === field.name && !wrapped.has(field.name)) field.simple = true;
  }
}

let built: Promise<GraphQLSchema> | undefined;

/** The one schema both transports run. Built once per process (TypeGraphQL's metadata is global anyway). */
export function appSchema(): Promise<GraphQLSchema> {
  if (!built) {
    readPlainFieldsDirectly();
    built = buildSchema({ resolvers, validate: false, pubSub: unusedPubSub, scalarsMap: [{ type: Date, scalar: DateTimeISO }] }).then(guardPersonalFields);
  }
  return built;
}

/** The committed schema/schema.graphql: sorted, so that a diff shows only real changes. */
export const printAppSchema = (schema: GraphQLSchema): string => printSchema(lexicographicSortSchema(schema)) + '\n';
