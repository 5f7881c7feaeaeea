/** The q-quantile (0..1) of the samples, nearest rank; NaN for none. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const round = (value: number, digits = 2) => (Number.isFinite(value) ? Math.round(value * 10 ** digits) / 10 ** digits : null);

/** Wall-clock milliseconds with sub-millisecond precision, comparable between processes on one machine. */
export const nowMs = () => performance.timeOrigin + performance.now();

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A process's resident memory in bytes (Linux). */
export async function rssOf(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 'NaN');
  return kb * 1024;
}

/**
 * The process's resident memory once it has settled: the least of `samples` readings a second apart. V8 gives
 * garbage back at its own pace, so one reading says as much about when the collector last ran as about what is
 * held; taken the same way before and after, the difference is what is held.
 */
export async function settledRssOf(pid: number, samples = 5): Promise<number> {
  let least = Infinity;
  for (let i = 0; i < samples; i++) {
    if (i > 0) await sleep(1000);
    least = Math.min(least, await rssOf(pid));
  }
  return least;
}

/** A message body of about the size the baselines use (~320-byte frames), carrying its send time. */
export function timedBody(sentAt: number, index: number): string {
  const head = `t:${sentAt.toFixed(3)} n:${index} `;
  return head + 'Goedemorgen, de jaarrekening staat klaar in de werkruimte. Graag uw akkoord voor vrijdag.'.padEnd(150 - head.length, '.');
}

/** The send time in a frame made from timedBody, wherever in the frame the body sits. */
export function sentAtOf(frame: string): number | null {
  const at = frame.indexOf('t:');
  if (at < 0) return null;
  const value = Number.parseFloat(frame.slice(at + 2, frame.indexOf(' ', at)));
  return Number.isFinite(value) ? value : null;
}
