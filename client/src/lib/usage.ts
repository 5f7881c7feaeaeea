/** One bar of the usage chart: a day and its count, or `suppressed` when the group was too small to show. */
export type UsageBar = { day: string; count: number | null; height: number };

/** The last `days` whole days before `today` (UTC), oldest first, as [from, to) pairs for usageStatistics. */
export function lastDays(today: Date, days: number): { day: string; from: string; to: string }[] {
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Array.from({ length: days }, (_, i) => {
    const from = new Date(midnight - (days - 1 - i) * 86_400_000);
    const to = new Date(from.getTime() + 86_400_000);
    return { day: from.toISOString().slice(0, 10), from: from.toISOString(), to: to.toISOString() };
  });
}

/** Bar heights as a share of the largest count; a suppressed count (null) gets no bar, the chart says so instead. */
export function usageBars(counts: readonly { day: string; count: number | null }[]): UsageBar[] {
  const max = Math.max(1, ...counts.map((c) => c.count ?? 0));
  return counts.map((c) => ({ day: c.day, count: c.count, height: c.count === null ? 0 : c.count / max }));
}
