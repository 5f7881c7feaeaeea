import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { conflict, notFound } from '../../errors.js';
import type { Logger } from '../../log.js';
import { abilities, ensure, memberRole, readerRole } from '../../policy/abilities.js';
import type { PolicyContext } from '../../policy/facts.js';
import { asPerson, type WorkspaceRole } from '../../policy/viewer.js';
import { channels, type NotificationMessage, type WorkspaceEventMessage } from '../../realtime/channels.js';
import { ring, type PubSub } from '../../realtime/pubsub.js';
import { pageByCreation, type Connection } from '../pagination.js';
import { isUuid, lineText, parseInput } from '../validation.js';
import { User } from '../users/user.entity.js';
import { Membership } from './membership.entity.js';
import { Workspace } from './workspace.entity.js';

const workspaceName = z.object({ name: lineText('Workspace name', 100) });

/** Workspaces and their members. */
export class WorkspaceService {
  constructor(private readonly deps: { pubsub: PubSub; log: Logger }) {}

  async create(em: EntityManager, actor: PolicyContext, input: { name: string }): Promise<Workspace> {
    const person = asPerson(actor.viewer);
    const { name } = parseInput(workspaceName, input);
    const workspace = await em.transactional(async (tx) => {
      const created = tx.create(Workspace, { name });
      tx.create(Membership, { workspace: created, user: tx.getReference(User, person.userId), role: 'OWNER' });
      return created;
    });
    this.deps.log.info({ workspaceId: workspace.id, userId: person.userId }, 'workspace created');
    return workspace;
  }

  /** A workspace the viewer is a member of (or a partner it granted access); NOT_FOUND for everyone else, whether or not it exists. */
  async get(em: EntityManager, actor: PolicyContext, id: string): Promise<Workspace> {
    if (!isUuid(id)) throw notFound('Workspace');
    await readerRole(actor, id);
    const workspace = await em.findOne(Workspace, { id });
    if (!workspace) throw notFound('Workspace');
    return workspace;
  }

  /** The viewer's workspaces (for a partner: those that granted it access), oldest first. */
  list(em: EntityManager, actor: PolicyContext, args: { first?: number | null; after?: string | null }): Promise<Connection<Workspace>> {
    const viewer = actor.viewer;
    const knex = em.getKnex();
    const mine =
      viewer.kind === 'partner'
        ? knex('partner_grant').select('workspace_id').where({ partner_id: viewer.partnerId })
        : knex('membership').select('workspace_id').where({ user_id: asPerson(viewer).userId });
    return pageByCreation(em, Workspace, { id: { $in: mine } }, args, 'asc');
  }

  /** Members of many workspaces in one statement (with their users in one more, through the ORM's dataloader). */
  membersLoader(em: EntityManager): DataLoader<string, Membership[]> {
    return new DataLoader(async (workspaceIds) => {
      const rows = await em.find(Membership, { workspace: { $in: workspaceIds as string[] } }, { orderBy: [{ joinedAt: 'asc' }, { id: 'asc' }] });
      return workspaceIds.map((id) => rows.filter((m) => m.workspace.id === id));
    });
  }

  /** Owners and admins invite by username or email; only owners make owners. */
  async addMember(em: EntityManager, actor: PolicyContext, workspaceId: string, login: string, role: WorkspaceRole): Promise<Membership> {
    if (!isUuid(workspaceId)) throw notFound('Workspace');
    const myRole = await memberRole(actor, workspaceId);
    ensure(abilities.manageMembers(myRole), 'Only owners and admins add members.');
    ensure(abilities.grantRole(myRole, role), 'Only owners make owners.');
    const lowered = login.trim().toLowerCase();
    const user = lowered ? await em.getRepository(User).createQueryBuilder('u').where('lower(u.username) = ? or lower(u.email) = ?', [lowered, lowered]).getSingleResult() : null;
    if (!user) throw notFound('User');
    const membership = await em.transactional(async (tx) => {
      await this.lockMembers(tx, workspaceId);
      if (await tx.findOne(Membership, { workspace: workspaceId, user: user.id })) throw conflict('Already a member of this workspace.', 'login');
      return tx.create(Membership, { workspace: tx.getReference(Workspace, workspaceId), user, role });
    });
    const workspace = await em.findOneOrFail(Workspace, { id: workspaceId });
    await this.announce(workspaceId, { kind: 'MEMBER_ADDED', workspaceId, at: membership.joinedAt.toISOString(), member: memberPayload(membership) });
    await this.notify(user.id, { kind: 'ADDED_TO_WORKSPACE', text: `You were added to the workspace "${workspace.name}".`, at: membership.joinedAt.toISOString() });
    this.deps.log.info({ workspaceId, userId: user.id, by: asPerson(actor.viewer).userId }, 'member added');
    return membership;
  }

  /** Owners and admins remove members (only owners remove owners); anyone may leave; the last owner stays. */
  async removeMember(em: EntityManager, actor: PolicyContext, workspaceId: string, userId: string): Promise<void> {
    if (!isUuid(workspaceId)) throw notFound('Workspace');
    const me = asPerson(actor.viewer).userId;
    const myRole = await memberRole(actor, workspaceId);
    const leaving = userId === me;
    if (!leaving) ensure(abilities.manageMembers(myRole), 'Only owners and admins remove members.');
    const removed = await em.transactional(async (tx) => {
      await this.lockMembers(tx, workspaceId);
      const membership = isUuid(userId) ? await tx.findOne(Membership, { workspace: workspaceId, user: userId }) : null;
      if (!membership) throw notFound('Member');
      if (!leaving) ensure(abilities.grantRole(myRole, membership.role), 'Only owners remove owners.');
      if (membership.role === 'OWNER' && (await tx.count(Membership, { workspace: workspaceId, role: 'OWNER' })) === 1) {
        throw conflict('The last owner cannot be removed; make someone else owner first.');
      }
      tx.remove(membership);
      return membership;
    });
    await this.announce(workspaceId, { kind: 'MEMBER_REMOVED', workspaceId, at: new Date().toISOString(), member: memberPayload(removed) });
    this.deps.log.info({ workspaceId, userId, by: me }, 'member removed');
  }

  /** Membership changes of one workspace happen one at a time (the last-owner rule holds under concurrency). */
  private async lockMembers(tx: EntityManager, workspaceId: string): Promise<void> {
    const rows = await tx.execute('select id from workspace where id = ? for update', [workspaceId]);
    if (rows.length === 0) throw notFound('Workspace');
  }

  /** Published after the commit; PostgreSQL stays the truth if the pubsub is down. */
  async announce(workspaceId: string, event: WorkspaceEventMessage): Promise<void> {
    await ring(this.deps, channels.workspace(workspaceId), event);
  }

  async notify(userId: string, notification: NotificationMessage): Promise<void> {
    await ring(this.deps, channels.user(userId), notification);
  }

  /** Roles of a workspace's members, for the live facts of subscriptions. */
  async roles(em: EntityManager, workspaceId: string): Promise<Map<string, WorkspaceRole>> {
    const rows: { user_id: string; role: WorkspaceRole }[] = await em.getKnex()('membership').select('user_id', 'role').where({ workspace_id: workspaceId });
    return new Map(rows.map((r) => [r.user_id, r.role]));
  }
}

const memberPayload = (m: Membership) => ({ userId: m.user.id, role: m.role, joinedAt: m.joinedAt.toISOString() });
