import { Extensions, Subscription, UseMiddleware, type ClassType, type MiddlewareFn } from 'type-graphql';

type ReturnTypeFunc = Parameters<typeof Subscription>[0] & ((...args: never[]) => unknown);
type SubscribeFunc = Extract<Parameters<typeof Subscription>[1], { subscribe: unknown }>['subscribe'];
import { fieldRules, type FieldRuleName } from './field-rules.js';
import { operationRules, type OperationRuleName } from './operation-rules.js';
import type { PolicyContext, Subject } from './facts.js';

/** Names of the GraphQL field extensions that carry the rules; tests and docs read the schema through them. */
export const FIELD_RULE = 'readableBy';
export const OPERATION_RULE = 'allow';

const NOTHING = Promise.resolve(null);
type SubjectOf<T> = (parent: T) => Subject;
const theUserItself: SubjectOf<{ id: string }> = (parent) => ({ person: parent.id });

/**
 * Marks a [personal] field and names its rule. `subjectOf` says whose data it is and where it lives (default:
 * the User itself). A viewer the rule does not allow gets null, never an error.
 */
export function ReadableBy<T = { id: string }>(ruleName: FieldRuleName, subjectOf: SubjectOf<T> = theUserItself as SubjectOf<T>): PropertyDecorator & MethodDecorator {
  const { allows } = fieldRules[ruleName];
  const guard: MiddlewareFn<PolicyContext> = ({ root, context }, next) => {
    const subject = subjectOf(root as T);
    const decide = (allowed: boolean): Promise<unknown> => {
      context.decisions?.push({ rule: ruleName, subject, allowed });
      return allowed ? next() : NOTHING;
    };
    // facts already known answer synchronously: no extra promise for each row's field
    const allowed = allows(context.viewer, subject, context.facts);
    return typeof allowed === 'boolean' ? decide(allowed) : allowed.then(decide);
  };
  const extensions = Extensions({ [FIELD_RULE]: ruleName });
  const middleware = UseMiddleware(guard);
  return (target: object, key: string | symbol, descriptor?: PropertyDescriptor) => {
    extensions(target, key as string, descriptor as PropertyDescriptor);
    middleware(target, key as string, descriptor as PropertyDescriptor);
  };
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
