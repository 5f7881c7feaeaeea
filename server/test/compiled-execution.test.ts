import { GraphQLError, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString, GraphQLInt, parse, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { compiledExecution } from '../src/http/compiled-execution.js';

/** A schema whose mutation does its work once and then fails, and a query field that fails with a code. */
function countingSchema() {
  const calls = { mutation: 0 };
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        echo: { type: GraphQLString, args: { n: { type: new GraphQLNonNull(GraphQLInt) } }, resolve: (_, { n }) => `n=${n}` },
        refused: {
          type: GraphQLString,
          resolve: () => {
            throw new GraphQLError('Not yours.', { extensions: { code: 'FORBIDDEN' } });
          },
        },
      },
    }),
    mutation: new GraphQLObjectType({
      name: 'Mutation',
      fields: {
        failAfterWork: {
          type: new GraphQLNonNull(GraphQLString),
          resolve: () => {
            calls.mutation++;
            throw new GraphQLError('Failed after its work.', { extensions: { code: 'CONFLICT' } });
          },
        },
      },
    }),
  });
  return { schema, calls };
}

async function run(schema: GraphQLSchema, query: string, variables: Record<string, unknown> = {}): Promise<ExecutionResult> {
  const { executor } = await compiledExecution(schema).load({ apollo: { key: undefined, keyHash: undefined, graphRef: undefined } });
  const document = parse(query);
  return (await executor!({ document, operationName: null, request: { query, variables }, context: {} } as never)) as ExecutionResult;
}

describe('compiled execution (graphql-jit through Apollo Server gateway interface)', () => {
  it('answers as graphql-js would, and a resolver error keeps its code, path and locations as a graphql-js error', async () => {
    const { schema } = countingSchema();
    expect((await run(schema, 'query($n: Int!) { echo(n: $n) }', { n: 3 })).data).toEqual({ echo: 'n=3' });

    const refused = await run(schema, '{ refused }');
    expect(refused.data).toEqual({ refused: null });
    const error = refused.errors![0];
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.extensions.code).toBe('FORBIDDEN');
    expect(error.path).toEqual(['refused']);
    expect(error.locations).toEqual([{ line: 1, column: 3 }]);
    // Apollo's error handling and graphql-armor rewrite messages; graphql-jit's own errors refuse that
    (error as { message: string }).message = 'masked';
    expect(error.message).toBe('masked');
  });

  it("gives graphql-js's variable errors (Apollo's BAD_USER_INPUT) when the variables do not fit", async () => {
    const { schema } = countingSchema();
    const wrongType = await run(schema, 'query($n: Int!) { echo(n: $n) }', { n: 'three' });
    expect(wrongType.data).toBeUndefined();
    expect(wrongType.errors![0].message).toMatch(/^Variable "\$n" got invalid value "three"/);
    // what Apollo recognises a variable error by before it answers BAD_USER_INPUT
    expect(wrongType.errors![0].nodes?.map((node) => node.kind)).toEqual(['VariableDefinition']);
    const missing = await run(schema, 'query($n: Int!) { echo(n: $n) }', {});
    expect(missing.errors![0].message).toMatch(/^Variable "\$n" of required type "Int!" was not provided/);
  });

  it('runs a mutation once when its resolver fails (the graphql-js fallback is for variables only)', async () => {
    const { schema, calls } = countingSchema();
    const result = await run(schema, 'mutation { failAfterWork }');
    expect(result.data).toBeNull();
    expect(result.errors![0].extensions.code).toBe('CONFLICT');
    expect(calls.mutation).toBe(1);
  });
});
