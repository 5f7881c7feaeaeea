import type { IncomingMessage, OutgoingHttpHeader, ServerResponse } from 'node:http';
import type { Middleware } from './plain-http.js';

/** Response headers as name and value pairs, in the order they were set (a name may come twice). */
export type HeaderList = readonly (readonly [string, string])[];

type RequestLike = Pick<IncomingMessage, 'method' | 'url' | 'headers'>;

/**
 * The headers a middleware that only sets headers (helmet, cors for a request that is not a preflight) sets for
 * `req`, run once against a response that records them. It must finish synchronously, as both do.
 */
export function recordHeaders(middleware: Middleware, req: RequestLike): HeaderList {
  const set = new Map<string, [string, OutgoingHttpHeader]>();
  const recorder = {
    setHeader(name: string, value: OutgoingHttpHeader) {
      set.set(name.toLowerCase(), [name, value]);
      return recorder;
    },
    getHeader: (name: string) => set.get(name.toLowerCase())?.[1],
    removeHeader: (name: string) => void set.delete(name.toLowerCase()),
  };
  let done = false;
  middleware(req as IncomingMessage, recorder as unknown as ServerResponse, (error) => {
    if (error) throw error;
    done = true;
  });
  if (!done) throw new Error('a header middleware did not finish synchronously');
  return [...set.values()].flatMap(([name, value]) => (Array.isArray(value) ? value.map((v) => [name, v] as const) : [[name, String(value)] as const]));
}

/** At most this many origins' CORS answers are kept: origins are the client's to choose, allowed or not. */
const KEPT_ORIGINS = 256;

/**
 * The security and CORS headers of a /graphql answer (not a preflight: cors answers those itself), made by helmet
 * and cors as on every other route, but each set once: helmet's do not depend on the request (no nonces here), and
 * cors's depend only on the Origin for a request that is not a preflight. Run at every request, the two set some
 * fifteen headers one by one through a dozen middlewares: 12% of the server's CPU for a thread page, as much as
 * Apollo's whole request pipeline.
 */
export function graphqlResponseHeaders(security: Middleware, cors: Middleware): (req: IncomingMessage) => HeaderList {
  const fixed = recordHeaders(security, { method: 'POST', url: '/graphql', headers: {} });
  const byOrigin = new Map<string, HeaderList>();
  return (req) => {
    const origin = req.headers.origin ?? '';
    let headers = byOrigin.get(origin);
    if (!headers) {
      headers = [...fixed, ...recordHeaders(cors, { method: 'POST', url: '/graphql', headers: origin ? { origin } : {} })];
      if (byOrigin.size < KEPT_ORIGINS) byOrigin.set(origin, headers);
    }
    return headers;
  };
}

/** Sets headers on a response whose head is not written yet (an error answer). */
export function setHeaders(res: ServerResponse, headers: HeaderList): void {
  for (const [name, value] of headers) res.appendHeader(name, value);
}
