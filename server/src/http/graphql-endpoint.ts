import { HeaderMap, type ApolloServer, type HTTPGraphQLRequest } from '@apollo/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log.js';
import type { AppContext } from '../modules/context.js';
import { answerTransportError, runMiddlewares, type Middleware } from './plain-http.js';

/** `/graphql` in any letter case (as Express routed it), with or without a trailing slash or a query string
 * (GET operations carry theirs there) */
export const isGraphqlPath = (url: string | undefined): boolean => /^\/graphql\/?(?:\?|$)/i.test(url ?? '');

/**
 * /graphql on node:http, as Apollo Server's own standalone server runs it: helmet's headers, CORS and the body
 * parser as connect middlewares, then Apollo's HTTP handling (CSRF prevention, operation limits, error masking,
 * plugins). Express keeps the other routes; for a small operation its routing, its request and response
 * decoration and the ETag it hashes from every answer took a third of the CPU (0.33 → 0.21 ms for `{ __typename }`).
 */
export function graphqlEndpoint(
  apollo: ApolloServer<AppContext>,
  before: readonly Middleware[],
  context: (req: IncomingMessage, res: ServerResponse) => Promise<AppContext>,
  log: Logger,
) {
  const execute = async (req: IncomingMessage, res: ServerResponse) => {
    const headers = new HeaderMap();
    for (const key in req.headers) {
      const value = req.headers[key];
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const request: HTTPGraphQLRequest = {
      method: req.method?.toUpperCase() ?? 'GET',
      headers,
      search: query === -1 ? '' : url.slice(query),
      body: (req as { body?: unknown }).body,
    };
    const response = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: request, context: () => context(req, res) });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
  return (req: IncomingMessage, res: ServerResponse) =>
    runMiddlewares(before, req, res, (error) => {
      if (error) return answerTransportError(log, res, error);
      execute(req, res).catch((failure) => answerTransportError(log, res, failure));
    });
}
