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

/** Opens `subscribers` subscriptions, shared out over the target's endpoints. */
async function connect(load: Load, target: FanoutTarget, subscribers: number) {
  const share = Math.ceil(subscribers / target.endpoints.length);
  for (const [i, endpoint] of target.endpoints.entries()) {
    await load.request({ type: 'connect', url: endpoint.wsUrl, count: Math.min(share, subscribers - i * share), protocol: target.protocol, query: target.query, variables: target.variables, tokens: target.tokens });
  }
}

let bodies = 0;
let failedPosts = 0;
/** A post whose failure is counted (as an error, and as lost receipts) instead of ending the benchmark. */
const postTimed = (target: FanoutTarget) =>
  target.post(timedBody(nowMs(), bodies++)).catch(() => {
    failedPosts++;
  });

/** Posts at a fixed 5/s; every post must reach every subscriber. */
async function atFiveASecond(load: Load, target: FanoutTarget, subscribers: number, posts: number) {
  await load.request({ type: 'reset' });
  const t0 = nowMs();
  for (let i = 0; i < posts; i++) {
    await sleep(Math.max(0, t0 + i * 200 - nowMs()));
    void postTimed(target);
  }
  return drained(load, posts * subscribers);
}

type Saturation = { deliveredPerSecond: number; postsPerSecond: number; lost: number; stats: Stats };

/**
 * Posts as fast as the target delivers, closed loop: the poster keeps at most `window` events per subscriber in
 * flight, so a backlog cannot build up. Only this target's subscribers may be listening to its thread.
 */
async function saturate(load: Load, target: FanoutTarget, subscribers: number, seconds: number): Promise<Saturation> {
  await load.request({ type: 'reset' });
  const window = 10;
  let posted = 0;
  let inFlight = 0;
  let received = 0;
  const start = nowMs();
  const end = start + seconds * 1000;
  const counter = setInterval(async () => {
    received = ((await load.request<Stats>({ type: 'count' })) as unknown as { received: number }).received;
  }, 20);
  while (nowMs() < end) {
    if (posted - received / subscribers < window && inFlight < 16) {
      posted++;
      inFlight++;
      void postTimed(target).finally(() => inFlight--);
    } else await sleep(2);
  }
  clearInterval(counter);
  const atEnd = ((await load.request({ type: 'count' })) as { received: number }).received;
  const elapsed = (nowMs() - start) / 1000;
  const stats = await drained(load, posted * subscribers);
  return { deliveredPerSecond: atEnd / elapsed, postsPerSecond: posted / elapsed, lost: Math.max(0, posted * subscribers - stats.received), stats };
}

const failures = (stats: Stats[]) => stats.reduce((n, s) => n + s.errors + s.closedByServer, 0);

/**
 * Subscribers connect (RSS measured before and after); then posts as fast as the target delivers, to warm it up;
 * then posts at a fixed 5/s for `rateSeconds` for latency (the report's figure); then as fast as the target
 * delivers again for throughput. Everything posted must arrive: `lost` counts what did not.
 */
export async function measureFanout(load: Load, target: FanoutTarget, options: { subscribers: number; warmSeconds: number; rateSeconds: number; saturationSeconds: number }): Promise<FanoutResult> {
  const { subscribers } = options;
  const failedBefore = failedPosts;
  const rssBefore = await Promise.all(target.endpoints.map((e) => settledRssOf(e.pid, 3)));
  await connect(load, target, subscribers);
  await sleep(1500);
  const rssAfter = await Promise.all(target.endpoints.map((e) => settledRssOf(e.pid, 3)));
  const rssPerSubscriberKB = (rssAfter.reduce((a, b) => a + b, 0) - rssBefore.reduce((a, b) => a + b, 0)) / subscribers / 1024;

  // Every target is first run at saturation for `warmSeconds`, not counted: a process just started has not yet
  // optimized its hot paths (V8's compiler is a background thread that gets little time on two busy cores).
  const warmUp = await saturate(load, target, subscribers, options.warmSeconds);
  await sleep(500);
  const latency = await timedWindow(load, target, subscribers, options.rateSeconds * 5);

  const saturated = await saturate(load, target, subscribers, options.saturationSeconds);
  await load.request({ type: 'close' });
  await sleep(500);
  return {
    target: target.name,
    subscribers,
    deliveredPerSecond: round(saturated.deliveredPerSecond, 0),
    postsPerSecond: round(saturated.postsPerSecond, 1),
    p50Ms: round(quantile(latency.latencies, 0.5)),
    p99Ms: round(quantile(latency.latencies, 0.99)),
    latencySamples: latency.latencies.length,
    rssPerSubscriberKB: round(rssPerSubscriberKB, 1),
    lost: warmUp.lost + latency.lost + saturated.lost,
    errors: failures([warmUp.stats, saturated.stats]) + latency.errors + failedPosts - failedBefore,
  };
}

/**
 * `posts` at 5/s, after a few at the same rate that do not count. Every post reaches all subscribers, so one
 * slow post is a thousand samples: the p99 was the first post's latency, in every target and in the load
 * generator's first thousand receipts alike (raw ws: 46 ms p50 for its first post, 8-15 ms later).
 */
async function timedWindow(load: Load, target: FanoutTarget, subscribers: number, posts: number, leadPosts = 5) {
  const lead = await atFiveASecond(load, target, subscribers, leadPosts);
  const timed = await atFiveASecond(load, target, subscribers, posts);
  return {
    latencies: timed.latencies,
    lost: Math.max(0, leadPosts * subscribers - lead.received) + Math.max(0, posts * subscribers - timed.received),
    errors: failures([lead, timed]),
  };
}

/**
 * Subscribes every target's subscribers, then loads each for a second, not counted, to settle the new
 * subscriptions (each target was measured before and is warm).
 */
async function connectWarm(load: Load, targets: FanoutTarget[], subscribers: number): Promise<Saturation[]> {
  for (const target of targets) await connect(load, target, subscribers);
  await sleep(1500);
  const settled: Saturation[] = [];
  for (const target of targets) settled.push(await saturate(load, target, subscribers, 1));
  return settled;
}

export type InterleavedLatency = {
  windows: number;
  postsPerWindow: number;
  targets: { target: string; p50Ms: number | null; p99Ms: number | null; samples: number; p99MsPerWindow: (number | null)[] }[];
  lost: number;
  errors: number;
};

/**
 * Latency at 5 posts/s in bursts, for several targets at once: all keep their subscribers (each on a thread or
 * server of its own), and windows of `postsPerWindow` posts go to one target after the other, the first one in
 * turn, each target's samples pooled over its windows. Every target meets the same moments of the VM, but each
 * is idle while the others are timed, so a window is a burst after a quiet spell (V8 has shrunk a quiet
 * process's young generation by then), not the steady rate of measureFanout; its ratio was no steadier either.
 */
export async function interleaveLatency(load: Load, targets: FanoutTarget[], options: { subscribers: number; windows: number; postsPerWindow: number }): Promise<InterleavedLatency> {
  const { subscribers } = options;
  const failedBefore = failedPosts;
  const settled = await connectWarm(load, targets, subscribers);
  const pooled = targets.map(() => [] as number[]);
  const perWindow = targets.map(() => [] as (number | null)[]);
  let lost = settled.reduce((n, s) => n + s.lost, 0);
  let errors = failures(settled.map((s) => s.stats));
  for (let w = 0; w < options.windows; w++) {
    for (let k = 0; k < targets.length; k++) {
      const i = (w + k) % targets.length;
      // one post before the window that does not count: the target has been idle while the others were timed
      const window = await timedWindow(load, targets[i], subscribers, options.postsPerWindow, 1);
      pooled[i] = pooled[i].concat(window.latencies);
      perWindow[i].push(round(quantile(window.latencies, 0.99)));
      lost += window.lost;
      errors += window.errors;
    }
  }
  await load.request({ type: 'close' });
  await sleep(500);
  return {
    windows: options.windows,
    postsPerWindow: options.postsPerWindow,
    targets: targets.map((t, i) => ({ target: t.name, p50Ms: round(quantile(pooled[i], 0.5)), p99Ms: round(quantile(pooled[i], 0.99)), samples: pooled[i].length, p99MsPerWindow: perWindow[i] })),
    lost,
    errors: errors + failedPosts - failedBefore,
  };
}

export type AlternatedResult = {
  targets: [string, string];
  roundSeconds: number;
  rounds: { first: string; deliveredPerSecond: [number, number] }[];
  /** the median over the rounds of the second target's delivered/s over the first's, within a round */
  ratio: number | null;
  lost: number;
  errors: number;
};

/**
 * Two targets' delivered/s at saturation, compared within rounds: both keep their subscribers (on threads of
 * their own), each round saturates one and then the other, the first one in turn. This VM's speed drifts by
 * ±20% within a minute, so one run of each, a minute apart, compared the machine's moments as much as the
 * targets (the same process gave 103k and then 141k delivered/s, or 140k and then 117k, around one two-process run).
 */
export async function alternateFanout(load: Load, targets: [FanoutTarget, FanoutTarget], options: { subscribers: number; roundSeconds: number; rounds: number }): Promise<AlternatedResult> {
  const { subscribers } = options;
  const failedBefore = failedPosts;
  const all = await connectWarm(load, targets, subscribers);
  const rounds: AlternatedResult['rounds'] = [];
  for (let r = 0; r < options.rounds; r++) {
    const order = r % 2 === 0 ? [0, 1] : [1, 0];
    const rates: [number, number] = [0, 0];
    for (const i of order) {
      const run = await saturate(load, targets[i], subscribers, options.roundSeconds);
      all.push(run);
      rates[i] = Math.round(run.deliveredPerSecond);
    }
    rounds.push({ first: targets[order[0]].name, deliveredPerSecond: rates });
  }
  await load.request({ type: 'close' });
  await sleep(500);
  return {
    targets: [targets[0].name, targets[1].name],
    roundSeconds: options.roundSeconds,
    rounds,
    ratio: rounds.length ? round(quantile(rounds.map((r) => r.deliveredPerSecond[1] / (r.deliveredPerSecond[0] || 1)), 0.5)) : null,
    lost: all.reduce((n, s) => n + s.lost, 0),
    errors: failures(all.map((s) => s.stats)) + failedPosts - failedBefore,
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
