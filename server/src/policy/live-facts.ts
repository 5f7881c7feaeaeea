import type { PolicyFacts } from './facts.js';
import { managesWorkspace, type Viewer, type WorkspaceRole } from './viewer.js';

export type WorkspaceAudience = { members: Map<string, WorkspaceRole>; partners: Set<string> };
export type AudienceChange = { userId: string; role: WorkspaceRole | null } | { partnerId: string; granted: boolean };

type Held<T> = { value: T | null; holders: number; stop?: () => void; ready: Promise<void> };

/**
 * Something held in memory while live subscriptions need it: loaded once, kept fresh by change events (from any
 * process, through the pubsub), dropped when the last holder lets go.
 */
class LiveCache<T, C> {
  private readonly entries = new Map<string, Held<T>>();

  constructor(
    private readonly load: (key: string) => Promise<T>,
    private readonly listen: (key: string, onChange: (change: C) => void) => Promise<() => void>,
    private readonly apply: (value: T, change: C) => void,
  ) {}

  /** Holds the entry (loading it if no one held it); letGo(key) once for each hold that succeeded. */
  async hold(key: string): Promise<void> {
    let entry = this.entries.get(key);
    if (!entry) {
      const created: Held<T> = { value: null, holders: 0, ready: Promise.resolve() };
      entry = created;
      this.entries.set(key, created);
      created.ready = (async () => {
        const pending: C[] = [];
        // listen first, then load: a change between the two is applied on top of the loaded state
        created.stop = await this.listen(key, (change) => (created.value ? this.apply(created.value, change) : pending.push(change)));
        const value = await this.load(key);
        for (const change of pending) this.apply(value, change);
        created.value = value;
      })();
    }
    entry.holders++;
    try {
      await entry.ready;
    } catch (error) {
      this.letGo(key);
      throw error;
    }
  }

  letGo(key: string) {
    const entry = this.entries.get(key);
    if (!entry || --entry.holders > 0) return;
    entry.stop?.();
    this.entries.delete(key);
  }

  get(key: string): T | null {
    return this.entries.get(key)?.value ?? null;
  }

  *values(): Iterable<T> {
    for (const entry of this.entries.values()) if (entry.value) yield entry.value;
  }
}

/**
 * Who may read the workspaces that have live subscriptions on this process (members with their roles, partners
 * with a grant), and which people consented to the partners that hold subscriptions here. Per-event
 * authorization reads only these: map lookups, never a query per subscriber per event.
 */
export class LiveAudiences {
  readonly workspaces: LiveCache<WorkspaceAudience, AudienceChange>;
  readonly partnerConsents: LiveCache<Set<string>, { userId: string; granted: boolean }>;

  constructor(sources: {
    loadWorkspace: (workspaceId: string) => Promise<WorkspaceAudience>;
    listenWorkspace: (workspaceId: string, onChange: (change: AudienceChange) => void) => Promise<() => void>;
    loadConsents: (partnerId: string) => Promise<Set<string>>;
    listenConsents: (partnerId: string, onChange: (change: { userId: string; granted: boolean }) => void) => Promise<() => void>;
  }) {
    this.workspaces = new LiveCache(sources.loadWorkspace, sources.listenWorkspace, (audience, change) => {
      if ('partnerId' in change) {
        if (change.granted) audience.partners.add(change.partnerId);
        else audience.partners.delete(change.partnerId);
      } else if (change.role === null) audience.members.delete(change.userId);
      else audience.members.set(change.userId, change.role);
    });
    this.partnerConsents = new LiveCache(sources.loadConsents, sources.listenConsents, (people, change) => {
      if (change.granted) people.add(change.userId);
      else people.delete(change.userId);
    });
  }

  /**
   * Holds what a live subscription of this viewer in this workspace needs; letGo once for each hold that
   * succeeded (a failed hold holds nothing). Not a release function per holder: thousands of idle subscribers
   * each would keep one.
   */
  async hold(viewer: Viewer, workspaceId: string): Promise<void> {
    await this.workspaces.hold(workspaceId);
    if (viewer.kind !== 'partner') return;
    try {
      await this.partnerConsents.hold(viewer.partnerId);
    } catch (error) {
      this.workspaces.letGo(workspaceId);
      throw error;
    }
  }

  letGo(viewer: Viewer, workspaceId: string): void {
    if (viewer.kind === 'partner') this.partnerConsents.letGo(viewer.partnerId);
    this.workspaces.letGo(workspaceId);
  }

  /** Whether the viewer may still read the (held) workspace. */
  mayRead(viewer: Viewer, workspaceId: string): boolean {
    const audience = this.workspaces.get(workspaceId);
    if (!audience) return false;
    if (viewer.kind === 'user') return audience.members.has(viewer.userId);
    if (viewer.kind === 'partner') return audience.partners.has(viewer.partnerId);
    return false;
  }
}

/** The policy facts of a live subscription: answered from LiveAudiences, synchronously. */
export class LiveFacts implements PolicyFacts {
  constructor(
    readonly viewer: Viewer,
    private readonly live: LiveAudiences,
  ) {}

  private get userId(): string | null {
    return this.viewer.kind === 'user' ? this.viewer.userId : null;
  }

  workspaceRole(workspaceId: string): WorkspaceRole | null {
    const me = this.userId;
    return me ? (this.live.workspaces.get(workspaceId)?.members.get(me) ?? null) : null;
  }

  sharesWorkspaceWith(person: string): boolean {
    const me = this.userId;
    if (!me) return false;
    for (const { members } of this.live.workspaces.values()) if (members.has(me) && members.has(person)) return true;
    return false;
  }

  administersWorkspaceOf(person: string): boolean {
    const me = this.userId;
    if (!me) return false;
    for (const { members } of this.live.workspaces.values()) if (managesWorkspace(members.get(me) ?? null) && members.has(person)) return true;
    return false;
  }

  partnerMayRead(workspaceId: string): boolean {
    return this.viewer.kind === 'partner' && this.live.mayRead(this.viewer, workspaceId);
  }

  consentsToPartner(person: string): boolean {
    return this.viewer.kind === 'partner' && (this.live.partnerConsents.get(this.viewer.partnerId)?.has(person) ?? false);
  }
}
