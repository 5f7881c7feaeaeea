import { parse as parseCookies } from 'cookie';
import { GraphQLError } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Sessions } from '../auth/sessions.js';
import { anonymousViewer, type Viewer } from '../policy/viewer.js';

export const SESSION_COOKIE = 'co_session';

export type Credentials = { token: string; from: 'header' | 'cookie' } | null;

/** A bearer token from the Authorization header wins over the browser's cookie. */
export function readCredentials(authorization: string | undefined, cookieHeader: string | undefined): Credentials {
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw invalidCredentials('Unsupported Authorization header; use "Bearer <token>".');
    return { token: match[1], from: 'header' };
  }
  const cookie = cookieHeader ? parseCookies(cookieHeader)[SESSION_COOKIE] : undefined;
  return cookie ? { token: cookie, from: 'cookie' } : null;
}

/**
 * The viewer for the given credentials. A token that was sent explicitly and is not valid is an error
 * (the app must sign in again); a stale cookie just means "not signed in".
 */
export async function viewerFor(em: EntityManager, sessions: Sessions, credentials: Credentials): Promise<{ viewer: Viewer; staleCookie: boolean }> {
  if (!credentials) return { viewer: anonymousViewer, staleCookie: false };
  const viewer = await sessions.viewerFor(em, credentials.token);
  if (viewer) return { viewer, staleCookie: false };
  if (credentials.from === 'header') throw invalidCredentials('The token is invalid, expired or revoked. Sign in again.');
  return { viewer: anonymousViewer, staleCookie: true };
}

export const invalidCredentials = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
