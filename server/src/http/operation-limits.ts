import { ApolloArmor } from '@escape.tech/graphql-armor';
import { NoSchemaIntrospectionCustomRule, GraphQLError, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { isPlatformAdminViewer, type Viewer } from '../policy/viewer.js';

/**
 * Limits every operation must fit, on HTTP and WebSocket alike. The app's own queries stay far below them;
 * an attacker's depth, alias, directive, token or cost bomb does not.
 */
export const operationLimits = {
  maxDepth: 12,
  maxAliases: 15,
  maxDirectives: 20,
  maxTokens: 2000,
  maxCost: 25_000,
};

export function armor() {
  return new ApolloArmor({
    maxDepth: { n: operationLimits.maxDepth, flattenFragments: true },
    maxAliases: { n: operationLimits.maxAliases },
    maxDirectives: { n: operationLimits.maxDirectives },
    // tokens are limited by graphql-js's own parser (parseOptions.maxTokens): a 400 like any syntax error
    maxTokens: { enabled: false },
    costLimit: { maxCost: operationLimits.maxCost },
    // "Did you mean" hints are taken out by Apollo (hideSchemaDetailsFromClientErrors) and the error formatter;
    // armor's plugin for it was a third pass, and a plugin on every request (5% of a thread page's CPU)
    blockFieldSuggestion: { enabled: false },
  }).protect();
}

// Apollo hands every request with the same text the same parsed document: one validation pass per text
const introspecting = new WeakMap<DocumentNode, boolean>();
function introspects(schema: GraphQLSchema, document: DocumentNode): boolean {
  let answer = introspecting.get(document);
  if (answer === undefined) introspecting.set(document, (answer = validate(schema, document, [NoSchemaIntrospectionCustomRule]).length > 0));
  return answer;
}

/** Introspection: open in development; elsewhere for platform admins only (the schema is no secret, but no map for attackers). */
export function introspectionRefusal(schema: GraphQLSchema, document: DocumentNode, viewer: Viewer, open: boolean): GraphQLError | null {
  if (open || isPlatformAdminViewer(viewer) || !introspects(schema, document)) return null;
  return new GraphQLError('Introspection is available to platform admins only.', {
    extensions: { code: 'FORBIDDEN', http: { status: 403 } },
  });
}
