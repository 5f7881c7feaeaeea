import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { affectedRows } from '../db/statements.js';
import type { PlatformRole, Viewer } from '../policy/viewer.js';

/** Tokens carry a prefix so that secret scanners can recognise a leaked one. */
const TOKEN_PREFIX = 'cos_';
/** lastUsedAt is written at most this often per session: no write on every request. */
const TOUCH_INTERVAL_MS = 5 * 60_000;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export type OpenedSession = { id: string; expiresAt: Date };

/** Session tokens: made, looked up and revoked in plain SQL on the session table (modules/users/session.entity.ts). */
export class Sessions {
  constructor(private readonly ttlMs: number) {}

  /** Opens a session; the token is returned once and never stored. */
  async open(em: EntityManager, userId: string, now = new Date()): Promise<{ token: string; session: OpenedSession }> {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const session = { id: randomUUID(), expiresAt: new Date(now.getTime() + this.ttlMs) };
    await em.execute(
      `insert into "session" (id, user_id, token_hash, created_at, last_used_at, expires_at) values (?, ?, ?, ?, ?, ?)`,
      [session.id, userId, hashToken(token), now, now, session.expiresAt],
    );
    return { token, session };
  }

  /** The viewer a token stands for, or null when it is unknown, revoked or expired. One statement. */
  async viewerFor(em: EntityManager, token: string, now = new Date()): Promise<Viewer | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
    const rows: { id: string; user_id: string; platform_role: PlatformRole; last_used_at: Date }[] = await em.execute(
      `select s.id, s.user_id, u.platform_role, s.last_used_at
         from "session" s join "users" u on u.id = s.user_id
        where s.token_hash = ? and s.revoked_at is null and s.expires_at > ?`,
      [hashToken(token), now],
    );
    const row = rows[0];
    if (!row) return null;
    if (now.getTime() - new Date(row.last_used_at).getTime() > TOUCH_INTERVAL_MS) {
      await em.execute(`update "session" set last_used_at = ? where id = ?`, [now, row.id]);
    }
    return { kind: 'user', userId: row.user_id, platformRole: row.platform_role, sessionId: row.id };
  }

  async revoke(em: EntityManager, sessionId: string, now = new Date()): Promise<void> {
    await em.execute(`update "session" set revoked_at = ? where id = ? and revoked_at is null`, [now, sessionId]);
  }

  /** After a password change every other device signs in again. */
  async revokeAllBut(em: EntityManager, userId: string, keepSessionId: string, now = new Date()): Promise<number> {
    return affectedRows(em, `update "session" set revoked_at = ? where user_id = ? and id <> ? and revoked_at is null`, [now, userId, keepSessionId]);
  }
}
