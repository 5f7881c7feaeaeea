import { Router, type Request, type Response } from 'express';
import { GraphQLError } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Services } from '../modules/services.js';
import { RequestFacts } from '../policy/facts-loader.js';
import { readCredentials, viewerFor } from './credentials.js';
import { originAllowed } from './origin.js';

/** The header every upload must carry: it makes browsers preflight, so only allowed origins can upload (CSRF). */
export const UPLOAD_HEADER = 'x-client-online-upload';

const statusOf: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, BAD_USER_INPUT: 400, PAYLOAD_TOO_LARGE: 413 };

/** `attachment; filename=…` safe for any title: an ASCII fallback and the UTF-8 name (RFC 6266/5987). */
function disposition(title: string, mimeType: string): string {
  const extension = { 'application/pdf': '.pdf', 'image/png': '.png', 'image/jpeg': '.jpg' }[mimeType] ?? '';
  const name = /\.[a-z0-9]{1,5}$/i.test(title) ? title : title + extension;
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Document content over plain HTTP, authenticated like /graphql (bearer token or the session cookie):
 * GET /documents/:id/content downloads, POST /documents?workspaceId=&title=&type= uploads the raw body.
 */
export function documentRoutes(deps: { config: Config; log: Logger; orm: MikroORM; services: Services }): Router {
  const { config, log, orm, services } = deps;
  const router = Router();
  const allowedOrigins = new Set(config.allowedOrigins);

  const actorOf = async (req: Request) => {
    const em = orm.em.fork();
    const { viewer } = await viewerFor(em, services, readCredentials(req.headers.authorization, req.headers.cookie));
    if (viewer.kind === 'anonymous') throw new GraphQLError('Sign in first.', { extensions: { code: 'UNAUTHENTICATED' } });
    return { em, actor: { viewer, facts: new RequestFacts(em, viewer) } };
  };

  const fail = (res: Response, error: unknown) => {
    const code = error instanceof GraphQLError ? String(error.extensions.code ?? '') : '';
    const status = statusOf[code];
    if (!status) {
      log.error({ err: error }, 'document route failed');
      res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      return;
    }
    res.status(status).json({ errors: [{ message: (error as Error).message, extensions: { code } }] });
  };

  router.get('/documents/:id/content', async (req, res) => {
    try {
      const { em, actor } = await actorOf(req);
      const { document, bytes } = await services.documents.content(em, actor, req.params.id);
      res.set({
        'Content-Type': document.mimeType,
        'Content-Length': String(bytes.length),
        'Content-Disposition': disposition(document.title, document.mimeType),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cache-Control': 'private, no-store',
        ETag: `"${document.sha256}"`,
      });
      res.end(bytes);
    } catch (error) {
      fail(res, error);
    }
  });

  router.post('/documents', async (req, res) => {
    const origin = req.headers.origin;
    if (req.headers[UPLOAD_HEADER] !== '1' || !originAllowed(origin, req.headers.host, allowedOrigins)) {
      res.status(400).json({ errors: [{ message: `Uploads need the ${UPLOAD_HEADER}: 1 header, from an allowed origin.`, extensions: { code: 'BAD_REQUEST' } }] });
      return;
    }
    try {
      const { em, actor } = await actorOf(req);
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > config.documents.maxBytes) throw new GraphQLError('The document is too large.', { extensions: { code: 'PAYLOAD_TOO_LARGE' } });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > config.documents.maxBytes) throw new GraphQLError('The document is too large.', { extensions: { code: 'PAYLOAD_TOO_LARGE' } });
        chunks.push(chunk);
      }
      const query = req.query as Record<string, string | undefined>;
      const document = await services.documents.upload(em, actor, {
        workspaceId: query.workspaceId ?? '',
        title: query.title ?? '',
        type: (query.type ?? '') as never,
        mimeType: (req.headers['content-type'] ?? '').split(';')[0],
      }, Buffer.concat(chunks));
      res.status(201).json({ id: document.id, sha256: document.sha256, sizeBytes: document.sizeBytes, downloadPath: document.downloadPath });
    } catch (error) {
      if (!req.complete) res.setHeader('Connection', 'close');
      fail(res, error);
    }
  });

  return router;
}
