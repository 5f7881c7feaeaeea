import { ApolloClient, HttpLink, InMemoryCache, split } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { Kind, OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';

/**
 * Queries and mutations over HTTP, subscriptions over graphql-ws, both with the browser's httpOnly session
 * cookie (no token in the page's storage).
 */
const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
export const wsClient = createClient({ url: wsUrl, lazy: true, retryAttempts: Infinity, shouldRetry: () => true });

const link = split(
  ({ query }) => {
    const definition = getMainDefinition(query);
    return definition.kind === Kind.OPERATION_DEFINITION && definition.operation === OperationTypeNode.SUBSCRIPTION;
  },
  new GraphQLWsLink(wsClient),
  new HttpLink({ uri: '/graphql', credentials: 'same-origin' }),
);

export const apollo = new ApolloClient({ link, cache: new InMemoryCache() });

/** After signing in or out the socket must carry the new cookie: close it, the next subscription reconnects. */
export async function sessionChanged(): Promise<void> {
  wsClient.terminate();
  await apollo.resetStore();
}
