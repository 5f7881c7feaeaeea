import { nowMs, quantile, round, settledRssOf, sleep, timedBody } from '../lib/stats.js';
import type { worker } from '../lib/processes.js';

type Load = ReturnType<typeof worker>;

export type FanoutTarget = {
  name: string;
  /** where the subscribers connect, and the processes whose memory they cost */
  endpoints: { wsUrl: string; pid: number }[];
  protocol: 'raw' | 'graphql-ws';
  query?: string;
  variables?: object;
  tokens?: string[];
  post: (body: string) => Promise<void>;
};

export type FanoutResult = {
  target: string;
  subscribers: number;
  deliveredPerSecond: number | null;
  postsPerSecond: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  latencySamples: number;
  rssPerSubscriberKB: number | null;
  lost: number;
  errors: number;
};

type Stats = { received: number; errors: number; closedByServer: number; latencies: number[]; open: number };

/**
 * Subscribers connect (RSS measured before and after); then posts at a fixed 5/s for latency, then as fast as
 * the target delivers (the poster keeps at most `window` events per subscriber in flight, so a backlog cannot
 * build up) for throughput. Everything posted must arrive: `lost` counts what did not.
 */
export async function measureFanout(load: Load, target: FanoutTarget, options: { subscribers: number; rateSeconds: number; saturationSeconds: number }): Promise<FanoutResult> {
  const { subscribers } = options;
  const rssBefore = await Promise.all(target.endpoints.map((e) => settledRssOf(e.pid, 3)));
  const share = Math.ceil(subscribers / target.endpoints.length);
  for (const [i, endpoint] of target.endpoints.entries()) {
    await load.request({ type: 'connect', url: endpoint.wsUrl, count: Math.min(share, subscribers - i * share), protocol: target.protocol, query: target.query, variables: target.variables, tokens: target.tokens });
  }
  await sleep(1500);
  const rssAfter = await Promise.all(target.endpoints.map((e) => settledRssOf(e.pid)));
  const rssPerSubscriberKB = (rssAfter.reduce((a, b) => a + b, 0) - rssBefore.reduce((a, b) => a + b, 0)) / subscribers / 1024;
  let index = 0;

  const atFiveASecond = async (posts: number) => {
    await load.request({ type: 'reset' });
    const t0 = nowMs();
    for (let i = 0; i < posts; i++) {
      await sleep(Math.max(0, t0 + i * 200 - nowMs()));
      void target.post(timedBody(nowMs(), index++));
    }
    return drained(load, posts * subscribers);
  };
  // Latency at a fixed 5 posts/s, after a second of the same that is not counted. Every post reaches all
  // subscribers, so one slow post is a thousand samples: the p99 was the first post's latency, in every target
  // and in the load generator's first thousand receipts alike (raw ws: 46 ms p50 for its first post, 8-15 ms later).
  const warmPosts = 5;
  const warm = await atFiveASecond(warmPosts);
  const posts = options.rateSeconds * 5;
  const rated = await atFiveASecond(posts);

  // throughput at saturation, closed loop
  await load.request({ type: 'reset' });
  const window = 10;
  let posted = 0;
  let inFlight = 0;
  let received = 0;
  const start = nowMs();
  const end = start + options.saturationSeconds * 1000;
  const counter = setInterval(async () => {
    received = ((await load.request<Stats>({ type: 'count' })) as unknown as { received: number }).received;
  }, 20);
  while (nowMs() < end) {
    if (posted - received / subscribers < window && inFlight < 16) {
      posted++;
      inFlight++;
      void target.post(timedBody(nowMs(), index++)).finally(() => inFlight--);
    } else await sleep(2);
  }
  clearInterval(counter);
  const atEnd = ((await load.request({ type: 'count' })) as { received: number }).received;
  const elapsed = (nowMs() - start) / 1000;
  const saturated = await drained(load, posted * subscribers);
  await load.request({ type: 'close' });
  await sleep(500);
  return {
    target: target.name,
    subscribers,
    deliveredPerSecond: round(atEnd / elapsed, 0),
    postsPerSecond: round(posted / elapsed, 1),
    p50Ms: round(quantile(rated.latencies, 0.5)),
    p99Ms: round(quantile(rated.latencies, 0.99)),
    latencySamples: rated.latencies.length,
    rssPerSubscriberKB: round(rssPerSubscriberKB, 1),
    lost: Math.max(0, warmPosts * subscribers - warm.received) + Math.max(0, posts * subscribers - rated.received) + Math.max(0, posted * subscribers - saturated.received),
    errors: warm.errors + rated.errors + saturated.errors + saturated.closedByServer,
  };
}

/** Waits until `expected` frames arrived, or nothing arrived for 3 s. */
async function drained(load: Load, expected: number): Promise<Stats> {
  let last = -1;
  let stillSince = nowMs();
  for (;;) {
    const { received } = (await load.request({ type: 'count' })) as { received: number };
    if (received >= expected) break;
    if (received !== last) {
      last = received;
      stillSince = nowMs();
    } else if (nowMs() - stillSince > 3000) break;
    await sleep(50);
  }
  return load.request<Stats>({ type: 'stats' });
}
