import { randomBytes } from 'node:crypto';
import { storedAccountKey } from '../../auth/sign-in-limiter.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../log.js';
import { channels } from '../../realtime/channels.js';
import { ring, type PubSub } from '../../realtime/pubsub.js';
import type { AuditService } from '../audit/audit.service.js';


/**
 * The right to erasure: every personal datum of the person, in every table, in one transaction. The user row
 * stays as a placeholder (`deleted-<random>`) so that what points at it keeps its place; approval decisions keep
 * their name snapshot until their legal retention ends (the retention job purges it then).
 */
export class ErasureService {
  constructor(private readonly deps: { pubsub: PubSub; log: Logger; audit: AuditService }) {}

  async erase(em: EntityManager, userId: string, by: { actorId: string | null; ip: string | null }): Promise<void> {
    await em.transactional(async (tx) => {
      const [user] = await tx.execute<{ username: string; email: string | null }[]>('select username, email from users where id = ? for update', [userId]);
      if (!user) return;
      const run = (sql: string, params: unknown[] = [userId]) => tx.execute(sql, params as never[]);
      await run(
        `update users set username = ?, last_name = null, first_name = null, email = null, password_hash = null, pin_hash = null,
                totp_secret = null, totp_pending_secret = null, totp_last_step = null, platform_role = 'USER',
                processing_restricted_at = null, erased_at = now(), updated_at = now() where id = ?`,
        [`deleted-${randomBytes(6).toString('hex')}`, userId],
      );
      await run('delete from session where user_id = ?');
      await run('delete from consent where user_id = ?');
      await run('delete from privacy_acknowledgement where user_id = ?');
      await run('delete from membership where user_id = ?');
      await run('delete from approval_request_approver where user_id = ?');
      await run('delete from newsletter_delivery where user_id = ?');
      await run('update message set body = null, client_id = null, author_id = null where author_id = ?');
      await run('update document set uploaded_by_id = null where uploaded_by_id = ?');
      await run('update thread set created_by_id = null where created_by_id = ?');
      await run('update approval_request set requested_by_id = null where requested_by_id = ?');
      // the decision stays (legal retention) with its name snapshot; only the link to the account goes
      await run('update approval_decision set approver_id = null where approver_id = ?');
      await run('update partner_grant set granted_by_id = null where granted_by_id = ?');
      await run('update newsletter set created_by_id = null where created_by_id = ?');
      await run('update privacy_request set details = null where requester_id = ?');
      await run('update audit_event set ip = null where actor_id = ? or subject_user_id = ?', [userId, userId]);
      if (user.email) await run('delete from outbox_mail where lower("to") = lower(?)', [user.email]);
      // the sign-in limiter's entry for the account (a hash of its id) goes too
      await run('delete from rate_limit where key = ?', [storedAccountKey(userId)]);
      await this.deps.audit.record(tx, 'account-erased', { actorId: by.actorId, subjectUserId: userId });
    });
    // their sockets close and their subscriptions end, on every process
    await ring(this.deps, channels.accountClosed(), { userId });
    this.deps.log.info({ userId, by: by.actorId }, 'account erased');
  }
}
