import { serialize as serializeCookie, type SerializeOptions } from 'cookie';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import proxyaddr from 'proxy-addr';
import type { Logger } from '../log.js';

/** The connect shape helmet, cors and body-parser are written for: they run on node:http without Express. */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

/** Runs the middlewares in order; `done` gets the first error, or nothing when the last one called next(). */
export function runMiddlewares(steps: readonly Middleware[], req: IncomingMessage, res: ServerResponse, done: (error?: unknown) => void): void {
  let index = 0;
  const next = (error?: unknown) => {
    if (error || index === steps.length) return done(error);
    steps[index++](req, res, next);
  };
  next();
}

/** Body-parser and other transport errors: a short JSON answer with the contract's code, never a stack. */
export function answerTransportError(log: Logger, res: ServerResponse, error: unknown): void {
  const given = (error as { status?: unknown } | null)?.status;
  const status = typeof given === 'number' && given >= 400 && given < 500 ? given : 500;
  if (status === 500) log.error({ err: error }, 'unexpected HTTP error');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const message = status === 500 ? 'Internal server error' : String((error as Error).message);
  sendJson(res, status, { errors: [{ message, extensions: { code: status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST' } }] });
}

/** The client's address: the socket's, or with TRUST_PROXY the first X-Forwarded-For entry (as Express's req.ip). */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string | null {
  // trusting no proxy, the answer is the socket's address: proxy-addr would parse X-Forwarded-For first (every request)
  return (trustProxy ? proxyaddr(req, trustAll) : req.socket.remoteAddress) || null;
}

/** Whether the request came over HTTPS: the socket's TLS, or with TRUST_PROXY the proxy's X-Forwarded-Proto. */
export function overHttps(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  const forwarded = trustProxy ? req.headers['x-forwarded-proto'] : undefined;
  return typeof forwarded === 'string' && forwarded.split(',')[0].trim() === 'https';
}

const trustAll = () => true;

export const appendCookie = (res: ServerResponse, name: string, value: string, options: SerializeOptions) =>
  res.appendHeader('Set-Cookie', serializeCookie(name, value, options));
