import { describe, expect, it } from 'vitest';
import { lastDays, usageBars } from './usage';

describe('the usage chart', () => {
  it('asks for whole UTC days up to and including today, oldest first', () => {
    const days = lastDays(new Date('2026-11-24T15:30:00Z'), 3);
    expect(days).toEqual([
      { day: '2026-11-22', from: '2026-11-22T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z' },
      { day: '2026-11-23', from: '2026-11-23T00:00:00.000Z', to: '2026-11-24T00:00:00.000Z' },
      { day: '2026-11-24', from: '2026-11-24T00:00:00.000Z', to: '2026-11-25T00:00:00.000Z' },
    ]);
  });

  it('scales bars to the largest count and draws a suppressed count as suppressed, not as zero', () => {
    const bars = usageBars([
      { day: 'a', count: 10 },
      { day: 'b', count: null },
      { day: 'c', count: 5 },
    ]);
    expect(bars.map((b) => b.height)).toEqual([1, 0, 0.5]);
    expect(bars[1].count).toBeNull();
  });
});
