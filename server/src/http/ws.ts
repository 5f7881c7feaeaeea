import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, getOperationAST, parse, specifiedRules, subscribe, validate, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { CloseCode, type Context as WsContext } from 'graphql-ws';
import { channels, type AccountClosedMessage } from '../realtime/channels.js';
import { isGraphqlPath } from './graphql-endpoint.js';
import { originAllowed } from './origin.js';
import { sharedSubscription, type SharedDelivery } from './live-delivery.js';
import { roomSubscription } from './room-subscription.js';
import { SharedResults, shareable } from './shared-results.js';
import { rootFieldsOf } from './root-fields.js';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { ClientError } from '../errors.js';
import type { AppContext } from '../modules/context.js';
import type { Viewer } from '../policy/viewer.js';
import type { HttpDeps } from './app.js';
import { buildContext } from './context.js';
import { readCredentials, viewerFor } from './credentials.js';
import { errorFormatter } from './error-format.js';
import { armor, introspectionRefusal, operationLimits } from './operation-limits.js';
import { clientAddress } from './plain-http.js';

/** `request` is dropped once the connection is accepted (what is needed of it is kept in `client`): an idle socket
 * should not hold its upgrade request's headers for hours. Emptied, not deleted: a deleted property turns the
 * object into a slower, larger dictionary, one per connection. */
type Extra = { socket: WebSocket; request?: IncomingMessage; client?: AppContext['client']; viewer?: Viewer };
type LiveContext = AppContext & { sharedDelivery?: SharedDelivery };


/** graphql-ws on the HTTP server's port and path, with the same schema, policy and limits as HTTP. */
export function attachWebSocketServer(server: Server, deps: HttpDeps) {
  const { config, log, orm, schema, services, metrics } = deps;
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.wsMaxPayloadBytes });
  const allowedOrigins = new Set(config.allowedOrigins);
  const validationRules = [...specifiedRules, ...armor().validationRules];
  const formatError = errorFormatter(log, { stackTraces: config.env === 'development', metrics });
  const contexts = new Map<WebSocket, { subscriptions: Record<string, unknown>; extra: Extra }>();
  metrics.beforeScrape.push(() => {
    metrics.websockets.set(wss.clients.size);
    metrics.subscriptions.set([...contexts.values()].reduce((n, c) => n + Object.keys(c.subscriptions).length, 0));
  });
  const introspectionOpen = config.env === 'development';

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const origin = request.headers.origin;
    // Browsers always send Origin; a foreign one would ride on the user's cookie (cross-site WebSocket hijacking).
    // The app's own page (same host) and the configured origins may connect.
    const refusal = !isGraphqlPath(request.url) ? '404 Not Found' : !originAllowed(origin, request.headers.host, allowedOrigins) ? '403 Forbidden' : null;
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  server.on('upgrade', onUpgrade);

  // Dead mobile connections never say goodbye: ping, and drop those that did not answer the last ping.
  const alive = new WeakSet<WebSocket>();
  // one listener function for every socket (`this` is the socket), not a closure per socket
  function answered(this: WebSocket) {
    alive.add(this);
  }
  wss.on('connection', (ws) => {
    alive.add(ws);
    ws.on('pong', answered);
  });
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, config.wsKeepAliveMs);
  heartbeat.unref();

  // graphql-ws wants GraphQLError instances; they carry the formatted (masked) message and extensions
  const formatted = (error: GraphQLError) => {
    const f = formatError(error.toJSON(), error);
    return new GraphQLError(f.message, { extensions: f.extensions });
  };
  const refuse = (error: GraphQLError) => [formatted(error)];

  // an erased account's (or ended session's) sockets close at once, on every process. A person's sockets in an
  // array (most have one or two), their sessions read from their contexts: no Set and entry per socket
  const socketsOf = new Map<string, WebSocket[]>();
  const sessionOf = (socket: WebSocket) => {
    const viewer = contexts.get(socket)?.extra.viewer;
    return viewer?.kind === 'user' ? viewer.sessionId : null;
  };
  const stopListening = services.pubsub.subscribe(channels.accountClosed(), (message) => {
    const { userId, sessionId, exceptSessionId } = message as AccountClosedMessage;
    for (const socket of [...(socketsOf.get(userId) ?? [])]) {
      const ends = sessionId ? sessionOf(socket) === sessionId : sessionOf(socket) !== exceptSessionId;
      if (ends) socket.close(CloseCode.Forbidden, 'Forbidden');
    }
  });

  /** A closed socket's entries go (one listener function for every socket: `this` is the socket). */
  function forget(this: WebSocket) {
    const viewer = contexts.get(this)?.extra.viewer;
    contexts.delete(this);
    if (viewer?.kind !== 'user') return;
    const remaining = (socketsOf.get(viewer.userId) ?? []).filter((socket) => socket !== this);
    if (remaining.length > 0) socketsOf.set(viewer.userId, remaining);
    else socketsOf.delete(viewer.userId);
  }

  // Subscribers of one group share a key: one copy of it (not a string per subscription), while groups are few
  const groupKeys = new Map<string, string>();
  const sharedKey = (key: string) => {
    const known = groupKeys.get(key);
    if (known !== undefined) return known;
    if (groupKeys.size >= 10_000) groupKeys.clear();
    groupKeys.set(key, key);
    return key;
  };

  /** Drops a socket that does not take what is sent to it: its backlog would otherwise grow without bound. */
  const tooSlow = (socket: WebSocket) => {
    if (socket.bufferedAmount <= config.wsSlowClientBytes) return false;
    metrics.slowClientsDropped.inc();
    log.warn({ buffered: socket.bufferedAmount }, 'dropping a slow WebSocket client');
    socket.terminate();
    return true;
  };

  const sharedResults = new SharedResults();

  // Apps send the same few subscription documents thousands of times: each distinct text is parsed, validated
  // and looked at once, and its AST is shared by every subscription that sends it.
  // `id` names the text in subscriptions' group keys, which would otherwise each hold a copy of it
  const documents = new Map<string, { id: number; text: string; document: DocumentNode; sharesResults: boolean } | GraphQLError | readonly GraphQLError[]>();
  let documentIds = 0;
  const checkedDocument = (query: string) => {
    let checked = documents.get(query);
    if (checked) return checked;
    try {
      const document = parse(query, { maxTokens: operationLimits.maxTokens });
      const errors = validate(schema, document, validationRules);
      checked = errors.length > 0 ? errors : { id: ++documentIds, text: query, document, sharesResults: shareable(schema, document, getOperationAST(document)) };
    } catch (error) {
      checked = error as GraphQLError;
    }
    if (documents.size >= 1000) documents.delete(documents.keys().next().value!);
    documents.set(query, checked);
    return checked;
  };
  const formatResult = (result: ExecutionResult): ExecutionResult =>
    result.errors ? { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e) as unknown as GraphQLError) } : result;

  const delivery = { orm, services, metrics, sharedResults, tooSlow, formatResult };
  // one for all seats: each seat keeps its deps for its whole life
  const roomDelivery = { ...delivery, schema };

  const graphqlWs = useServer<Record<string, unknown> | undefined, Extra>(
    {
      schema,
      connectionInitWaitTimeout: config.wsConnectionInitTimeoutMs,
      onConnect: async (ctx: WsContext<Record<string, unknown> | undefined, Extra>) => {
        const authorization = ctx.connectionParams?.authorization;
        try {
          const request = ctx.extra.request!;
          ctx.extra.request = undefined;
          const credentials = readCredentials(typeof authorization === 'string' ? authorization : undefined, request.headers.cookie);
          const { viewer } = await viewerFor(orm.em.fork(), services, credentials);
          ctx.extra.viewer = viewer;
          // one for all the connection's subscriptions
          ctx.extra.client = { ip: clientAddress(request, config.trustProxy), viaApi: credentials?.from === 'header' };
          // the token has done its work: an open socket should not keep it in memory for hours
          (ctx as { connectionParams?: unknown }).connectionParams = undefined;
          contexts.set(ctx.extra.socket, ctx);
          if (viewer.kind === 'user') {
            socketsOf.set(viewer.userId, [...(socketsOf.get(viewer.userId) ?? []), ctx.extra.socket]);
          }
          ctx.extra.socket.on('close', forget);
          // the client may have gone while its session was looked up: then 'close' came before the listener
          if (ctx.extra.socket.readyState === ctx.extra.socket.CLOSED) forget.call(ctx.extra.socket);
          return true;
        } catch {
          return false; // graphql-ws closes with 4403 Forbidden
        }
      },
      subscribe: (args) => {
        const shared = (args.contextValue as LiveContext).sharedDelivery;
        if (!shared) return subscribe(args);
        return rootFieldsOf(getOperationAST(args.document, args.operationName))[0] === 'Subscription.messageEvents'
          ? roomSubscription(roomDelivery, args, shared)
          : sharedSubscription(delivery, args, shared);
      },
      onSubscribe: (ctx, id, payload) => {
        const viewer = ctx.extra.viewer!;
        // graphql-ws registers the subscription before this hook runs: the count includes this one
        if (Object.keys(ctx.subscriptions).length > config.wsMaxSubscriptionsPerSocket) {
          return refuse(new ClientError('RATE_LIMITED', `At most ${config.wsMaxSubscriptionsPerSocket} operations at once on one connection.`));
        }
        const checked = checkedDocument(payload.query);
        if (checked instanceof GraphQLError) return refuse(checked);
        if (!('document' in checked)) return checked.map(formatted);
        const { id: documentId, text, document, sharesResults } = checked;
        // graphql-ws keeps the subscribe message for the subscription's life: let it hold the one shared copy of the text
        (payload as { query: string }).query = text;
        const introspection = introspectionRefusal(schema, document, viewer, introspectionOpen);
        if (introspection) return refuse(introspection);
        const operation = getOperationAST(document, payload.operationName);
        void services.usage.record(viewer, rootFieldsOf(operation));
        const client = ctx.extra.client!;
        const contextValue: LiveContext = buildContext(orm, services, viewer, client, { live: operation?.operation === 'subscription' });
        if (sharesResults && operation?.operation === 'subscription') {
          // who may share: the same operation and variables, and the same kind of viewer; the rest is decided per event
          const kind = viewer.kind === 'user' ? `user:${viewer.platformRole}` : viewer.kind;
          contextValue.sharedDelivery = { id, socket: ctx.extra.socket, client, group: sharedKey(`${kind}\u0000${payload.operationName ?? ''}\u0000${documentId}\u0000${JSON.stringify(payload.variables ?? {})}`) };
        }
        const args: ExecutionArgs = { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue };
        return args;
      },
      onNext: (ctx, _id, _payload, _args, result) => {
        if (tooSlow(ctx.extra.socket)) return;
        metrics.eventsDelivered.inc();
        return formatResult(result);
      },
    },
    wss,
    // no keep-alive of graphql-ws's own (a ping timer, a pong timer and a listener per socket): the heartbeat
    // above pings every socket from one timer
    0,
  );

  return {
    /** Closes every socket with 1001 (going away): clients reconnect, elsewhere or after the restart. */
    async close() {
      clearInterval(heartbeat);
      (await stopListening)();
      server.off('upgrade', onUpgrade);
      await graphqlWs.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
