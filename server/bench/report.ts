import { writeFile } from 'node:fs/promises';

type Rate = { requestsPerSecond?: number; p99Ms?: number; skipped?: string; node?: string };
type QueryRun = { product: Rate; apolloPg: Rate; postgraphile: Rate; ratioToApolloPg: number; ratioToPostGraphile: number | null };

function queryRows({ short, long }: { short: QueryRun; long: QueryRun }): string[] {
  const cells = (run: QueryRun, who: 'product' | 'apolloPg' | 'postgraphile') => `${run[who].skipped ? 'skipped' : run[who].requestsPerSecond} | ${run[who].p99Ms ?? '—'} ms`;
  return [
    `| Client Online (session, policy, field rules) | ${cells(short, 'product')} | ${cells(long, 'product')} | ${short.ratioToPostGraphile ?? '—'} / ${long.ratioToPostGraphile ?? '—'} of PostGraphile, ${short.ratioToApolloPg} / ${long.ratioToApolloPg} of Apollo + pg |`,
    `| hand-written Apollo Server 5 + pg (one join, no authorization) | ${cells(short, 'apolloPg')} | ${cells(long, 'apolloPg')} | 1.00 |`,
    `| PostGraphile 5.1.5 on ${short.postgraphile.node ?? 'Node 22'} (no authorization) | ${cells(short, 'postgraphile')} | ${cells(long, 'postgraphile')} | ${ratio(short.postgraphile.requestsPerSecond, short.apolloPg.requestsPerSecond)} / ${ratio(long.postgraphile.requestsPerSecond, long.apolloPg.requestsPerSecond)} of Apollo + pg |`,
  ];
}

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
    'Delivered/s: a closed-loop poster keeps at most 10 events per subscriber in flight; the baselines ran before and after the product, the better run counts. RSS per subscriber: the least of several readings a second apart, before and after the 1,000 subscribed (10,000 below).',
    two?.skipped ? `\nTwo processes: ${two.skipped}.` : '',
    '',
    '## Thread query (last 20 messages with authors), 20 connections',
    '',
    'On a short thread (24 messages) and a long one (5,000): reading the last 20 costs each server differently.',
    '',
    '| server | short: requests/s | p99 | long: requests/s | p99 | ratio (short / long) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...queryRows(results.queries),
    '',
    'Target: ≥ 1.0× PostGraphile 5 with a fixed number of SQL statements (the statement count is asserted in test/chat.test.ts).',
    '',
    `## ${results.connections.connections.toLocaleString('en')} idle authenticated WebSockets, one subscription each`,
    '',
    `Opened ${results.connections.opened} in ${results.connections.connectSeconds} s, ${results.connections.stillOpen} still open after; ${results.connections.rssPerConnectionKB} KB RSS per connection (server at ${results.connections.serverRssMB} MB, of which ${Math.round(results.connections.serverRssMB - (results.connections.rssPerConnectionKB * results.connections.connections) / 1024)} MB before them: the process had run the fan-out benchmark first), held and settled: the least reading over 40 s. 5 s after the last one connected, before V8's memory reducer had collected the garbage subscribing them left in the old generation, the server was at ${results.connections.serverRssJustAfterMB ?? '?'} MB. A thread query took p50 ${results.connections.queryWithoutThem.p50Ms} ms without them and ${results.connections.queryWhileHeld.p50Ms} ms while they were held (p99 ${results.connections.queryWithoutThem.p99Ms} → ${results.connections.queryWhileHeld.p99Ms} ms).`,
    '',
    'Target: ≤ 25 KB per subscribed connection (10,000 under 300 MB).',
    '',
    '## Sign-in',
    '',
    `${results.signIns.concurrent} concurrent sign-ins, twice over: ${results.signIns.signInsPerSecond} sign-ins/s, event-loop delay p99 ${results.signIns.eventLoopDelayP99Ms} ms while they ran (target < 20 ms; ${results.signIns.eventLoopDelayP99IdleMs} ms with nothing running: prom-client's monitorEventLoopDelay samples every 10 ms, and each sample includes that interval), RSS growth ${results.signIns.rssGrowthMB} MB, ${results.signIns.failed} failed.`,
    '',
    ANALYSIS,
  ];
  await writeFile(path, lines.join('\n'));
}

/** What limits the figures, from CPU profiles (BENCH_PROFILE) taken while the work was done; kept with the code that made them. */
const ANALYSIS = `## What limits the figures, and what was tried

Profiles: \`BENCH_PROFILE=/tmp/prof pnpm bench --only=fanout\` (or \`queries\`), then read the product's \`.cpuprofile\`
for the seconds under load. Figures before any of this work, same machine: fan-out 4,166 delivered/s (0.07× raw
ws), p50 926 ms at 5 posts/s; thread query 0.10× Apollo + pg; sign-in event-loop p99 76 ms. At the stop before the
last one: fan-out 0.40× raw ws, thread query 0.23× PostGraphile, 27.6 KB per idle connection, sign-in p99 22 ms.
Two stops ago: fan-out 1.17× raw ws, thread query 0.27× (short thread) and 0.23× (long) PostGraphile. At the last
stop: thread query 0.35–0.56× PostGraphile, sign-in event-loop p99 26–40 ms.

**Fan-out.** Stock graphql-ws executes and stringifies every event once per subscriber, and the product's
per-subscriber stream came on top. Kept, in order: (1) shared results: one execution per group of subscribers
whose field-rule decisions agree, one \`JSON.stringify\` (3.5× delivered/s); (2) frames written to the TCP socket
directly; (3) one room per thread per process that orders and gap-fills once and serves all seats in one
synchronous pass (1.5×); (4) **posting in one SQL statement** (the biggest step of all): a post was a transaction
of five round trips holding the thread row's lock, so posts to one thread queued behind each other at about 45 a
second whatever the delivery did; data-modifying CTEs do the seq, the message and its event in one statement
that holds the lock for one round trip (about 2× delivered/s); (5) each socket's frames corked and flushed
together with one \`writev\` at the end of the turn, and when busy no sooner than twice the last flush's
duration after it (group commit): about 1.5 frames per socket per flush at saturation, none delayed when idle;
(6) the event's message loaded as the event arrives, in one SQL statement, into unmanaged entities. The
benchmark's subscribers now use a fresh id per subscription, as graphql-ws's client does, so that a frame cannot
be shared between sockets (they all used "1" before, which flattered the product): each frame is a copy of the
one serialized result behind its own id. What remains under saturation: the kernel's write per socket (~40% of
the process) and the seats' pass (~20%: the access check and the decisions from memory, the frame, the write).
Latency at 5 posts/s: with a single subscriber the product's p50 is 7.5 ms, the post's own path: a postMessage
round trip takes about 6 ms on this VM when it is otherwise idle (two database round trips; a \`{ __typename }\`
round trip alone takes 2.6 ms, each hop waking a sleeping process), where raw ws's post goes straight to the
sockets. (7) Since the last stop the post's statement also returns the message with its author and workspace,
and the posting process hands that snapshot to its own subscribers (\`LiveLoads.rememberMessage\`) instead of
reading the row back: one round trip less from a post to its readers. With one subscriber, three interleaved
runs of 180 posts each: post-to-delivery p50 10.3 → 9.7 ms, p90 14.0 → 12.4 ms (on a day when a bare
\`{ __typename }\` round trip took 3.9 ms). Other processes still read the message from PostgreSQL: the pubsub
stays a doorbell, so message bodies do not pass through Redis. So whether the p99 line (≤ 1.5× raw ws) holds depends on how fast raw ws is in that run: 0.41–1.50× in
the earlier rounds on a slower machine, 1.30–1.80× in this round's runs on a faster one.

**Two processes.** Each event crosses Redis and each process loads its message once for its own subscribers.
Nothing was lost in any run. Against one process the ratio was 0.71–0.98 in this round's runs (0.61–0.96 in the
last round). It is lowest where one process ran far above raw ws: 0.71 when one process reached 1.55× raw ws.
Against raw ws, two processes stayed at 1.10–1.22× this round, so the ≥ 0.8× line holds in most runs, not in all.

**Thread query.** Now one statement. The \`thread\` resolver looks ahead in the operation
(graphql-parse-resolve-info) and, when \`messages\` is asked for once, reads the thread, the viewer's role, the
page and its authors (each once, with whether they are members of the workspace) together, the messages and
authors as JSON arrays: pg parsing a row per message with the thread's and the author's columns repeated cost
more than PostgreSQL building JSON and V8 parsing it. It runs as a named prepared statement on a connection of
the ORM's pool (\`db/prepared.ts\`): PostgreSQL planned it at every request, and planning took about as long as
running it (0.2–0.3 ms). Relations read with their row resolve without a promise (a promise per author made
graphql-js complete every row asynchronously); plain entities make an ORM reference only when it is read (the
ORM's getReference for the thread's two relations was 7% of the CPU); one unit of work per request; an id check
that built its zod schema at every call builds it once. CPU per request, read from /proc while 20 connections
loaded the server (server / PostgreSQL, ms): 2.13 / 0.80 at the start of this round; one prepared statement
1.52 / 0.33; relations without promises 1.30 / 0.31; JSON arrays 1.19 / 0.23; references when read 1.14 /
0.21. PostGraphile in the same probe: 0.52–0.60 / 0.19–0.22. In the four full runs of this round the ratio to
PostGraphile was 0.40–0.56 (short thread) and 0.35–0.56 (long); the machine's speed moved Apollo + pg between
970 and 1,520 req/s in the same runs. Warm-up: every server gets the same load for as
long before it is measured; the product took 10–15 s to reach its steady rate under full load on two cores (V8's
optimizing compiler runs on a background thread, which gets little time then), so a two-second warm-up
measured it at about 0.75× its steady rate.
Then, in the last round, the stack and PostgreSQL's plans:
- \`/graphql\` runs on node:http (\`http/graphql-endpoint.ts\`), as Apollo Server's own standalone server does it:
  helmet, CORS and the body parser as connect middlewares, then Apollo's \`executeHTTPGraphQLRequest\`, so Apollo's
  limits, CSRF prevention, error masking and plugins are all still there. Express keeps the other routes. Its
  routing, its request and response decoration and the ETag it hashed from every answer cost about 0.11 ms per
  request: \`{ __typename }\` went from 0.33 to 0.21 ms of server CPU, the thread query from 0.88 to 0.76 ms.
- With a long thread in the table, PostgreSQL planned the short thread's page at every request. A prepared
  statement gets five plans made for its parameters and then keeps a generic one, unless the generic one looks
  dearer, and for \`limit $n\` the planner guessed a tenth of the longest thread. Named statements now run with
  \`plan_cache_mode = force_generic_plan\` (\`db/prepared.ts\`; the ORM's statements are unnamed and are planned
  for their values anyway), and each author is looked up by key (\`offset 0\` keeps the planner from joining the
  page to a scan of all users). PostgreSQL's CPU per request, with the long thread present: 0.54 → 0.24 ms
  (PostGraphile 0.15–0.17).
- Smaller: a page's edge cursors are encoded when read, usage counting needs no promise or date string per
  operation, and plain entities keep their references in one slot instead of defining a property per row.
- Tried and not kept. graphql-jit as Apollo's executor (through the gateway interface, the only place Apollo
  takes another executor): no difference (0.68 vs 0.67 ms per request over four interleaved runs each). Running
  transactions without MikroORM's AsyncLocalStorage: possible for \`em.transactional\`, but every flush runs inside
  another one (the unit of work's \`insideFlush\`), so V8's promise hooks stay on in Node 20 (3% of the thread
  query's profile, 7% of a small query's).
- Tried in this round and not kept: graphql-parse-resolve-info's \`deep: false\` (2% of the profile is its
  parse below \`messages\`) parses only the resolver's own field, not its selections, so the look-ahead cannot
  use it. V8's heap flags for the memory lines: \`--heap-growing-percent=20\` cut 10,000 connections from 291 to
  252 MB in a fresh process but cost fan-out 10–30% of its delivered/s without lowering RSS per subscriber there;
  \`--optimize-for-size\` (211 MB) halved the thread query's rate; a larger young generation
  (\`--max-semi-space-size=32\` or \`64\`) made both worse (301, 350 MB).
- PostGraphile runs on Node 22 (it needs it); the product on Node 20, as the stack fixes. The same hand-written
  Apollo + pg server took 0–20% less CPU per request on Node 22 than on Node 20 in two interleaved rounds here,
  too noisy to put a number on, but part of the gap is the runtime's.
What limits it now, in the same probe: the product's server takes 0.70–0.75 ms of CPU per request and
PostGraphile 0.47–0.49, and one Node thread serves each. Of the product's 0.72 ms, about 0.21 is the stack a
\`{ __typename }\` with a session token needs (Apollo's request pipeline and the product's plugins, the session,
node:http), 0.18 the thread's read with its policy check, and 0.33 the page: 20 messages and their authors built
from the JSON, graphql-js and type-graphql over some 185 fields, the cursors asked for, and the serialization.
An earlier run showed 0.57×
PostGraphile: the benchmark had not analyzed its seeded tables, and on a long thread both plans were wrong; it
now analyzes after seeding and measures a short and a long thread.

**Memory per connection.** graphql-ws ran its own keep-alive beside the server's heartbeat: a ping interval, a
pong timeout and a new pong listener per socket every 12 s. It is off (one heartbeat pings all sockets), the
token leaves memory once the socket is authenticated, and a subscription holds the one shared copy of its
document's text and a short group key, and a room seat is one object instead of a dozen closures and promises:
27.6 → 15–25 KB per connection between runs (more after the heavier parts of a full run: V8 keeps the heap it
grew). Heap snapshots of 2,000 connections put what a connection holds at 13.1 KB (15.5 KB at the start of
this round): ws's and net's objects for the socket, graphql-ws's closures per socket and subscription, the seat. The whole process is about 150 MB before
its first connection when run as tsc's output (as \`pnpm start\` and this benchmark now do; swc's compiler in
the process added about 100 MB), so 10,000 subscribed connections take it to about 345–385 MB: the "under
300 MB" line is not reached. Of the 150 MB, 53 MB is the node binary and its libraries mapped from disk, 34 MB
V8's young generation (grown to its 16 MB semi-spaces while the server starts) and 43 MB live heap (16 MB of it
module source text). A smaller young generation (\`--max-semi-space-size=2\`) took 26 MB off the start but raised
the cost per connection to 26.5 KB (more of the subscribing's garbage promoted): 385 MB at 10,000; not kept.
Then, in this round: one listener function for every socket for pongs and for closing (not a closure, or a
once-wrapper, per socket), the upgrade request emptied and connectionParams dropped instead of deleted properties
(a deleted property turned each of those objects into a dictionary), one client object per connection, one deps
object for all seats, a seat's pending next() in two fields, live audiences held and let go by key (no release
function per holder), one leave function per seat, a person's sockets in an array, one copy of each group key,
one actAs function for all contexts. Heap per subscribed connection 12.8 → 11.1 KB (snapshots of 2,000); in a
fresh process 19.9 → 14.7 KB of RSS per connection and 10,000 connections at 347 → 294 MB. In the full benchmark
the process has run the fan-out first: 17.3–20.7 KB and 318–359 MB in the runs since, so the "under 300 MB"
line is reached in a fresh process only (293 MB, 14.1 KB each, in this round). How that total splits between
"before" and "per connection" depends on when V8 gives back the heap the fan-out grew: straight after the
fan-out the process stood at 233 MB and the 10,000 connections added 11.1 KB each (341 MB); after the
two-process part had run in between it stood near 150 MB and they added 18–20 KB each. How much of the RSS is live: 1,000 subscribed
grew the old generation by 25 MB, and V8 ran no full collection in the 8 s of quiet after; a full collection
(a heap snapshot forces one) left 10.3 MB of it, 10.3 KB per subscriber. The rest is garbage of the connecting burst
that reached the old generation (looking up the burst's sessions in a few batched statements instead of one
each did not change it), which V8 collects only when the old generation next fills; the fan-out's 21–26 KB per
subscriber and the 10,000 connections' 18–21 KB include it. What a connection holds now is mostly not the product's:
ws's and net's objects and their event-listener tables (null-prototype objects, dictionaries from the start),
graphql-ws's closures and suspended async functions per socket and subscription.

**Sign-in.** argon2 runs at most cores − 1 at once (a bounded waiting room beyond which sign-ins get
RATE_LIMITED), so the event loop keeps a core. prom-client's monitorEventLoopDelay samples every 10 ms and each
sample includes that interval (about 10.5 ms with nothing running). What remains is the first burst: 50 requests
arriving together are parsed and started in one turn of the loop, so it shrinks with the cost of a request
before its first wait. With \`/graphql\` off Express: 16.2–21.9 ms in the last round's runs, 26–40 ms in the
round before. The machine's noise is as large as the margin, so < 20 ms holds in most runs, not in all.
`;
