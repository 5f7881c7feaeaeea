import { describe, expect, it } from 'vitest';
import { ThreadRooms } from '../src/modules/threads/thread-rooms.js';
import { InProcessPubSub } from '../src/realtime/pubsub.js';

describe('thread rooms', () => {
  it('hold the workspace audience while a member sits, let go of it when joining fails, and do not keep a room that could not open', async () => {
    let held = 0;
    let failOpen = true;
    const rooms = new ThreadRooms({
      pubsub: new InProcessPubSub(),
      live: {
        hold: async () => void held++,
        letGo: () => void held--,
        mayRead: () => true,
      } as never,
      orm: { em: { fork: () => ({}) } } as never,
      log: { error() {}, warn() {} } as never,
      threads: {
        currentSeq: async () => {
          if (failOpen) throw new Error('the database is away');
          return 0;
        },
        eventsAfter: async () => [],
      } as never,
      prefetch: () => {},
    });
    const member = { viewer: { kind: 'user' as const, userId: 'u', platformRole: 'USER' as const, sessionId: 's' }, tryDeliver: () => true, deliver: async () => {}, end: () => {} };

    await expect(rooms.join('t', 'w', member, null)).rejects.toThrow('the database is away');
    expect(held).toBe(0);
    failOpen = false; // the database is back: the next subscriber gets a fresh room, not the broken one
    const leave = await rooms.join('t', 'w', member, null);
    expect(held).toBe(1);
    leave();
    leave();
    expect(held).toBe(0);
  });
});
