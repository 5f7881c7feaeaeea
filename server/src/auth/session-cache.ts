import type { AccountClosedMessage } from '../realtime/channels.js';
import type { Viewer } from '../policy/viewer.js';

type UserViewer = Extract<Viewer, { kind: 'user' }>;
type Entry = { viewer: UserViewer; expiresAt: number; lastUsedAt: number; checkedAt: number };

/**
 * Sessions this process has looked up recently, by token hash, so that a busy client's requests do not each
 * cost a statement. An entry is trusted for `ttlMs` at most; ending a session or an account forgets it at once
 * in this process and, through the account-closed channel, in the others (so a revoked token works nowhere
 * after the pubsub's delay, and at the latest after ttlMs if a message were lost). A platform role granted from
 * the command line shows within ttlMs.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
  ) {}

  get(tokenHash: string, now: number): Entry | null {
    const entry = this.entries.get(tokenHash);
    if (!entry) return null;
    if (now - entry.checkedAt > this.ttlMs || now >= entry.expiresAt) {
      this.entries.delete(tokenHash);
      return null;
    }
    return entry;
  }

  set(tokenHash: string, entry: Entry): void {
    if (this.ttlMs <= 0) return;
    // a Map iterates in insertion order: the first key is the oldest entry
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(tokenHash, entry);
  }

  /** What the account-closed channel says: one session, all but one, or all of a person's sessions end. */
  forget({ userId, sessionId, exceptSessionId }: AccountClosedMessage): void {
    for (const [hash, { viewer }] of this.entries) {
      if (viewer.userId !== userId) continue;
      const ends = sessionId ? viewer.sessionId === sessionId : viewer.sessionId !== exceptSessionId;
      if (ends) this.entries.delete(hash);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
