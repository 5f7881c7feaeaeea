import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Types for the React app's operations, from the committed schema. Typed document nodes (Apollo's advice over
 * the client preset): each operation becomes a TypedDocumentNode that useQuery/useMutation infer from.
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['client/src/**/*.graphql'],
  ignoreNoDocuments: true,
  generates: {
    'client/src/generated/graphql.ts': {
      // typescript-operations 6 emits the schema types the operations use itself
      plugins: ['typescript-operations', 'typed-document-node'],
      config: { enumsAsTypes: true, useTypeImports: true, scalars: { DateTimeISO: 'string' } },
    },
  },
};

export default config;
