import { ApolloServer, HeaderMap, type ApolloServerOptionsWithGateway, type BaseContext } from '@apollo/server';
import { GraphQLObjectType, GraphQLSchema, GraphQLString, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';

type Gateway = ApolloServerOptionsWithGateway<BaseContext>['gateway'];
type SeenResponse = { http: { status?: number } };

/**
 * patches/@apollo__server@5.5.1.patch: Apollo's gateway request context gave every request a `response.http`
 * literal with its own getter and setter, so V8 made a new hidden class per request, holding that request's
 * closures from the old generation. Every request's context then outlived young-generation collections (in the
 * product 11 KB per `{ __typename }` promoted, against 0.6 KB with the patch). These tests fail if an upgrade or
 * a reinstall drops the patch, and check that the status still reaches the answer.
 */
async function serverSeeing(onResponse: (response: SeenResponse) => void) {
  const schema = new GraphQLSchema({ query: new GraphQLObjectType({ name: 'Query', fields: { hello: { type: GraphQLString } } }) });
  const gateway: Gateway = {
    async load() {
      return {
        schema,
        executor: async ({ response }) => {
          onResponse(response as SeenResponse);
          return { data: { hello: 'hoi' } };
        },
      };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => {};
    },
    async stop() {},
  };
  const apollo = new ApolloServer({ gateway });
  await apollo.start();
  const ask = () =>
    apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body: { query: '{ hello }' } },
      context: async () => ({}),
    });
  return { apollo, ask };
}

describe("Apollo's gateway request context (patched)", () => {
  it('gives every request a response of one class, with `status` an accessor of the class and not of each object', async () => {
    const seen: SeenResponse[] = [];
    const { apollo, ask } = await serverSeeing((response) => seen.push(response));
    await ask();
    await ask();
    await apollo.stop();
    expect(seen).toHaveLength(2);
    const [first, second] = seen.map((response) => response.http);
    expect(first).not.toBe(second);
    expect(Object.getPrototypeOf(first)).toBe(Object.getPrototypeOf(second));
    expect(Object.getPrototypeOf(first)).not.toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(first, 'status')).toBeUndefined();
    expect(typeof Object.getOwnPropertyDescriptor(Object.getPrototypeOf(first), 'status')?.set).toBe('function');
  });

  it("passes a status the executor sets to the HTTP answer, and reads back Apollo's", async () => {
    let before: number | undefined = -1;
    const { apollo, ask } = await serverSeeing((response) => {
      before = response.http.status;
      response.http.status = 299;
    });
    const answer = await ask();
    await apollo.stop();
    expect(before).toBeUndefined();
    expect(answer.status).toBe(299);
    expect(answer.body.kind === 'complete' && JSON.parse(answer.body.string)).toEqual({ data: { hello: 'hoi' } });
  });
});
