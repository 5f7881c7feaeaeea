import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { Extensions, Subscription, UseMiddleware, type ClassType, type MiddlewareFn } from 'type-graphql';

type ReturnTypeFunc = Parameters<typeof Subscription>[0] & ((...args: never[]) => unknown);
type SubscribeFunc = Extract<Parameters<typeof Subscription>[1], { subscribe: unknown }>['subscribe'];
import { fieldRules, type FieldRuleName } from './field-rules.js';
import { operationRules, type OperationRuleName } from './operation-rules.js';
import type { PolicyContext, Subject } from './facts.js';

/** Names of the GraphQL field extensions that carry the rules; tests and docs read the schema through them. */
export const FIELD_RULE = 'readableBy';
export const OPERATION_RULE = 'allow';

/** The field extension holding the function that says whose data a [personal] field's value is. */
const FIELD_SUBJECT = 'readableBySubject';

type SubjectOf<T> = (parent: T) => Subject;
const theUserItself: SubjectOf<{ id: string }> = (parent) => ({ person: parent.id });

/**
 * Marks a [personal] field and names its rule. `subjectOf` says whose data it is and where it lives (default:
 * the User itself). A viewer the rule does not allow gets null, never an error. Enforced by guardPersonalFields
 * on the built schema.
 */
export function ReadableBy<T = { id: string }>(ruleName: FieldRuleName, subjectOf: SubjectOf<T> = theUserItself as SubjectOf<T>): PropertyDecorator & MethodDecorator {
  const extensions = Extensions({ [FIELD_RULE]: ruleName, [FIELD_SUBJECT]: subjectOf });
  return (target: object, key: string | symbol, descriptor?: PropertyDescriptor) => extensions(target, key as string, descriptor as PropertyDescriptor);
}

/**
 * Puts each [personal] field's rule in front of its resolver, once, on the built schema. Not a type-graphql
 * middleware: those run as a chain of async functions, several promises per field of every row, while a rule
 * whose facts are known answers synchronously here.
 */
export function guardPersonalFields(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const ruleName = field.extensions?.[FIELD_RULE] as FieldRuleName | undefined;
      if (!ruleName) continue;
      const { allows } = fieldRules[ruleName];
      const subjectOf = field.extensions[FIELD_SUBJECT] as SubjectOf<unknown>;
      const resolve: GraphQLFieldResolver<unknown, PolicyContext> = field.resolve ?? defaultFieldResolver;
      const decided = (allowed: boolean, subject: Subject, root: unknown, args: Record<string, unknown>, context: PolicyContext, info: GraphQLResolveInfo) => {
        context.decisions?.push({ rule: ruleName, subject, allowed });
        return allowed ? resolve(root, args, context, info) : null;
      };
      // no closure per call while the rule answers synchronously: this runs for each guarded field of every row
      field.resolve = (root, args, context: PolicyContext, info) => {
        const subject = subjectOf(root);
        const allowed = allows(context.viewer, subject, context.facts);
        return typeof allowed === 'boolean' ? decided(allowed, subject, root, args, context, info) : allowed.then((yes) => decided(yes, subject, root, args, context, info));
      };
    }
  }
  return schema;
}

/** Names who may call a query, mutation or subscription; public operations say so too. */
export function Allow(ruleName: OperationRuleName): MethodDecorator {
  const { refuse } = operationRules[ruleName];
  const guard: MiddlewareFn<PolicyContext> = ({ context }, next) => {
    const refusal = refuse(context.viewer);
    if (refusal) throw refusal;
    return next();
  };
  const extensions = Extensions({ [OPERATION_RULE]: ruleName });
  const middleware = UseMiddleware(guard);
  return (target: object, key: string | symbol, descriptor: PropertyDescriptor) => {
    extensions(target, key as string, descriptor);
    middleware(target, key as string, descriptor);
  };
}

/**
 * A subscription with its operation rule: checked when subscribing (where the stream is made) and, as for
 * every operation, through @Allow's extension for the permission snapshot.
 */
export function LiveSubscription<Data extends { context: PolicyContext }>(
  ruleName: OperationRuleName,
  returnType: () => ClassType | object,
  subscribe: (data: Data) => Promise<AsyncIterable<unknown>> | AsyncIterable<unknown>,
): MethodDecorator {
  const { refuse } = operationRules[ruleName];
  const guarded = ((data: Data) => {
    const refusal = refuse(data.context.viewer);
    if (refusal) throw refusal;
    return subscribe(data);
  }) as unknown as SubscribeFunc;
  const subscription = Subscription(returnType as ReturnTypeFunc, { subscribe: guarded });
  const allow = Allow(ruleName);
  return (target: object, key: string | symbol, descriptor: PropertyDescriptor) => {
    subscription(target, key, descriptor);
    allow(target, key, descriptor);
  };
}
