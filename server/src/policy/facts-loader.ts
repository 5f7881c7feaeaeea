import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { LearnedFact, PolicyFacts } from './facts.js';
import { managesWorkspace, type Viewer, type WorkspaceRole } from './viewer.js';

/**
 * The facts of one request: the viewer's memberships in one statement, the first time a rule asks; other
 * people's shared workspaces batched per tick (one statement for all people of a list).
 */
export class RequestFacts implements PolicyFacts {
  private roles?: Promise<Map<string, WorkspaceRole>>;
  private readonly sharedWorkspaces: DataLoader<string, string[]>;
  private grants?: Promise<Set<string>>;
  private readonly consents: DataLoader<string, boolean>;
  /** what services learned along with their data: the viewer's role and known members, per workspace */
  private readonly learned = new Map<string, { viewerRole?: WorkspaceRole | null; members: Set<string> }>();

  constructor(
    private readonly em: EntityManager,
    readonly viewer: Viewer,
  ) {
    this.sharedWorkspaces = new DataLoader(async (people) => {
      const mine = [...(await this.viewerRoles()).keys()];
      if (mine.length === 0) return people.map(() => []);
      const rows: { user_id: string; workspace_id: string }[] = await this.em
        .getKnex()('membership')
        .select('user_id', 'workspace_id')
        .whereIn('user_id', people as string[])
        .whereIn('workspace_id', mine);
      return people.map((p) => rows.filter((r) => r.user_id === p).map((r) => r.workspace_id));
    });
    this.consents = new DataLoader(async (people) => {
      if (viewer.kind !== 'partner') return people.map(() => false);
      const consenting = await consentingPeople(this.em, viewer.partnerId, people as string[]);
      return people.map((p) => consenting.has(p));
    });
  }

  private partnerGrants(partnerId: string): Promise<Set<string>> {
    this.grants ??= this.em
      .getKnex()('partner_grant')
      .select('workspace_id')
      .where({ partner_id: partnerId })
      .then((rows: { workspace_id: string }[]) => new Set(rows.map((r) => r.workspace_id)));
    return this.grants;
  }

  private viewerRoles(): Promise<Map<string, WorkspaceRole>> {
    if (this.viewer.kind !== 'user') return Promise.resolve(new Map());
    const userId = this.viewer.userId;
    this.roles ??= this.em
      .getKnex()('membership')
      .select('workspace_id', 'role')
      .where({ user_id: userId })
      .then((rows: { workspace_id: string; role: WorkspaceRole }[]) => new Map(rows.map((r) => [r.workspace_id, r.role])));
    return this.roles;
  }

  learn({ workspaceId, viewerRole, members }: LearnedFact): void {
    if (this.viewer.kind !== 'user') return;
    let known = this.learned.get(workspaceId);
    if (!known) this.learned.set(workspaceId, (known = { members: new Set() }));
    if (viewerRole !== undefined) known.viewerRole = viewerRole;
    for (const person of members ?? []) known.members.add(person);
  }

  /** whether a learned fact already answers: the viewer holds a role (matching `accepts`) where the person is a member */
  private learnedTogether(person: string, accepts: (role: WorkspaceRole) => boolean): boolean {
    for (const { viewerRole, members } of this.learned.values()) if (viewerRole && accepts(viewerRole) && members.has(person)) return true;
    return false;
  }

  // what was learned answers synchronously: no promise per field of every row
  workspaceRole(workspaceId: string): WorkspaceRole | null | Promise<WorkspaceRole | null> {
    const known = this.learned.get(workspaceId)?.viewerRole;
    if (known !== undefined) return known;
    return this.viewerRoles().then((roles) => roles.get(workspaceId) ?? null);
  }

  sharesWorkspaceWith(person: string): boolean | Promise<boolean> {
    if (this.learnedTogether(person, () => true)) return true;
    return this.sharedWorkspaces.load(person).then((shared) => shared.length > 0);
  }

  async partnerMayRead(workspaceId: string): Promise<boolean> {
    return this.viewer.kind === 'partner' && (await this.partnerGrants(this.viewer.partnerId)).has(workspaceId);
  }

  consentsToPartner(person: string): Promise<boolean> {
    return this.consents.load(person);
  }

  administersWorkspaceOf(person: string): boolean | Promise<boolean> {
    if (this.learnedTogether(person, managesWorkspace)) return true;
    return this.administersLoaded(person);
  }

  private async administersLoaded(person: string): Promise<boolean> {
    const roles = await this.viewerRoles();
    return (await this.sharedWorkspaces.load(person)).some((w) => managesWorkspace(roles.get(w) ?? null));
  }
}

/**
 * The people (of those given, or all) whose latest PARTNER_SHARING record for this partner grants it and whose
 * processing is not restricted. One statement; also what live subscriptions of a partner load once.
 */
export async function consentingPeople(em: EntityManager, partnerId: string, people?: string[]): Promise<Set<string>> {
  const query = em
    .getKnex()('consent')
    .distinctOn('user_id')
    .select('user_id', 'granted')
    .where({ purpose: 'PARTNER_SHARING', partner_id: partnerId })
    // restricted processing: the data stays, but is not shared
    .whereNotExists((q) => q.select(1).from('users').whereRaw('users.id = consent.user_id').whereNotNull('processing_restricted_at'))
    .orderBy([{ column: 'user_id' }, { column: 'id', order: 'desc' }]);
  if (people) query.whereIn('user_id', people);
  const rows: { user_id: string; granted: boolean }[] = await query;
  return new Set(rows.filter((r) => r.granted).map((r) => r.user_id));
}
