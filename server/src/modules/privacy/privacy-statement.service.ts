import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { notFound } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Viewer } from '../../policy/viewer.js';
import { asPerson } from '../../policy/viewer.js';
import { channels, type NotificationMessage } from '../../realtime/channels.js';
import { ring, type PubSub } from '../../realtime/pubsub.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import { multilineText, parseInput } from '../validation.js';
import { PrivacyAcknowledgement, PrivacyStatement } from './privacy-statement.entity.js';

const statementText = z.object({ text: multilineText('A privacy statement', 100_000, 20) });

/** Versioned privacy statements: publishing one tells every connected person and asks each to acknowledge it. */
export class PrivacyStatementService {
  constructor(private readonly deps: { pubsub: PubSub; log: Logger; audit: AuditService }) {}

  async current(em: EntityManager): Promise<PrivacyStatement> {
    const [latest] = await em.find(PrivacyStatement, {}, { orderBy: { version: 'desc' }, limit: 1 });
    if (!latest) throw notFound('Privacy statement');
    return latest;
  }

  /** null when not signed in as a person */
  async acknowledged(em: EntityManager, viewer: Viewer, version: number): Promise<boolean | null> {
    if (viewer.kind !== 'user') return null;
    return (await em.count(PrivacyAcknowledgement, { user: viewer.userId, version })) > 0;
  }

  async publish(em: EntityManager, actor: Actor, text: string): Promise<PrivacyStatement> {
    const admin = asPerson(actor.viewer);
    const data = parseInput(statementText, { text });
    const statement = await em.transactional(async (tx) => tx.create(PrivacyStatement, { text: data.text }));
    const notification: NotificationMessage = {
      kind: 'PRIVACY_STATEMENT_CHANGED',
      text: `Version ${statement.version} of the privacy statement is published. Please read it.`,
      at: statement.publishedAt.toISOString(),
    };
    await ring(this.deps, channels.everyone(), notification);
    await this.deps.audit.by(em, actor, 'privacy-statement-published', { details: { version: statement.version } });
    this.deps.log.info({ version: statement.version, by: admin.userId }, 'privacy statement published');
    return statement;
  }

  async acknowledge(em: EntityManager, viewer: Viewer, version: number): Promise<void> {
    const person = asPerson(viewer);
    if (!(await em.findOne(PrivacyStatement, { version }))) throw notFound('Privacy statement version');
    await em
      .getKnex()('privacy_acknowledgement')
      .insert({ id: crypto.randomUUID(), user_id: person.userId, version, at: new Date() })
      .onConflict(['user_id', 'version'])
      .ignore();
  }
}
