import { Extensions, UseMiddleware, type MiddlewareFn } from 'type-graphql';
import { fieldRules, type FieldRuleName } from './field-rules.js';
import { operationRules, type OperationRuleName } from './operation-rules.js';
import type { PolicyContext } from './facts.js';

/** Names of the GraphQL field extensions that carry the rules; tests and docs read the schema through them. */
export const FIELD_RULE = 'readableBy';
export const OPERATION_RULE = 'allow';

type PersonOf<T> = (parent: T) => string | null | undefined;
const personIsSelf: PersonOf<{ id: string }> = (parent) => parent.id;

/**
 * Marks a [personal] field and names its rule. `personOf` says whose data it is (default: the parent's own id,
 * as for User). A viewer the rule does not allow gets null, never an error.
 */
export function ReadableBy<T = { id: string }>(ruleName: FieldRuleName, personOf: PersonOf<T> = personIsSelf as PersonOf<T>): PropertyDecorator & MethodDecorator {
  const { allows } = fieldRules[ruleName];
  const guard: MiddlewareFn<PolicyContext> = async ({ root, context }, next) => {
    const allowed = await allows(context.viewer, personOf(root as T) ?? null, context.facts);
    return allowed ? next() : null;
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
