import { hash, randomBytes } from 'node:crypto';
import DataLoader from 'dataloader';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { StepUp, StepUpProof } from '../../auth/step-up.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import { checkStepUp } from '../audit/step-up-check.js';
import { conflict, notFound } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Metrics } from '../../metrics.js';
import { abilities, ensure, memberRole } from '../../policy/abilities.js';
import type { PolicyContext } from '../../policy/facts.js';
import { asPerson, type Viewer } from '../../policy/viewer.js';
import { User } from '../users/user.entity.js';
import { isUuid, lineText, parseInput } from '../validation.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import { Workspace } from '../workspaces/workspace.entity.js';
import { z } from 'zod';
import { Partner, PartnerGrant } from './partner.entity.js';

/** Partner keys carry a prefix so that secret scanners can recognise a leaked one. */
const KEY_PREFIX = 'cop_';
const hashKey = (key: string) => hash('sha256', key, 'hex');

/** Partners: made by platform admins (with step-up), let in by workspace owners and admins. */
export class PartnerService {
  constructor(private readonly deps: { log: Logger; workspaces: WorkspaceService; stepUp: StepUp; audit: AuditService; metrics?: Metrics }) {}

  /** The partner an API key stands for, or null when it is unknown or revoked. */
  async viewerForKey(em: EntityManager, key: string): Promise<Viewer | null> {
    if (!key.startsWith(KEY_PREFIX) || key.length > 100) return null;
    const partner = await em.findOne(Partner, { apiKeyHash: hashKey(key), keyRevokedAt: null });
    return partner ? { kind: 'partner', partnerId: partner.id } : null;
  }

  async create(em: EntityManager, actor: PolicyContext & Actor, name: string, proof: StepUpProof): Promise<{ partner: Partner; apiKey: string }> {
    const admin = asPerson(actor.viewer);
    const data = parseInput(z.object({ name: lineText('Partner name', 100) }), { name });
    await checkStepUp(this.deps, em, { ...actor, viewer: admin }, proof, 'createPartner');
    const apiKey = KEY_PREFIX + randomBytes(32).toString('base64url');
    const partner = await em.transactional(async (tx) => tx.create(Partner, { name: data.name, apiKeyHash: hashKey(apiKey) }));
    await this.deps.audit.by(em, actor, 'partner-created', { details: { partnerId: partner.id } });
    this.deps.log.info({ partnerId: partner.id, by: admin.userId }, 'partner created');
    return { partner, apiKey };
  }

  /** Ends the key at once: the partner's requests are refused and its sockets are refused on reconnect. */
  async revokeKey(em: EntityManager, actor: PolicyContext & Actor, partnerId: string): Promise<void> {
    const partner = isUuid(partnerId) ? await em.findOne(Partner, { id: partnerId }) : null;
    if (!partner) throw notFound('Partner');
    partner.keyRevokedAt ??= new Date();
    await em.flush();
    await this.deps.audit.by(em, actor, 'partner-key-revoked', { details: { partnerId } });
    this.deps.log.info({ partnerId, by: asPerson(actor.viewer).userId }, 'partner key revoked');
  }

  list(em: EntityManager, options: { activeOnly?: boolean } = {}): Promise<Partner[]> {
    return em.find(Partner, options.activeOnly ? { keyRevokedAt: null } : {}, { orderBy: { name: 'asc' } });
  }

  async grant(em: EntityManager, actor: PolicyContext, workspaceId: string, partnerId: string): Promise<void> {
    await this.manage(em, actor, workspaceId, partnerId);
    const existing = await em.findOne(PartnerGrant, { workspace: workspaceId, partner: partnerId });
    if (existing) throw conflict('This partner already has access.');
    try {
      await em.transactional(async (tx) => {
        tx.create(PartnerGrant, { workspace: tx.getReference(Workspace, workspaceId), partner: tx.getReference(Partner, partnerId), grantedBy: tx.getReference(User, asPerson(actor.viewer).userId) });
      });
    } catch (error) {
      // two admins granting at once: the unique index decides, the second hears CONFLICT
      if (error instanceof UniqueConstraintViolationException) throw conflict('This partner already has access.');
      throw error;
    }
    await this.deps.workspaces.announce(workspaceId, { kind: 'PARTNER_GRANTED', workspaceId, partnerId, at: new Date().toISOString() });
    this.deps.log.info({ workspaceId, partnerId }, 'partner access granted');
  }

  async revoke(em: EntityManager, actor: PolicyContext, workspaceId: string, partnerId: string): Promise<void> {
    await this.manage(em, actor, workspaceId, partnerId);
    const removed = await em.nativeDelete(PartnerGrant, { workspace: workspaceId, partner: partnerId });
    if (removed === 0) throw notFound('Partner access');
    await this.deps.workspaces.announce(workspaceId, { kind: 'PARTNER_REVOKED', workspaceId, partnerId, at: new Date().toISOString() });
    this.deps.log.info({ workspaceId, partnerId }, 'partner access revoked');
  }

  private async manage(em: EntityManager, actor: PolicyContext, workspaceId: string, partnerId: string) {
    if (!isUuid(workspaceId)) throw notFound('Workspace');
    ensure(abilities.managePartners(await memberRole(actor, workspaceId)), 'Only owners and admins decide which partners get access.');
    if (!isUuid(partnerId) || !(await em.findOne(Partner, { id: partnerId }))) throw notFound('Partner');
  }

  /** The partners of many workspaces in one statement. */
  partnersLoader(em: EntityManager): DataLoader<string, Partner[]> {
    return new DataLoader(async (workspaceIds) => {
      const grants = await em.find(PartnerGrant, { workspace: { $in: workspaceIds as string[] } }, { populate: ['partner'], orderBy: { grantedAt: 'asc' } });
      return workspaceIds.map((id) => grants.filter((g) => g.workspace.id === id).map((g) => g.partner.getEntity()));
    });
  }

  /** Partner ids with access to a workspace, for the live facts of subscriptions. */
  async grantedPartners(em: EntityManager, workspaceId: string): Promise<Set<string>> {
    const rows: { partner_id: string }[] = await em.getKnex()('partner_grant').select('partner_id').where({ workspace_id: workspaceId });
    return new Set(rows.map((r) => r.partner_id));
  }
}
