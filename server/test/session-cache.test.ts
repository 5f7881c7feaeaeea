import { describe, expect, it } from 'vitest';
import { SessionCache } from '../src/auth/session-cache.js';

const viewer = (userId: string, sessionId: string) => ({ kind: 'user' as const, userId, platformRole: 'USER' as const, sessionId });
const entry = (userId: string, sessionId: string, checkedAt: number, expiresAt = checkedAt + 3_600_000) => ({ viewer: viewer(userId, sessionId), expiresAt, lastUsedAt: checkedAt, checkedAt });

describe('the session cache', () => {
  it('trusts an entry for its time only, and never past the session expiry', () => {
    const cache = new SessionCache(10_000);
    cache.set('a', entry('u1', 's1', 0));
    cache.set('b', entry('u1', 's2', 0, 5_000));
    expect(cache.get('a', 9_999)?.viewer.sessionId).toBe('s1');
    expect(cache.get('b', 4_999)?.viewer.sessionId).toBe('s2');
    expect(cache.get('b', 5_000)).toBeNull();
    expect(cache.get('a', 10_001)).toBeNull();
  });

  it('forgets one session, all but one, or all of a person, as the account-closed message says', () => {
    const cache = new SessionCache(60_000);
    for (const [hash, user, session] of [['a', 'u1', 's1'], ['b', 'u1', 's2'], ['c', 'u1', 's3'], ['d', 'u2', 's4']]) cache.set(hash, entry(user, session, 0));
    cache.forget({ userId: 'u1', sessionId: 's1' });
    expect(['a', 'b', 'c', 'd'].map((h) => cache.get(h, 1) !== null)).toEqual([false, true, true, true]);
    cache.forget({ userId: 'u1', exceptSessionId: 's2' });
    expect(['a', 'b', 'c', 'd'].map((h) => cache.get(h, 1) !== null)).toEqual([false, true, false, true]);
    cache.forget({ userId: 'u1' });
    expect(['a', 'b', 'c', 'd'].map((h) => cache.get(h, 1) !== null)).toEqual([false, false, false, true]);
  });

  it('keeps nothing when switched off, and stays within its size by dropping the oldest', () => {
    const off = new SessionCache(0);
    off.set('a', entry('u1', 's1', 0));
    expect(off.size).toBe(0);
    const small = new SessionCache(60_000, 2);
    small.set('a', entry('u1', 's1', 0));
    small.set('b', entry('u2', 's2', 0));
    small.set('c', entry('u3', 's3', 0));
    expect([small.size, small.get('a', 1), small.get('c', 1)?.viewer.userId]).toEqual([2, null, 'u3']);
  });
});
