import type { EntityManager } from '@mikro-orm/postgresql';
import { getNamedType, isEnumType, isObjectType, isScalarType, type GraphQLSchema } from 'graphql';
import { AuditEvent } from '../audit/audit-event.entity.js';
import type { ConsentService } from '../consent/consent.service.js';
import { ApprovalDecision } from '../documents/approval.entity.js';
import { Document } from '../documents/document.entity.js';
import { Message } from '../threads/message.entity.js';
import { Thread } from '../threads/thread.entity.js';
import { Session } from '../users/session.entity.js';
import { User } from '../users/user.entity.js';
import { Membership } from '../workspaces/membership.entity.js';
import { Workspace } from '../workspaces/workspace.entity.js';
import { PrivacyRequest } from './privacy-request.entity.js';

export const EXPORT_FORMAT = 'client-online-export/1';

type Plain = Record<string, unknown>;

/**
 * Every scalar field the API has for a type, read from the object: the export follows the schema (and so the
 * policy's annotations), so a field added to a type is exported without anyone remembering to.
 */
function leaves(schema: GraphQLSchema, typeName: string, object: object): Plain {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`No type ${typeName}`);
  const out: Plain = {};
  for (const field of Object.values(type.getFields())) {
    const named = getNamedType(field.type);
    if (!isScalarType(named) && !isEnumType(named)) continue;
    const value = (object as Record<string, unknown>)[field.name];
    out[field.name] = value instanceof Date ? value.toISOString() : (value ?? null);
  }
  return out;
}

/** Access and portability: everything held about one person, as one JSON document (docs/export-format.md). */
export class ExportService {
  constructor(private readonly deps: { consent: ConsentService }) {}

  async build(em: EntityManager, userId: string, schema: GraphQLSchema): Promise<Plain> {
    const user = await em.findOneOrFail(User, { id: userId });
    const [consents, memberships, messages, documents, decisions, requests, sessions, audit] = await Promise.all([
      this.deps.consent.history(em, userId),
      em.find(Membership, { user: userId }, { populate: ['workspace'], orderBy: { joinedAt: 'asc' } }),
      em.find(Message, { author: userId }, { populate: ['thread', 'thread.workspace'], orderBy: { createdAt: 'asc' } }),
      em.find(Document, { uploadedBy: userId }, { populate: ['workspace'], orderBy: { createdAt: 'asc' } }),
      em.find(ApprovalDecision, { approver: userId }, { populate: ['request', 'request.document'], orderBy: { decidedAt: 'asc' } }),
      em.find(PrivacyRequest, { requester: userId }, { orderBy: { createdAt: 'asc' } }),
      em.find(Session, { user: userId }, { orderBy: { createdAt: 'asc' } }),
      em.find(AuditEvent, { $or: [{ actor: userId }, { subjectUser: userId }] }, { orderBy: { id: 'asc' } }),
    ]);
    const workspaceOf = (w: Workspace) => ({ id: w.id, name: w.name });
    return {
      format: EXPORT_FORMAT,
      generatedAt: new Date().toISOString(),
      profile: {
        ...leaves(schema, 'User', user),
        newsletterOptIn: await this.deps.consent.currentLoader(em, 'NEWSLETTER').load(userId),
        processingRestricted: user.processingRestrictedAt !== null,
      },
      consents: consents.map((c) => ({ purpose: c.purpose, partner: c.partner ? { id: c.partner.id, name: c.partner.getEntity().name } : null, granted: c.granted, source: c.source, at: c.at.toISOString() })),
      memberships: memberships.map((m) => ({ workspace: workspaceOf(m.workspace.getEntity()), role: m.role, joinedAt: m.joinedAt.toISOString() })),
      messages: messages.map((m) => {
        const thread = m.thread.getEntity() as Thread;
        return { ...leaves(schema, 'Message', m), thread: { id: thread.id, title: thread.title }, workspace: workspaceOf(thread.workspace.getEntity()) };
      }),
      documents: documents.map((d) => ({ ...leaves(schema, 'Document', d), workspace: workspaceOf(d.workspace.getEntity()) })),
      approvalDecisions: decisions.map((d) => {
        const document = d.request.getEntity().document.getEntity();
        return { ...leaves(schema, 'ApprovalDecision', d), document: { id: document.id, title: document.title } };
      }),
      privacyRequests: requests.map((r) => ({ ...leaves(schema, 'PrivacyRequest', r), requester: { id: userId } })),
      sessions: sessions.map((s) => ({ createdAt: s.createdAt.toISOString(), lastUsedAt: s.lastUsedAt.toISOString(), expiresAt: s.expiresAt.toISOString(), revokedAt: s.revokedAt?.toISOString() ?? null })),
      auditEvents: audit.map((e) => ({ ...leaves(schema, 'AuditEvent', e), actor: e.actor ? { id: e.actor.id } : null })),
    };
  }
}
