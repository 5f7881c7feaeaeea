import type { GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';

/**
 * The arguments of `fieldName` when the operation selects it exactly once on this resolver's result of type
 * `typeName` (aliases, fragments and @skip/@include accounted for): the parent then reads it in its own SQL
 * statement. null when it is not selected or selected more than once (each then reads for itself).
 */
export function lookAhead<Args>(info: GraphQLResolveInfo, typeName: string, fieldName: string): Args | null {
  const tree = parseResolveInfo(info) as ResolveTree | null | undefined;
  const selected = Object.values(tree?.fieldsByTypeName[typeName] ?? {}).filter((field) => field.name === fieldName);
  return selected.length === 1 ? (selected[0].args as Args) : null;
}
