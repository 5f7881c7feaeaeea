import { hash, randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { affectedRows } from '../db/statements.js';
import type { PlatformRole, Viewer } from '../policy/viewer.js';
import type { AccountClosedMessage } from '../realtime/channels.js';
import { SessionCache } from './session-cache.js';

/** Tokens carry a prefix so that secret scanners can recognise a leaked one. */
const TOKEN_PREFIX = 'cos_';
/** lastUsedAt is written at most this often per session: no write on every request. */
const TOUCH_INTERVAL_MS = 5 * 60_000;

// crypto.hash: one call, no Hash object per request (every authenticated request hashes its token)
export const hashToken = (token: string): string => hash('sha256', token, 'hex');

export type OpenedSession = { id: string; expiresAt: Date };

/** Session tokens: made, looked up and revoked in plain SQL on the session table (modules/users/session.entity.ts). */
export class Sessions {
  private readonly cache: SessionCache;

  /** cacheMs: how long a looked-up session is trusted without asking the database again (0: always ask) */
  constructor(
    private readonly ttlMs: number,
    cacheMs = 0,
  ) {
    this.cache = new SessionCache(cacheMs);
  }

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

  /** The viewer a token stands for, or null when it is unknown, revoked or expired. At most one statement. */
  async viewerFor(em: EntityManager, token: string, now = new Date()): Promise<Viewer | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
    const tokenHash = hashToken(token);
    const cached = this.cache.get(tokenHash, now.getTime());
    if (cached) {
      await this.touch(em, cached, now);
      return cached.viewer;
    }
    const rows: { id: string; user_id: string; platform_role: PlatformRole; last_used_at: Date; expires_at: Date }[] = await em.execute(
      `select s.id, s.user_id, u.platform_role, s.last_used_at, s.expires_at
         from "session" s join "users" u on u.id = s.user_id
        where s.token_hash = ? and s.revoked_at is null and s.expires_at > ?`,
      [tokenHash, now],
    );
    const row = rows[0];
    if (!row) return null;
    const entry = {
      viewer: { kind: 'user' as const, userId: row.user_id, platformRole: row.platform_role, sessionId: row.id },
      expiresAt: new Date(row.expires_at).getTime(),
      lastUsedAt: new Date(row.last_used_at).getTime(),
      checkedAt: now.getTime(),
    };
    await this.touch(em, entry, now);
    this.cache.set(tokenHash, entry);
    return entry.viewer;
  }

  private async touch(em: EntityManager, entry: { viewer: { sessionId: string }; lastUsedAt: number }, now: Date): Promise<void> {
    if (now.getTime() - entry.lastUsedAt <= TOUCH_INTERVAL_MS) return;
    entry.lastUsedAt = now.getTime();
    await em.execute(`update "session" set last_used_at = ? where id = ?`, [now, entry.viewer.sessionId]);
  }

  /** Ended sessions (this process's own, and other processes' through the account-closed channel). */
  forget(message: AccountClosedMessage): void {
    this.cache.forget(message);
  }

  async revoke(em: EntityManager, userId: string, sessionId: string, now = new Date()): Promise<void> {
    await em.execute(`update "session" set revoked_at = ? where id = ? and revoked_at is null`, [now, sessionId]);
    this.cache.forget({ userId, sessionId });
  }

  /** After a password change every other device signs in again. */
  async revokeAllBut(em: EntityManager, userId: string, keepSessionId: string, now = new Date()): Promise<number> {
    // inside a transaction a concurrent request may still read the old rows until the commit: the
    // account-closed message sent after it forgets them again (server.ts)
    const revoked = await affectedRows(em, `update "session" set revoked_at = ? where user_id = ? and id <> ? and revoked_at is null`, [now, userId, keepSessionId]);
    this.cache.forget({ userId, exceptSessionId: keepSessionId });
    return revoked;
  }
}
