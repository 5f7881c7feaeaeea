import 'reflect-metadata';
import { isObjectType, lexicographicSortSchema, printSchema, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
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

type Storage = ReturnType<typeof getMetadataStorage>;
type Param = NonNullable<Storage['fieldResolvers'][number]['params']>[number];
type Resolve = GraphQLFieldResolver<unknown, unknown>;

/** A parameter handed over as it is: the root (when it already has its class), the context, the info. */
function passedAsIs(param: Param): ((root: unknown, context: unknown, info: unknown) => unknown) | null {
  if (param.kind === 'context' && !param.propertyName) return (_root, context) => context;
  if (param.kind === 'info') return (_root, _context, info) => info;
  if (param.kind === 'root' && !param.propertyName) return (root) => root;
  return null;
}

/**
 * Field resolvers that take only their root, context and info (no arguments to convert and validate, no
 * middlewares, no roles; this schema has no global middlewares or auth checker) are called directly, not through
 * TypeGraphQL's handler, which for every call on every row made a resolver-data object, asked its container for
 * the resolver, sorted and mapped the parameters and ran an empty middleware chain (Message.author on a thread
 * page: 20 calls and some 20 KB allocated per request). TypeGraphQL converts a root to its parameter's class when
 * it is not one already; such a root still goes through TypeGraphQL's handler. Resolver classes hold no state (what
 * they need comes with the context), so one instance of each serves.
 */
function callFieldResolversDirectly(schema: GraphQLSchema): GraphQLSchema {
  const storage = getMetadataStorage();
  const instances = new Map<Function, Record<string, (...args: unknown[]) => unknown>>();
  for (const resolver of storage.fieldResolvers) {
    if (resolver.kind !== 'external' || !resolver.params || resolver.middlewares?.length || resolver.roles || resolver.target.length > 0) continue;
    const params = [...resolver.params].sort((a, b) => a.index - b.index);
    const pass = params.map(passedAsIs);
    if (pass.some((p) => p === null)) continue;
    const rootType = params.find((p) => p.kind === 'root')?.getType?.();
    const typeClass = resolver.getObjectType?.();
    const type = schema.getType(storage.objectTypes.find((t) => t.target === typeClass)?.name ?? '');
    const field = isObjectType(type) ? type.getFields()[resolver.schemaName] : undefined;
    if (!field?.resolve) continue;
    let instance = instances.get(resolver.target);
    if (!instance) instances.set(resolver.target, (instance = new (resolver.target as new () => Record<string, (...args: unknown[]) => unknown>)()));
    const target = instance;
    const method = instance[resolver.methodName];
    const original: Resolve = field.resolve;
    const values = pass as ((root: unknown, context: unknown, info: unknown) => unknown)[];
    const direct: Resolve =
      values.length === 1 && params[0].kind === 'root'
        ? (root) => method.call(target, root)
        : (root, _args, context, info) => method.apply(target, values.map((value) => value(root, context, info)));
    field.resolve = typeof rootType === 'function' ? (root, args, context, info) => (root instanceof rootType ? direct(root, args, context, info) : original(root, args, context, info)) : direct;
  }
  return schema;
}

let built: Promise<GraphQLSchema> | undefined;

/** The one schema both transports run. Built once per process (TypeGraphQL's metadata is global anyway). */
export function appSchema(): Promise<GraphQLSchema> {
  if (!built) {
    readPlainFieldsDirectly();
    built = buildSchema({ resolvers, validate: false, pubSub: unusedPubSub, scalarsMap: [{ type: Date, scalar: DateTimeISO }] }).then((schema) => guardPersonalFields(callFieldResolversDirectly(schema)));
  }
  return built;
}

/** The committed schema/schema.graphql: sorted, so that a diff shows only real changes. */
export const printAppSchema = (schema: GraphQLSchema): string => printSchema(lexicographicSortSchema(schema)) + '\n';
