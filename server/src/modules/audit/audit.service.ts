import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../../policy/viewer.js';
import { pageSize, decodeCursor, encodeCursor, toConnection, type Connection } from '../pagination.js';
import { AuditEvent } from './audit-event.entity.js';

export type AuditAction =
  | 'sign-in'
  | 'sign-in-failed'
  | 'sign-out'
  | 'step-up'
  | 'step-up-failed'
  | 'approval-decided'
  | 'platform-admin-granted'
  | 'partner-created'
  | 'partner-key-revoked'
  | 'privacy-request-resolved'
  | 'privacy-statement-published'
  | 'newsletter-sent'
  | 'processing-restricted'
  | 'processing-restriction-lifted'
  | 'account-erased';

/** Who acts and from where, as services get it from the transport (AppContext fits). */
export type Actor = { viewer: Viewer; client?: { ip: string | null } };

/** The security log. Written in the caller's unit of work, with ids only; read by platform admins. */
export class AuditService {
  async record(em: EntityManager, action: AuditAction, entry: { actorId?: string | null; subjectUserId?: string | null; ip?: string | null; details?: AuditEvent['details'] } = {}): Promise<void> {
    // em.execute joins the caller's transaction (a knex builder would take another connection, and wait on its locks)
    await em.execute('insert into audit_event (action, actor_id, subject_user_id, ip, details, at) values (?, ?, ?, ?, ?, ?)', [
      action,
      entry.actorId ?? null,
      entry.subjectUserId ?? null,
      entry.ip ?? null,
      entry.details ? JSON.stringify(entry.details) : null,
      new Date(),
    ]);
  }

  /** An action by the actor (a person), from the actor's address. */
  by(em: EntityManager, actor: Actor, action: AuditAction, entry: { subjectUserId?: string | null; details?: AuditEvent['details'] } = {}): Promise<void> {
    return this.record(em, action, { actorId: actor.viewer.kind === 'user' ? actor.viewer.userId : null, ip: actor.client?.ip ?? null, ...entry });
  }

  async list(em: EntityManager, args: { first?: number | null; after?: string | null }): Promise<Connection<AuditEvent>> {
    const limit = pageSize(args.first, 50, 'first');
    const after = decodeCursor(args.after, 'after');
    const rows = await em.find(AuditEvent, after ? { id: { $lt: String(after[0]) } } : {}, { orderBy: { id: 'desc' }, limit: limit + 1 });
    return toConnection(rows, limit, (e) => encodeCursor([e.id]), 'forward', after !== null);
  }
}
