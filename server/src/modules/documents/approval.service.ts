import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { StepUp, StepUpProof } from '../../auth/step-up.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import { checkStepUp } from '../audit/step-up-check.js';
import { badInput, conflict, notFound } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Metrics } from '../../metrics.js';
import { abilities, ensure, memberRole } from '../../policy/abilities.js';
import type { PolicyContext } from '../../policy/facts.js';
import { asPerson } from '../../policy/viewer.js';
import { User } from '../users/user.entity.js';
import { isUuid, multilineText, parseInput } from '../validation.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import { ApprovalDecision, ApprovalRequest, type ApprovalStatus } from './approval.entity.js';
import type { DocumentService } from './document.service.js';
import { retainUntil } from './retention.js';

const decisionInput = z.object({
  approvalRequestId: z.string(),
  approve: z.boolean(),
  comment: multilineText('A comment', 2000, 0).nullish().transform((c) => c || null),
});

/** Approvals ("accorderen"): owners and admins ask members; each approver decides once, with step-up. */
export class ApprovalService {
  constructor(private readonly deps: { log: Logger; workspaces: WorkspaceService; documents: DocumentService; stepUp: StepUp; audit: AuditService; metrics?: Metrics }) {}

  async request(em: EntityManager, actor: PolicyContext, input: { documentId: string; approverIds: string[] }): Promise<ApprovalRequest> {
    const person = asPerson(actor.viewer);
    const document = await this.deps.documents.get(em, actor, input.documentId);
    const workspaceId = document.workspace.id;
    ensure(abilities.requestApproval(await memberRole(actor, workspaceId)), 'Only owners and admins ask for approval.');
    const approverIds = [...new Set(input.approverIds)];
    if (approverIds.length === 0) throw badInput('Name at least one approver.', 'approverIds');
    if (approverIds.length > 50) throw badInput('At most 50 approvers.', 'approverIds');
    const members = await this.deps.workspaces.roles(em, workspaceId);
    const strangers = approverIds.filter((id) => !members.has(id));
    if (strangers.length > 0) throw badInput('Every approver must be a member of the workspace.', 'approverIds');
    const request = await em.transactional(async (tx) => {
      const created = tx.create(ApprovalRequest, { document: document.id, requestedBy: tx.getReference(User, person.userId) });
      for (const id of approverIds) created.approvers.add(tx.getReference(User, id));
      return created;
    });
    request.workspaceId = workspaceId;
    const at = request.createdAt.toISOString();
    await this.deps.workspaces.announce(workspaceId, { kind: 'APPROVAL_REQUESTED', workspaceId, approvalRequestId: request.id, documentId: document.id, at });
    for (const id of approverIds) {
      await this.deps.workspaces.notify(id, { kind: 'APPROVAL_REQUESTED', text: `Your approval is asked for "${document.title}".`, at });
    }
    this.deps.log.info({ approvalRequestId: request.id, documentId: document.id, approvers: approverIds.length }, 'approval requested');
    return request;
  }

  /**
   * One approver's decision: once, with step-up, while the request is pending. Append-only: the decision keeps
   * the approver's name as it was, the SHA-256 of what was approved, and when it may be purged.
   */
  async decide(em: EntityManager, actor: PolicyContext & Actor, input: { approvalRequestId: string; approve: boolean; comment?: string | null; stepUp: StepUpProof }): Promise<ApprovalDecision> {
    const person = asPerson(actor.viewer);
    const data = parseInput(decisionInput, input);
    const request = isUuid(data.approvalRequestId) ? await em.findOne(ApprovalRequest, { id: data.approvalRequestId }, { populate: ['document', 'approvers'] }) : null;
    if (!request) throw notFound('Approval request');
    const document = request.document.getEntity();
    const workspaceId = document.workspace.id;
    await memberRole(actor, workspaceId, 'Approval request');
    ensure(request.approvers.getItems().some((u) => u.id === person.userId), 'You are not an approver of this request.');
    if (request.status !== 'PENDING') throw conflict(`This request is already ${request.status.toLowerCase()}.`);
    if (await em.count(ApprovalDecision, { request: request.id, approver: person.userId })) throw conflict('You already decided on this request.');
    const method = await checkStepUp(this.deps, em, { ...actor, viewer: person }, input.stepUp, 'decideApproval');

    const decision = await em.transactional(async (tx) => {
      // decisions on one request happen one at a time: the status below counts every decision
      await tx.execute('select id from approval_request where id = ? for update', [request.id]);
      const locked = await tx.findOneOrFail(ApprovalRequest, { id: request.id }, { populate: ['approvers'], refresh: true });
      if (locked.status !== 'PENDING') throw conflict(`This request is already ${locked.status.toLowerCase()}.`);
      if (await tx.count(ApprovalDecision, { request: request.id, approver: person.userId })) throw conflict('You already decided on this request.');
      const approver = await tx.findOneOrFail(User, { id: person.userId });
      const decidedAt = new Date();
      const created = tx.create(ApprovalDecision, {
        request: locked,
        status: data.approve ? 'APPROVED' : 'REJECTED',
        approver,
        approverName: [approver.firstName, approver.lastName].filter(Boolean).join(' ') || approver.username,
        comment: data.comment,
        documentSha256: document.sha256,
        stepUpMethod: method,
        decidedAt,
        retainUntil: retainUntil(document.type, decidedAt),
      });
      await tx.persist(created).flush();
      const decisions = await tx.find(ApprovalDecision, { request: locked.id });
      locked.status = outcome(decisions.map((d) => d.status), locked.approvers.length);
      return created;
    });
    decision.workspaceId = workspaceId;
    await this.deps.audit.by(em, actor, 'approval-decided', { details: { approvalRequestId: request.id, decisionId: decision.id, status: decision.status, method } });
    await this.deps.workspaces.announce(workspaceId, { kind: 'APPROVAL_DECIDED', workspaceId, approvalRequestId: request.id, documentId: document.id, at: decision.decidedAt.toISOString() });
    this.deps.log.info({ approvalRequestId: request.id, userId: person.userId, status: decision.status, method }, 'approval decided');
    return decision;
  }

  approversLoader(em: EntityManager): DataLoader<string, User[]> {
    return new DataLoader(async (requestIds) => {
      const requests = await em.find(ApprovalRequest, { id: { $in: requestIds as string[] } }, { populate: ['approvers'] });
      return requestIds.map((id) => requests.find((r) => r.id === id)?.approvers.getItems() ?? []);
    });
  }

  decisionsLoader(em: EntityManager): DataLoader<string, ApprovalDecision[]> {
    return new DataLoader(async (requestIds) => {
      const rows = await em.find(ApprovalDecision, { request: { $in: requestIds as string[] } }, { orderBy: { decidedAt: 'asc' } });
      return requestIds.map((id) => rows.filter((d) => d.request.id === id));
    });
  }
}

/** Any rejection rejects; all approvers approving approves; otherwise it waits. */
function outcome(statuses: ApprovalStatus[], approvers: number): ApprovalStatus {
  if (statuses.includes('REJECTED')) return 'REJECTED';
  if (statuses.filter((s) => s === 'APPROVED').length >= approvers) return 'APPROVED';
  return 'PENDING';
}
