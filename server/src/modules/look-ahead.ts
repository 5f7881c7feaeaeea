import { getArgumentValues, isObjectType, type GraphQLResolveInfo } from 'graphql';
// graphql-js's own field collection, as its executor runs it on this resolver's result (fragments, type conditions,
// @skip/@include); marked internal, so the exact graphql version is pinned and test/chat.test.ts covers the shapes
import { collectSubfields } from 'graphql/execution/collectFields.js';

/**
 * The arguments of `fieldName` when the operation selects it exactly once on this resolver's result of type
 * `typeName` (aliases, fragments and @skip/@include accounted for): the parent then reads it in its own SQL
 * statement. null when it is not selected or selected more than once (each then reads for itself).
 *
 * Only the resolver's own selection is collected: graphql-parse-resolve-info, which this replaced, built the whole
 * tree below it at every request, about 5% of a thread query's time.
 */
export function lookAhead<Args>(info: GraphQLResolveInfo, typeName: string, fieldName: string): Args | null {
  const type = info.schema.getType(typeName);
  if (!isObjectType(type)) return null;
  const field = type.getFields()[fieldName];
  if (!field) return null;
  const selected = [...collectSubfields(info.schema, info.fragments, info.variableValues, type, info.fieldNodes).values()].filter(
    (nodes) => nodes[0].name.value === fieldName,
  );
  // validation has made every selection under one response key ask for the same arguments
  return selected.length === 1 ? (getArgumentValues(field, selected[0][0], info.variableValues) as Args) : null;
}
