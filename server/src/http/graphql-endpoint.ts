import { HeaderMap, type ApolloServer, type HTTPGraphQLRequest } from '@apollo/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log.js';
import type { AppContext } from '../modules/context.js';
import { answerTransportError, runMiddlewares, type Middleware } from './plain-http.js';
import { graphqlResponseHeaders, setHeaders, type HeaderList } from './response-headers.js';

/** `/graphql` in any letter case (as Express routed it), with or without a trailing slash or a query string
 * (GET operations carry theirs there) */
export const isGraphqlPath = (url: string | undefined): boolean => /^\/graphql\/?(?:\?|$)/i.test(url ?? '');

/** What runs before Apollo: helmet and cors (their headers are recorded once, see response-headers.ts), then the body parsers. */
export type GraphqlMiddlewares = { security: Middleware; cors: Middleware; body: readonly Middleware[] };

/**
 * /graphql on node:http, as Apollo Server's own standalone server runs it: helmet's headers, CORS and the body
 * parser as connect middlewares, then Apollo's HTTP handling (CSRF prevention, operation limits, error masking,
 * plugins). Express keeps the other routes; for a small operation its routing, its request and response
 * decoration and the ETag it hashes from every answer took a third of the CPU (0.33 → 0.21 ms for `{ __typename }`).
 * The head of an answer is written at once: helmet's and cors's headers as recorded, then Apollo's.
 */
export function graphqlEndpoint(
  apollo: ApolloServer<AppContext>,
  middlewares: GraphqlMiddlewares,
  context: (req: IncomingMessage, res: ServerResponse) => Promise<AppContext>,
  log: Logger,
) {
  const headersFor = graphqlResponseHeaders(middlewares.security, middlewares.cors);
  // a preflight is cors's to answer, as on every route
  const preflight = [middlewares.security, middlewares.cors, ...middlewares.body];
  const execute = async (req: IncomingMessage, res: ServerResponse, fixed: HeaderList) => {
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
    const head: string[] = [];
    for (const [name, value] of fixed) head.push(name, value);
    for (const [name, value] of response.headers) head.push(name, value);
    res.writeHead(response.status ?? 200, head);
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
  const fail = (res: ServerResponse, fixed: HeaderList, error: unknown) => {
    if (!res.headersSent) setHeaders(res, fixed);
    answerTransportError(log, res, error);
  };
  return (req: IncomingMessage, res: ServerResponse) => {
    const isPreflight = req.method === 'OPTIONS';
    const fixed = isPreflight ? [] : headersFor(req);
    runMiddlewares(isPreflight ? preflight : middlewares.body, req, res, (error) => {
      if (error) return fail(res, fixed, error);
      execute(req, res, fixed).catch((failure) => fail(res, fixed, failure));
    });
  };
}
