import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import cors from 'cors';
import helmet from 'helmet';
import express, { type ErrorRequestHandler } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { rootFieldsOf } from './root-fields.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, type Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { AppContext } from '../modules/context.js';
import type { Services } from '../modules/services.js';
import { graphqlBodyParser } from './body-limit.js';
import { buildContext } from './context.js';
import { documentRoutes } from './documents.js';
import { unsubscribeRoutes } from './unsubscribe.js';
import { readCredentials, SESSION_COOKIE, viewerFor } from './credentials.js';
import { errorFormatter } from './error-format.js';
import { graphqlEndpoint, isGraphqlPath } from './graphql-endpoint.js';
import { answerTransportError, appendCookie, clientAddress, overHttps, type Middleware } from './plain-http.js';
import { armor, introspectionRefusal, operationLimits } from './operation-limits.js';
import { compiledExecution } from './compiled-execution.js';
import { freshUnitOfWork } from '../db/quiet-contexts.js';

export type HttpDeps = { config: Config; log: Logger; orm: MikroORM; schema: GraphQLSchema; services: Services; metrics: Metrics };
/** shared by the transports: set when shutdown begins, so /readyz sends new traffic elsewhere */
export type TransportState = { draining: boolean };

/** The browser's session cookie: httpOnly, SameSite=Lax, Secure over HTTPS. */
function browserSession(config: Config, req: IncomingMessage, res: ServerResponse): AppContext['browserSession'] {
  const secure = config.cookieSecure ?? overHttps(req, config.trustProxy);
  return {
    set: (token, expiresAt) => appendCookie(res, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: expiresAt }),
    clear: () => appendCookie(res, SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: new Date(1) }),
  };
}

export async function createHttpApp(deps: HttpDeps, state: TransportState, extraPlugins: ApolloServerPlugin<AppContext>[]) {
  const { config, log, orm, schema, services, metrics } = deps;
  const protection = armor();
  const introspectionOpen = config.env === 'development';
  const introspectionGate: ApolloServerPlugin<AppContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, contextValue }) {
          const refusal = introspectionRefusal(schema, document, contextValue.viewer, introspectionOpen);
          if (refusal) throw refusal;
        },
      };
    },
  };
  // anonymised usage statistics: which root fields ran (schema names), for people who allow it
  const usageCounter: ApolloServerPlugin<AppContext> = {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      let operationName = 'unknown';
      let fields: string[] = [];
      return {
        async didResolveOperation({ operation, contextValue }) {
          fields = rootFieldsOf(operation);
          operationName = fields.join(',') || 'unknown';
          await services.usage.record(contextValue.viewer, fields);
        },
        // one timer per operation, attributed to its root fields: a willResolveField hook would make Apollo wrap
        // every field of every row in a timing callback
        async executionDidStart() {
          const executionStarted = process.hrtime.bigint();
          return {
            async executionDidEnd() {
              const seconds = Number(process.hrtime.bigint() - executionStarted) / 1e9;
              for (const field of fields) metrics.resolverDuration.observe({ field }, seconds);
            },
          };
        },
        async willSendResponse({ response }) {
          const failed = response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0;
          metrics.requestDuration.observe({ operation: operationName, outcome: failed ? 'error' : 'ok' }, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
  const apollo = new ApolloServer<AppContext>({
    gateway: compiledExecution(schema),
    introspection: true, // decided per viewer by introspectionGate
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: config.env === 'development',
    hideSchemaDetailsFromClientErrors: true,
    validationRules: protection.validationRules,
    parseOptions: { maxTokens: operationLimits.maxTokens },
    // armor's types come from Apollo's CJS build; the plugins are context-agnostic
    // no @cacheControl in this schema: Apollo's cache-control plugin would only add a hook to every field
    plugins: [...(protection.plugins as ApolloServerPlugin<AppContext>[]), ApolloServerPluginCacheControlDisabled(), introspectionGate, usageCounter, ...extraPlugins],
    formatError: errorFormatter(log, { stackTraces: config.env === 'development', metrics }),
    logger: {
      debug: (m) => log.debug(m),
      info: (m) => log.info(m),
      warn: (m) => log.warn(m),
      error: (m) => log.error(m),
    },
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  const securityHeaders = helmet({
    // the API answers JSON; the app (served later from here) brings its own scripts, never inline ones
    contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"], objectSrc: ["'none'"], baseUri: ["'self'"] } },
    crossOriginEmbedderPolicy: false,
    hsts: config.tls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
  }) as Middleware;
  app.use(securityHeaders);
  const crossOrigin = cors({ origin: config.allowedOrigins, credentials: true }) as Middleware;

  app.get('/readyz', async (_req, res) => {
    if (state.draining) {
      res.status(503).json({ status: 'shutting down' });
      return;
    }
    try {
      await orm.em.getConnection().execute('select 1');
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unreachable' });
    }
  });

  app.get('/metrics', async (req, res) => {
    const fromHere = ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(req.socket.remoteAddress ?? '');
    const allowed = config.metricsToken ? req.headers.authorization === `Bearer ${config.metricsToken}` : fromHere;
    if (!allowed) {
      res.status(404).end();
      return;
    }
    res.type(metrics.registry.contentType).send(await metrics.scrape());
  });

  app.get('/healthz', async (_req, res) => {
    try {
      await orm.em.getConnection().execute('select 1');
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'database unreachable' });
    }
  });

  app.use('/documents', crossOrigin);
  app.use(documentRoutes({ config, log, orm, services }));
  app.use(unsubscribeRoutes({ orm, services }));
  app.get('/me/export', async (req, res) => {
    try {
      const em = orm.em.fork();
      const { viewer } = await viewerFor(em, services, readCredentials(req.headers.authorization, req.headers.cookie));
      if (viewer.kind !== 'user') {
        res.status(401).json({ errors: [{ message: 'Sign in first.', extensions: { code: 'UNAUTHENTICATED' } }] });
        return;
      }
      const document = await services.export.build(em, viewer.userId, schema);
      res.set({ 'Content-Disposition': `attachment; filename="client-online-export-${String(document.generatedAt).slice(0, 10)}.json"`, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
      res.json(document);
    } catch (error) {
      const status = error instanceof GraphQLError && error.extensions.code === 'UNAUTHENTICATED' ? 401 : 500;
      if (status === 500) log.error({ err: error }, 'export failed');
      res.status(status).json({ errors: [{ message: status === 401 ? 'Sign in first.' : 'Internal server error' }] });
    }
  });

  // the React app (client/dist, built by `pnpm start`), with index.html for its routes
  const appDir = join(repoRoot, 'client', 'dist');
  if (existsSync(join(appDir, 'index.html'))) {
    app.use(express.static(appDir, { index: false, maxAge: '1h' }));
    app.use((req, res, next) => {
      if (req.method !== 'GET' || !req.accepts('html')) return next();
      res.set('Cache-Control', 'no-cache').sendFile(join(appDir, 'index.html'));
    });
  }

  // Body-parser and other transport errors: a short JSON answer, never a stack.
  const transportErrors: ErrorRequestHandler = (error, _req, res, _next) => answerTransportError(log, res, error);
  app.use(transportErrors);

  const graphql = graphqlEndpoint(apollo, { security: securityHeaders, cors: crossOrigin, body: graphqlBodyParser(config) }, async (req, res) => {
    const session = browserSession(config, req, res);
    const credentials = readCredentials(req.headers.authorization, req.headers.cookie);
    const em = freshUnitOfWork(orm);
    const { viewer, staleCookie } = await viewerFor(em, services, credentials);
    if (staleCookie) session.clear();
    return buildContext(orm, services, viewer, { ip: clientAddress(req, config.trustProxy), viaApi: credentials?.from === 'header' }, { browserSession: session, em });
  }, log);
  const handle = (req: IncomingMessage, res: ServerResponse) => (isGraphqlPath(req.url) ? graphql(req, res) : app(req, res));
  return { handle, apollo };
}
