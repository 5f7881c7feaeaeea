import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { conflict, notFound } from '../../errors.js';
import type { Logger } from '../../log.js';
import { asPerson } from '../../policy/viewer.js';
import { channels, type NotificationMessage } from '../../realtime/channels.js';
import { ring, type PubSub } from '../../realtime/pubsub.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import type { ConsentService } from '../consent/consent.service.js';
import { User } from '../users/user.entity.js';
import { isUuid, multilineText, parseInput } from '../validation.js';
import { oneMonthAfter } from './due-date.js';
import type { ErasureService } from './erasure.service.js';
import { PrivacyRequest, privacyRequestTypes, type PrivacyRequestStatus } from './privacy-request.entity.js';
import type { RestrictionService } from './restriction.service.js';

const submission = z.object({
  type: z.enum(privacyRequestTypes),
  details: multilineText('Details', 5000, 0).nullish().transform((d) => d || null),
});
const resolution = z
  .object({
    id: z.string(),
    status: z.enum(['COMPLETED', 'REJECTED'], { message: 'Resolve as COMPLETED or REJECTED.' }),
    rejectionReason: multilineText('The rejection reason', 5000, 0).nullish().transform((r) => r || null),
  })
  .refine((r) => r.status !== 'REJECTED' || r.rejectionReason, { message: 'A rejection needs its reasons.', path: ['rejectionReason'] });

/**
 * The rights that are not self-service, as a queue: due one calendar month after submission, answered by a
 * platform admin, a rejection always with reasons, the requester told live at every change. An objection
 * withdraws usage analytics at once.
 */
export class PrivacyRequestService {
  constructor(
    private readonly deps: { pubsub: PubSub; log: Logger; audit: AuditService; consent: ConsentService; erasure: ErasureService; restriction: RestrictionService },
  ) {}

  async submit(em: EntityManager, actor: Actor, input: { type: string; details?: string | null }, now = new Date()): Promise<PrivacyRequest> {
    const person = asPerson(actor.viewer);
    const data = parseInput(submission, input);
    const request = await em.transactional(async (tx) => {
      const created = tx.create(PrivacyRequest, { type: data.type, details: data.details, requester: tx.getReference(User, person.userId), createdAt: now, dueAt: oneMonthAfter(now) });
      if (data.type === 'OBJECTION') {
        this.deps.consent.record(tx, person.userId, 'USAGE_ANALYTICS', false, 'OBJECTION');
        created.status = 'COMPLETED';
        created.resolvedAt = now;
      }
      return created;
    });
    this.deps.log.info({ privacyRequestId: request.id, type: request.type, userId: person.userId }, 'privacy request submitted');
    return request;
  }

  mine(em: EntityManager, actor: Actor): Promise<PrivacyRequest[]> {
    return em.find(PrivacyRequest, { requester: asPerson(actor.viewer).userId }, { orderBy: { createdAt: 'desc' } });
  }

  /** For platform admins: open ones first, the most overdue first. */
  async queue(em: EntityManager, status: PrivacyRequestStatus | null | undefined): Promise<PrivacyRequest[]> {
    const rows = await em.find(PrivacyRequest, status ? { status } : {}, { orderBy: { dueAt: 'asc' }, limit: 500 });
    return rows.sort((a, b) => Number(b.status === 'OPEN') - Number(a.status === 'OPEN'));
  }

  async resolve(em: EntityManager, actor: Actor, input: { id: string; status: string; rejectionReason?: string | null }): Promise<PrivacyRequest> {
    const admin = asPerson(actor.viewer);
    const data = parseInput(resolution, input);
    const request = isUuid(data.id) ? await em.findOne(PrivacyRequest, { id: data.id }) : null;
    if (!request) throw notFound('Privacy request');
    if (request.status !== 'OPEN') throw conflict(`This request is already ${request.status.toLowerCase()}.`);
    const requesterId = request.requester.id;
    if (data.status === 'COMPLETED') {
      // the right itself, carried out before the request is marked done
      if (request.type === 'ERASURE') await this.deps.erasure.erase(em, requesterId, { actorId: admin.userId, ip: actor.client?.ip ?? null });
      if (request.type === 'RESTRICTION') await this.deps.restriction.restrict(em, actor, requesterId);
    }
    request.status = data.status;
    request.rejectionReason = data.rejectionReason;
    request.resolvedAt = new Date();
    await em.flush();
    await this.deps.audit.by(em, actor, 'privacy-request-resolved', { subjectUserId: requesterId, details: { privacyRequestId: request.id, type: request.type, status: request.status } });
    const notification: NotificationMessage = {
      kind: 'PRIVACY_REQUEST_UPDATED',
      text: `Your ${request.type.toLowerCase()} request was ${request.status === 'COMPLETED' ? 'completed' : 'rejected'}.`,
      at: request.resolvedAt.toISOString(),
    };
    await ring(this.deps, channels.user(requesterId), notification);
    return request;
  }

  /** How many requests are open, and how many of those are past their due date (the daily check, and metrics). */
  async openAndOverdue(em: EntityManager, now = new Date()): Promise<{ open: number; overdue: number }> {
    const [row] = await em.execute<{ open: string; overdue: string }[]>(
      `select count(*) as open, count(*) filter (where due_at < ?) as overdue from privacy_request where status = 'OPEN'`,
      [now],
    );
    return { open: Number(row.open), overdue: Number(row.overdue) };
  }
}
