import type { PolicyFacts } from './facts.js';
import { managesWorkspace, type Viewer, type WorkspaceRole } from './viewer.js';

type Members = Map<string, WorkspaceRole>;
type Change = { userId: string; role: WorkspaceRole | null };

/**
 * Memberships of the workspaces that have live subscriptions on this process, held in memory and kept fresh by
 * membership events (from any process, through the pubsub). Per-event authorization reads only these: a map
 * lookup, never a query per subscriber per event.
 */
export class LiveMemberships {
  private readonly workspaces = new Map<string, { users: Members | null; holders: number; stop?: () => void; ready: Promise<void> }>();

  constructor(
    private readonly load: (workspaceId: string) => Promise<Members>,
    private readonly listen: (workspaceId: string, onChange: (change: Change) => void) => Promise<() => void>,
  ) {}

  /** Keeps the workspace's members in memory until the returned release is called. */
  async acquire(workspaceId: string): Promise<() => void> {
    let entry = this.workspaces.get(workspaceId);
    if (!entry) {
      const created: { users: Members | null; holders: number; stop?: () => void; ready: Promise<void> } = { users: null, holders: 0, ready: Promise.resolve() };
      entry = created;
      this.workspaces.set(workspaceId, created);
      created.ready = (async () => {
        const pending: Change[] = [];
        // listen first, then load: a change between the two is applied on top of the loaded state
        created.stop = await this.listen(workspaceId, (change) => (created.users ? apply(created.users, change) : pending.push(change)));
        const users = await this.load(workspaceId);
        for (const change of pending) apply(users, change);
        created.users = users;
      })();
    }
    entry.holders++;
    try {
      await entry.ready;
    } catch (error) {
      this.release(workspaceId);
      throw error;
    }
    let released = false;
    return () => {
      if (!released) this.release(workspaceId);
      released = true;
    };
  }

  private release(workspaceId: string) {
    const entry = this.workspaces.get(workspaceId);
    if (!entry || --entry.holders > 0) return;
    entry.stop?.();
    this.workspaces.delete(workspaceId);
  }

  /** The user's role in a held workspace; null when not a member, undefined when the workspace is not held here. */
  role(workspaceId: string, userId: string): WorkspaceRole | null | undefined {
    const users = this.workspaces.get(workspaceId)?.users;
    return users ? (users.get(userId) ?? null) : undefined;
  }

  *heldWorkspaces(): Iterable<Members> {
    for (const entry of this.workspaces.values()) if (entry.users) yield entry.users;
  }
}

function apply(users: Members, { userId, role }: Change) {
  if (role === null) users.delete(userId);
  else users.set(userId, role);
}

/** The policy facts of a live subscription: answered from LiveMemberships, synchronously. */
export class LiveFacts implements PolicyFacts {
  constructor(
    readonly viewer: Viewer,
    private readonly live: LiveMemberships,
  ) {}

  private get userId(): string | null {
    return this.viewer.kind === 'user' ? this.viewer.userId : null;
  }

  workspaceRole(workspaceId: string): WorkspaceRole | null {
    return this.userId ? (this.live.role(workspaceId, this.userId) ?? null) : null;
  }

  sharesWorkspaceWith(person: string): boolean {
    const me = this.userId;
    if (!me) return false;
    for (const users of this.live.heldWorkspaces()) if (users.has(me) && users.has(person)) return true;
    return false;
  }

  administersWorkspaceOf(person: string): boolean {
    const me = this.userId;
    if (!me) return false;
    for (const users of this.live.heldWorkspaces()) if (managesWorkspace(users.get(me) ?? null) && users.has(person)) return true;
    return false;
  }
}
