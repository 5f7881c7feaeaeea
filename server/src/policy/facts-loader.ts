import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PolicyFacts } from './facts.js';
import { managesWorkspace, type Viewer, type WorkspaceRole } from './viewer.js';

/**
 * The facts of one request: the viewer's memberships in one statement, the first time a rule asks; other
 * people's shared workspaces batched per tick (one statement for all people of a list).
 */
export class RequestFacts implements PolicyFacts {
  private roles?: Promise<Map<string, WorkspaceRole>>;
  private readonly sharedWorkspaces: DataLoader<string, string[]>;

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

  async workspaceRole(workspaceId: string): Promise<WorkspaceRole | null> {
    return (await this.viewerRoles()).get(workspaceId) ?? null;
  }

  async sharesWorkspaceWith(person: string): Promise<boolean> {
    return (await this.sharedWorkspaces.load(person)).length > 0;
  }

  async administersWorkspaceOf(person: string): Promise<boolean> {
    const roles = await this.viewerRoles();
    return (await this.sharedWorkspaces.load(person)).some((w) => managesWorkspace(roles.get(w) ?? null));
  }
}
