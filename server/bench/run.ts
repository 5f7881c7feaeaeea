import 'reflect-metadata';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchDatabaseServer, buildProduct, freshDatabase, graphql, seed, startProduct, type Product } from './lib/product.js';
import { post } from './lib/http-client.js';
import { start, worker } from './lib/processes.js';
import { MESSAGE_EVENTS } from './targets/shared.js';
import { alternateFanout, interleaveLatency, measureFanout, type AlternatedResult, type FanoutResult, type InterleavedLatency, type FanoutTarget } from './scenarios/fanout.js';
import { measureConnections } from './scenarios/connections.js';
import { measureQueries } from './scenarios/queries.js';
import { measureSignIns } from './scenarios/sign-ins.js';
import { writeReport } from './report.js';

/**
 * `pnpm bench`: every figure beside its baselines, measured in one run on this machine, reported as ratios.
 * `pnpm bench --smoke` (CI): the same paths with small numbers, for correctness only.
 */
const smoke = process.argv.includes('--smoke');
// --only=fanout,queries… runs a part (while working on it); the report is written by full runs only
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const runs = (part: string) => !only || only.includes(part);
const size = smoke
  ? { subscribers: 50, warmSeconds: 1, rateSeconds: 2, saturationSeconds: 1, rounds: 1, roundSeconds: 1, windows: 1, postsPerWindow: 4, idleConnections: 200, settleSeconds: 3, signIns: 10 }
  : { subscribers: 1000, warmSeconds: 3, rateSeconds: 10, saturationSeconds: 6, rounds: 5, roundSeconds: 3, windows: 5, postsPerWindow: 10, idleConnections: 10_000, settleSeconds: 40, signIns: 50 };
// --windowed-latency (and the smoke run, to keep its path working): latency at 5 posts/s also in short windows
// that go to every target in turn after the others' windows, each target idle in between (bursts after a quiet
// spell, beside the steady rate the report gives); too long to fit in a full run's ten minutes
const windowed = smoke || process.argv.includes('--windowed-latency');
const here = fileURLToPath(new URL('.', import.meta.url));

const benchStarted = performance.now();
const log = (line: string) => console.log(`[bench ${Math.round((performance.now() - benchStarted) / 1000)} s] ${line}`);
log('building the server (tsc), as pnpm start does');
await buildProduct();
const database = await benchDatabaseServer();
const stops: (() => Promise<void>)[] = [database.stop];
const results: Record<string, unknown> = { smoke, machine: { node: process.version, cpus: (await import('node:os')).cpus().length }, at: new Date().toISOString() };

try {
  const load = worker('bench/load/subscribers.ts');
  stops.unshift(load.stop);
  const wsOf = (url: string) => url.replace(/^http/, 'ws') + '/graphql';
  const postTo = (url: string) => async (body: string) => {
    await post(`${url}/post`, JSON.stringify({ body }));
  };

  // ---- fan-out: the product beside raw ws and a minimal graphql-ws server. The baselines' servers stay up for
  // the whole section (idle while the others are measured): the latency windows at its end need them all at once.
  const baselines = [
    ['raw ws broadcast', 'bench/targets/raw-ws.ts', 'raw'],
    ['minimal graphql-ws + graphql-js', 'bench/targets/minimal-graphql-ws.ts', 'graphql-ws'],
  ] as const;
  const baselineTargets: FanoutTarget[] = [];
  if (runs('baselines')) {
    for (const [name, entry, protocol] of baselines) {
      const server = await start(entry, {}, /listening \d+/);
      stops.unshift(server.stop);
      const url = `http://127.0.0.1:${/listening (\d+)/.exec(server.output())![1]}`;
      baselineTargets.push({ name, endpoints: [{ wsUrl: wsOf(url), pid: server.child.pid! }], protocol, query: MESSAGE_EVENTS, variables: { threadId: 't' }, post: postTo(url) });
    }
  }
  const fanout: FanoutResult[] = [];
  for (const target of baselineTargets) {
    log(`fan-out: ${target.name}`);
    fanout.push(await measureFanout(load, target, size));
  }
  const productDb = await freshDatabase(database.url);
  const product = await startProduct(productDb);
  stops.unshift(product.stop);
  const seeded = await seed(product, productDb, Math.max(size.subscribers, size.signIns));
  const postMessage = (url: string, threadId: string) => async (body: string) => {
    await graphql(url, `mutation($t: ID!, $b: String!) { postMessage(input: { threadId: $t, body: $b }) { id } }`, { t: threadId, b: body }, seeded.office.token);
  };
  const productTarget = (name: string, products: Product[], threadId = seeded.threadId): FanoutTarget => ({
    name,
    endpoints: products.map((p) => ({ wsUrl: wsOf(p.url), pid: p.pid })),
    protocol: 'graphql-ws',
    query: MESSAGE_EVENTS,
    variables: { threadId },
    tokens: seeded.tokens.slice(0, size.subscribers),
    post: postMessage(products[0].url, threadId),
  });
  const oneProcess = productTarget('Client Online (auth, policy, per-event authorization)', [product]);
  const timedTargets: FanoutTarget[] = [...baselineTargets];
  if (runs('fanout')) {
    log('fan-out: the product');
    fanout.push(await measureFanout(load, oneProcess, size));
    timedTargets.push(oneProcess);
  }

  // ---- two processes through Redis, the subscribers split between them: memory and delivered/s as for one
  // process; then the ratio to one process, from rounds that load one process and the two in turn
  let twoProcesses: FanoutTarget | null = null;
  if (!runs('two')) {
    results.twoProcesses = { skipped: 'not asked for (--only)' };
  } else if (process.env.REDIS_URL) {
    log('fan-out: two product processes through Redis');
    const [a, b] = [await startProduct(productDb, { REDIS_URL: process.env.REDIS_URL }), await startProduct(productDb, { REDIS_URL: process.env.REDIS_URL })];
    stops.unshift(a.stop, b.stop);
    // a thread of their own for the two: the one process's posts must not reach their subscribers
    const theirs = (await graphql(product.url, `mutation($w: ID!) { createThread(input: { workspaceId: $w, title: "Fan-out, two processes" }) { id } }`, { w: seeded.workspaceId }, seeded.office.token)).createThread.id;
    twoProcesses = productTarget('Client Online, two processes + Redis', [a, b], theirs);
    const two = await measureFanout(load, twoProcesses, size);
    timedTargets.push(twoProcesses);
    let alternated: AlternatedResult | null = null;
    if (runs('fanout')) {
      log('fan-out: one process and two, in alternating rounds');
      alternated = await alternateFanout(load, [oneProcess, twoProcesses], size);
    }
    results.twoProcesses = { ...two, ratioToOneProcess: alternated?.ratio ?? null, alternated };
  } else {
    results.twoProcesses = { skipped: 'REDIS_URL is not set: the two-process figure needs a Redis' };
  }

  if (!smoke) {
    // the baselines once more, after the product: the machine's noise (a cold moment, another process) must not
    // make a baseline look slow and the product's ratio good; the better of the two runs counts (its memory per
    // subscriber is the first run's, measured in a process that had not held subscribers before)
    for (const [i, target] of baselineTargets.entries()) {
      log(`fan-out: ${target.name}, again`);
      const again = await measureFanout(load, target, size);
      const best = (again.deliveredPerSecond ?? 0) > (fanout[i].deliveredPerSecond ?? 0) ? again : fanout[i];
      fanout[i] = { ...best, target: `${best.target} (better of two runs)`, rssPerSubscriberKB: fanout[i].rssPerSubscriberKB };
    }
  }

  // ---- latency at 5 posts/s in bursts: every target in windows of its own, in turn
  if (windowed && timedTargets.length > 0) {
    log(`fan-out latency: ${timedTargets.length} targets in alternating windows`);
    const latency = await interleaveLatency(load, timedTargets, size);
    // in timedTargets' order: the baselines and the one process (as in `fanout`), then the two
    const timed = [...fanout, ...(twoProcesses ? [results.twoProcesses as FanoutResult] : [])];
    for (const [i, result] of timed.entries()) {
      const { p50Ms, p99Ms } = latency.targets[i];
      Object.assign(result, { windowed: { p50Ms, p99Ms } });
    }
    results.latency = latency;
  }
  results.fanout = fanout;

  // ---- idle connections, queries, sign-ins
  if (runs('connections')) {
    log('idle connections: a process started for them, and the one that ran the fan-out');
    // In a process started for it, as the thread query's figure is; and, at the same time, in the process that ran
    // the fan-out benchmarks first, whose heap has kept some of what a minute at saturation made it grow to (its own row)
    const fresh = await startProduct(productDb);
    const itsLoad = worker('bench/load/subscribers.ts');
    stops.unshift(fresh.stop, itsLoad.stop);
    const [own, afterTheRest] = await measureConnections([{ product: fresh, load: itsLoad }, { product, load }], seeded, size.idleConnections, size.settleSeconds);
    await itsLoad.stop();
    await fresh.stop();
    results.connections = { ...own, afterTheRest };
  }
  if (runs('queries')) {
    log('thread query');
    results.queries = await measureQueries(product, productDb, seeded, { smoke });
  }
  if (runs('sign-ins')) {
    log('sign-ins');
    results.signIns = await measureSignIns(product, seeded, size.signIns);
  }
} finally {
  for (const stop of stops) await stop().catch(() => {});
}

const resultsDir = join(here, 'results');
await mkdir(resultsDir, { recursive: true });
await writeFile(join(resultsDir, smoke ? 'smoke.json' : only ? 'partial.json' : 'latest.json'), JSON.stringify(results, null, 2) + '\n');
if (!smoke && !only) await writeReport(results, join(here, '..', '..', 'docs', 'performance.md'));
log(JSON.stringify(results, (key, value) => (key === 'latencies' ? undefined : value), 1).slice(0, 4000));
// the smoke run checks correctness only: everything posted arrived, nothing was refused or closed
const two = results.twoProcesses as FanoutResult & { alternated?: AlternatedResult | null };
const fanoutRuns = [...(results.fanout as FanoutResult[]), ...(two.target ? [two] : [])];
const latency = results.latency as InterleavedLatency | undefined;
const broken = [
  ...fanoutRuns.filter((r) => r.lost > 0 || r.errors > 0 || !r.deliveredPerSecond),
  ...[two.alternated, latency].filter((r): r is AlternatedResult | InterleavedLatency => !!r && (r.lost > 0 || r.errors > 0)),
];
const signIns = (results.signIns ?? { failed: 0 }) as { failed: number };
type Held = { stillOpen: number; connections: number };
const connectionRuns = results.connections ? [results.connections as Held, (results.connections as { afterTheRest: Held }).afterTheRest] : [];
// every server's load that ran (PostGraphile is left out of the smoke run and reads as skipped)
const queryRuns = results.queries ? (['short', 'long'] as const).flatMap((thread) => (['product', 'apolloPg', 'postgraphile', 'productOnNode22'] as const).map((server) => (results.queries as any)[thread][server]).filter((r) => r && 'non2xx' in r)) : [];
const failedQueries = queryRuns.filter((r: { non2xx: number; errors: number }) => r.non2xx > 0 || r.errors > 0);
if (broken.length > 0 || signIns.failed > 0 || connectionRuns.some((c) => c.stillOpen !== c.connections) || failedQueries.length > 0) {
  log(`FAILED: ${JSON.stringify({ broken, signIns, connectionRuns, failedQueries })}`);
  process.exit(1);
}
log(`done${smoke ? ' (smoke)' : ''}`);
process.exit(0);
