import { Kind, type OperationDefinitionNode } from 'graphql';

const ROOT = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' } as const;

/** The schema's names of the root fields an operation selects (Query.workspaces), never client-chosen aliases. */
export function rootFieldsOf(operation: OperationDefinitionNode | null | undefined): string[] {
  if (!operation) return [];
  const names: string[] = [];
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind === Kind.FIELD && !selection.name.value.startsWith('__')) names.push(`${ROOT[operation.operation]}.${selection.name.value}`);
  }
  return names;
}
