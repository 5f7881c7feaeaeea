import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { wsClient } from '../apollo';

/**
 * The admins' GraphQL IDE, bundled with the app (no CDN) and loaded only when opened. Queries go over HTTP with
 * the admin's session cookie, subscriptions over the app's own graphql-ws connection; introspection works because
 * the server allows it to platform admins.
 */
const fetcher = createGraphiQLFetcher({ url: '/graphql', wsClient });

export function GraphiQLPage() {
  return (
    <main className="graphiql-page">
      <GraphiQL fetcher={fetcher} defaultQuery={'{\n  me {\n    username\n    platformRole\n  }\n}\n'} />
    </main>
  );
}
