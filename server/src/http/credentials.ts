import { parse as parseCookies } from 'cookie';
import { GraphQLError } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../modules/services.js';
import { anonymousViewer, type Viewer } from '../policy/viewer.js';

export const SESSION_COOKIE = 'co_session';

export type Credentials = { token: string; scheme: 'session' | 'apiKey'; from: 'header' | 'cookie' } | null;

/** `Bearer <session token>` or `ApiKey <partner key>` in the Authorization header wins over the browser's cookie. */
export function readCredentials(authorization: string | undefined, cookieHeader: string | undefined): Credentials {
  if (authorization) {
    const match = /^(Bearer|ApiKey)\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw invalidCredentials('Unsupported Authorization header; use "Bearer <token>" or "ApiKey <key>".');
    return { token: match[2], scheme: match[1].toLowerCase() === 'apikey' ? 'apiKey' : 'session', from: 'header' };
  }
  const cookie = cookieHeader ? parseCookies(cookieHeader)[SESSION_COOKIE] : undefined;
  return cookie ? { token: cookie, scheme: 'session', from: 'cookie' } : null;
}

/**
 * The viewer for the given credentials. A token that was sent explicitly and is not valid is an error
 * (the app must sign in again); a stale cookie just means "not signed in".
 */
export async function viewerFor(em: EntityManager, services: Services, credentials: Credentials): Promise<{ viewer: Viewer; staleCookie: boolean }> {
  if (!credentials) return { viewer: anonymousViewer, staleCookie: false };
  const viewer =
    credentials.scheme === 'apiKey' ? await services.partners.viewerForKey(em, credentials.token) : await services.sessions.viewerFor(em, credentials.token);
  if (viewer) return { viewer, staleCookie: false };
  if (credentials.from === 'header') throw invalidCredentials('The token or key is invalid, expired or revoked.');
  return { viewer: anonymousViewer, staleCookie: true };
}

export const invalidCredentials = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
