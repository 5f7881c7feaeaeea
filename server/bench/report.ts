import { writeFile } from 'node:fs/promises';

const ratio = (value: number | null | undefined, base: number | null | undefined) => (value && base ? (value / base).toFixed(2) : '—');

/** docs/performance.md from a full run's results: each figure, its baselines, the ratio, the target. */
export async function writeReport(results: any, path: string): Promise<void> {
  const [raw, minimal, product] = results.fanout;
  const two = results.twoProcesses;
  const lines = [
    '# Performance',
    '',
    `Written by \`pnpm bench\` on ${results.at} (Node ${results.machine.node}, ${results.machine.cpus} cores); raw figures in \`server/bench/results/latest.json\`.`,
    'Every figure is measured in the same run as its baselines, server and load generator in separate processes; ratios are what to compare between runs.',
    '',
    '## Fan-out: 1,000 subscribers to one thread',
    '',
    '| server | delivered/s | vs raw ws | vs minimal graphql-ws | p50 at 5 posts/s | p99 at 5 posts/s | p99 vs raw ws | RSS per subscriber | lost |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...[raw, minimal, product, ...(two?.target ? [two] : [])].map(
      (r: any) =>
        `| ${r.target} | ${r.deliveredPerSecond} | ${ratio(r.deliveredPerSecond, raw.deliveredPerSecond)} | ${ratio(r.deliveredPerSecond, minimal.deliveredPerSecond)} | ${r.p50Ms} ms | ${r.p99Ms} ms | ${ratio(r.p99Ms, raw.p99Ms)} | ${r.rssPerSubscriberKB} KB | ${r.lost} |`,
    ),
    '',
    'Targets: delivered/s ≥ 0.5× raw ws (≥ 2× minimal graphql-ws); p99 ≤ 1.5× raw ws; RSS ≤ 25 KB per subscriber; two processes: nothing lost, per-process figure ≥ 0.8× one process.',
    two?.skipped ? `\nTwo processes: ${two.skipped}.` : '',
    '',
    '## Thread query (last 20 messages with authors), 20 connections',
    '',
    '| server | requests/s | p99 | ratio |',
    '| --- | --- | --- | --- |',
    `| Client Online (session, policy, field rules) | ${results.queries.product.requestsPerSecond} | ${results.queries.product.p99Ms} ms | ${results.queries.ratioToPostGraphile ?? '—'} of PostGraphile, ${results.queries.ratioToApolloPg} of Apollo + pg |`,
    `| hand-written Apollo Server 5 + pg (one join, no authorization) | ${results.queries.apolloPg.requestsPerSecond} | ${results.queries.apolloPg.p99Ms} ms | 1.00 |`,
    `| PostGraphile 5.1.5 on ${results.queries.postgraphile.node ?? 'Node 22'} (no authorization) | ${results.queries.postgraphile.skipped ?? results.queries.postgraphile.requestsPerSecond} | ${results.queries.postgraphile.p99Ms ?? ''} ms | ${ratio(results.queries.postgraphile.requestsPerSecond, results.queries.apolloPg.requestsPerSecond)} of Apollo + pg |`,
    '',
    'Target: ≥ 1.0× PostGraphile 5 with a fixed number of SQL statements (the statement count is asserted in test/chat.test.ts).',
    '',
    `## ${results.connections.connections.toLocaleString('en')} idle authenticated WebSockets, one subscription each`,
    '',
    `Opened ${results.connections.opened} in ${results.connections.connectSeconds} s, ${results.connections.stillOpen} still open after; ${results.connections.rssPerConnectionKB} KB RSS per connection (server at ${results.connections.serverRssMB} MB). A thread query took p50 ${results.connections.queryWithoutThem.p50Ms} ms without them and ${results.connections.queryWhileHeld.p50Ms} ms while they were held (p99 ${results.connections.queryWithoutThem.p99Ms} → ${results.connections.queryWhileHeld.p99Ms} ms).`,
    '',
    'Target: ≤ 25 KB per subscribed connection (10,000 under 300 MB).',
    '',
    '## Sign-in',
    '',
    `${results.signIns.concurrent} concurrent sign-ins, twice over: ${results.signIns.signInsPerSecond} sign-ins/s, event-loop delay p99 ${results.signIns.eventLoopDelayP99Ms} ms while they ran (target < 20 ms; ${results.signIns.eventLoopDelayP99IdleMs} ms with nothing running), RSS growth ${results.signIns.rssGrowthMB} MB, ${results.signIns.failed} failed.`,
    '',
  ];
  await writeFile(path, lines.join('\n'));
}
