import { describe, expect, it } from 'vitest';
import type { ChatMessageFragment } from '../generated/graphql';
import { displayName, firstUnread, inThreadOrder, mergeMessages } from './messages';

const message = (seq: number, overrides: Partial<ChatMessageFragment> = {}): ChatMessageFragment => ({
  id: `m${seq}`,
  seq,
  body: `body ${seq}`,
  createdAt: new Date(Date.UTC(2026, 10, 24, 9, seq)).toISOString(),
  editedAt: null,
  deletedAt: null,
  author: { id: 'office', username: 'office', firstName: null, lastName: null },
  ...overrides,
});

describe('messages in a thread', () => {
  it('keeps each message once, however often history and live events bring it', () => {
    let shown = mergeMessages(new Map(), [message(1), message(2)]);
    shown = mergeMessages(shown, [message(2), message(3)]); // the replay after a reconnect overlaps
    shown = mergeMessages(shown, [message(3)]);
    expect(inThreadOrder(shown).map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('lets an edit or deletion replace the message, and never an older copy replace a newer one', () => {
    const edited = message(2, { body: 'changed', editedAt: '2026-11-24T10:00:00.000Z' });
    let shown = mergeMessages(new Map(), [message(1), edited]);
    shown = mergeMessages(shown, [message(2)]); // a late history page still holds the old text
    expect(shown.get('m2')?.body).toBe('changed');
    shown = mergeMessages(shown, [message(2, { body: null, editedAt: edited.editedAt, deletedAt: '2026-11-24T11:00:00.000Z' })]);
    expect(shown.get('m2')?.body).toBeNull();
  });

  it('puts the order by seq, whatever order they arrived in', () => {
    expect(inThreadOrder(mergeMessages(new Map(), [message(5), message(1), message(3)])).map((m) => m.seq)).toEqual([1, 3, 5]);
  });

  it('marks the first unread message of someone else, and nothing on a first visit', () => {
    const ordered = [message(1), message(2, { author: { id: 'me', username: 'me', firstName: null, lastName: null } }), message(3)];
    expect(firstUnread(ordered, 1, 'me')).toBe('m3'); // my own message is not unread to me
    expect(firstUnread(ordered, 3, 'me')).toBeNull();
    expect(firstUnread(ordered, null, 'me')).toBeNull();
  });

  it('shows a name when the viewer may read it, else the username', () => {
    expect(displayName({ username: 'k.jansen', firstName: 'Kees', lastName: 'Jansen' })).toBe('Kees Jansen');
    expect(displayName({ username: 'k.jansen', firstName: null, lastName: null })).toBe('k.jansen');
    expect(displayName(null)).toBe('—');
  });
});
