import type { ChatMessageFragment } from '../generated/graphql';

export type MessagesById = ReadonlyMap<string, ChatMessageFragment>;

/** Messages are kept by id: a replayed or re-fetched message replaces its older copy instead of showing twice. */
export function mergeMessages(current: MessagesById, incoming: readonly ChatMessageFragment[]): MessagesById {
  if (incoming.length === 0) return current;
  const next = new Map(current);
  for (const message of incoming) {
    const known = next.get(message.id);
    // an older copy never overwrites a newer one (a late history page after a live edit)
    if (!known || version(message) >= version(known)) next.set(message.id, message);
  }
  return next;
}

const version = (m: ChatMessageFragment) => Math.max(Date.parse(m.deletedAt ?? '') || 0, Date.parse(m.editedAt ?? '') || 0, Date.parse(m.createdAt) || 0);

export function inThreadOrder(messages: MessagesById): ChatMessageFragment[] {
  return [...messages.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * The first message the person has not read: after the last one read on this device, not their own. The marker
 * stays where it was put when the thread opened, so it does not jump while they read.
 */
export function firstUnread(ordered: readonly ChatMessageFragment[], lastReadSeq: number | null, viewerId: string): string | null {
  if (lastReadSeq === null) return null;
  return ordered.find((m) => m.seq > lastReadSeq && m.author?.id !== viewerId)?.id ?? null;
}

/** Where each thread was last read, per browser (UI state, not personal data sent anywhere). */
export const readMarks = {
  get(threadId: string): number | null {
    const value = localStorage.getItem(`client-online.read.${threadId}`);
    return value === null ? null : Number(value);
  },
  set(threadId: string, seq: number): void {
    const known = readMarks.get(threadId);
    if (known === null || seq > known) localStorage.setItem(`client-online.read.${threadId}`, String(seq));
  },
};

/** A person's name as the viewer may see it: their name when readable, else the username. */
export function displayName(user: { username: string; firstName?: string | null; lastName?: string | null } | null | undefined): string {
  if (!user) return '—';
  return [user.firstName, user.lastName].filter(Boolean).join(' ') || user.username;
}
