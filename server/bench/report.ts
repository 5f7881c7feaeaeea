import { writeFile } from 'node:fs/promises';

type Rate = { requestsPerSecond?: number; p99Ms?: number; skipped?: string; node?: string };
type QueryRun = { product: Rate; apolloPg: Rate; postgraphile: Rate; productOnNode22?: Rate; productAfterTheRest?: Rate; ratioToApolloPg: number; ratioToPostGraphile: number | null; onNode22RatioToPostGraphile?: number | null; afterTheRestRatioToPostGraphile?: number | null };

function queryRows({ short, long }: { short: QueryRun; long: QueryRun }): string[] {
  const cells = (run: QueryRun, who: 'product' | 'apolloPg' | 'postgraphile' | 'productOnNode22' | 'productAfterTheRest') => `${run[who]?.skipped ? 'skipped' : run[who]?.requestsPerSecond} | ${run[who]?.p99Ms ?? '—'} ms`;
  return [
    `| Client Online (session, policy, field rules) | ${cells(short, 'product')} | ${cells(long, 'product')} | ${short.ratioToPostGraphile ?? '—'} / ${long.ratioToPostGraphile ?? '—'} of PostGraphile, ${short.ratioToApolloPg} / ${long.ratioToApolloPg} of Apollo + pg |`,
    ...(short.productAfterTheRest
      ? [`| the same, in the process that ran the fan-out, two-process and 10,000-connection benchmarks first | ${cells(short, 'productAfterTheRest')} | ${cells(long, 'productAfterTheRest')} | ${short.afterTheRestRatioToPostGraphile ?? '—'} / ${long.afterTheRestRatioToPostGraphile ?? '—'} of PostGraphile |`]
      : []),
    `| hand-written Apollo Server 5 + pg (one join, no authorization) | ${cells(short, 'apolloPg')} | ${cells(long, 'apolloPg')} | 1.00 |`,
    `| PostGraphile 5.1.5 on ${short.postgraphile.node ?? 'Node 22'} (no authorization) | ${cells(short, 'postgraphile')} | ${cells(long, 'postgraphile')} | ${ratio(short.postgraphile.requestsPerSecond, short.apolloPg.requestsPerSecond)} / ${ratio(long.postgraphile.requestsPerSecond, long.apolloPg.requestsPerSecond)} of Apollo + pg |`,
    ...(short.productOnNode22
      ? [`| the same build of Client Online on ${short.productOnNode22.node ?? 'Node 22'}, PostGraphile's runtime (for comparison only) | ${cells(short, 'productOnNode22')} | ${cells(long, 'productOnNode22')} | ${short.onNode22RatioToPostGraphile ?? '—'} / ${long.onNode22RatioToPostGraphile ?? '—'} of PostGraphile |`]
      : []),
  ];
}

const ratio = (value: number | null | undefined, base: number | null | undefined) => (value && base ? (value / base).toFixed(2) : '—');

/** what the server held before the idle connections opened, from what it held with them and what each cost */
const rssBeforeConnections = (c: { serverRssMB: number; rssPerConnectionKB: number; connections: number }) => Math.round(c.serverRssMB - (c.rssPerConnectionKB * c.connections) / 1024);

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
    `Latency: 5 posts/s for 10 s, after 1 s of the same that does not count (p99 over all subscribers' receipts). Every target is first saturated for 3 s, not counted (a process just started has not optimized its hot paths yet). Delivered/s: a closed-loop poster keeps at most 10 events per subscriber in flight, for 6 s; the baselines ran before and after the product, the better run counts. RSS per subscriber: the least of several readings a second apart, before and after the 1,000 subscribed, in the baseline's first run (10,000 below).`,
    two?.skipped
      ? `\nTwo processes: ${two.skipped}.`
      : `\nTwo processes (500 subscribers on each, every post through Redis): ${two.deliveredPerSecond} delivered/s in all in the run above. Against one process, in ${two.alternated?.rounds.length ?? 0} rounds of ${two.alternated?.roundSeconds} s that saturate one process and then the two (the first in turn), each keeping its 1,000 subscribers: ${(two.alternated?.rounds ?? []).map((r: any) => `${r.deliveredPerSecond[1]} / ${r.deliveredPerSecond[0]}`).join(', ')} delivered/s (two / one): **${two.ratioToOneProcess}× one process**, the median of the rounds' ratios (target ≥ 0.8), ${two.lost + (two.alternated?.lost ?? 0)} lost. Two processes share the same two cores as one, with PostgreSQL, Redis and the subscribers, so their sum is what can be compared.`,
    '',
    '## Thread query (last 20 messages with authors), 20 connections',
    '',
    'On a short thread (24 messages) and a long one (5,000): reading the last 20 costs each server differently. Each server is loaded in turn, nine rounds of 2 s after 6 s of warm-up (1 s on the long thread, which comes after the short one); the table gives its median round, the ratio is the median of the ratios within a round. The product\'s figure comes from a process started for this benchmark, as each baseline\'s does; the process that ran the other benchmarks first is loaded beside it (what sets it apart: (10) under "What limits the figures").',
    '',
    '| server | short: requests/s | p99 | long: requests/s | p99 | ratio (short / long) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...queryRows(results.queries),
    '',
    'Target: ≥ 1.0× PostGraphile 5 with a fixed number of SQL statements (the statement count is asserted in test/chat.test.ts).',
    '',
    `## ${results.connections.connections.toLocaleString('en')} idle authenticated WebSockets, one subscription each`,
    '',
    `In a process started for them: opened ${results.connections.opened} in ${results.connections.connectSeconds} s, ${results.connections.stillOpen} still open after; ${results.connections.rssPerConnectionKB} KB RSS per connection, the server at ${results.connections.serverRssMB} MB while it held them (${rssBeforeConnections(results.connections)} MB before them), held and settled: the least reading over 40 s. 5 s after the last one connected, before V8's memory reducer had collected the garbage subscribing them left in the old generation, the server was at ${results.connections.serverRssJustAfterMB ?? '?'} MB. A thread query took p50 ${results.connections.queryWithoutThem.p50Ms} ms without them and ${results.connections.queryWhileHeld.p50Ms} ms while they were held (p99 ${results.connections.queryWithoutThem.p99Ms} → ${results.connections.queryWhileHeld.p99Ms} ms).`,
    ...(results.connections.afterTheRest
      ? [
          '',
          `In the process that ran the fan-out and two-process benchmarks first, at the same time: ${results.connections.afterTheRest.stillOpen} of ${results.connections.afterTheRest.opened} still open, ${results.connections.afterTheRest.rssPerConnectionKB} KB per connection, the server at ${results.connections.afterTheRest.serverRssMB} MB (${rssBeforeConnections(results.connections.afterTheRest)} MB before them), a thread query p50 ${results.connections.afterTheRest.queryWithoutThem.p50Ms} → ${results.connections.afterTheRest.queryWhileHeld.p50Ms} ms.`,
        ]
      : []),
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
stop: thread query 0.35–0.56× PostGraphile, sign-in event-loop p99 26–40 ms. At the stop before this one: thread
query 0.61× (short) and 0.60× (long) PostGraphile, 0.84 / 0.83× Apollo + pg; fan-out p99 at 5 posts/s 1.67× raw
ws (1.36× and 1.44× in two other runs that day).

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
the earlier rounds on a slower machine, 1.30–1.80× in this round's runs on a faster one. Since then the latency
is measured after a second of posts at the same rate that does not count, over 10 s (50 posts) instead of 6:
every post reaches all 1,000 subscribers, so one slow post is a thousand samples, and the p99 over 30 posts was
the first post's latency. Per post in one run (p50 ms): raw ws 46 for its first post, then 7–19; the product 32
for its first two, then 14–31, each post's own p99 within 3–8 ms of its p50. Without the first three posts the
p99 went from 53 to 23 ms for raw ws and from 41 to 34 ms for the product. What is left: the post's own path (an
HTTP mutation and two statements, one of them a commit; 2.5 ms p50 round trip when idle, \`{ __typename }\` 0.9 ms)
and the per-subscriber pass raw ws does not have (the access check and the field-rule decisions from memory, the
frame behind its own id, the corked write). A CPU profile of 150 posts at 5/s to 1,000 subscribers: the pass
2.9 ms per post, then the flush 8.8 ms (1,000 socket writes of about 9 µs each, which raw ws pays too, as it
sends); the first frame leaves only when the pass is done, so every subscriber waits for it. The product's p50 is
about 10 ms above raw ws's, its p99 1.36–1.67× raw ws's in three runs on a fast machine. Tried and not kept:
after a quiet stretch (nothing written for 20 ms, nothing held back), writing each frame as the pass reaches its
seat instead of corking it until the end of the turn: p50 at 5 posts/s 2 ms lower (about 17 → 15 ms in four
runs each), p99 0.5–1.5 ms lower, but delivered/s at saturation 6% lower (154 and 152k against 164 and 161k,
runs alternated); without the 20 ms condition, 9% lower.
In the stop after (2026-12-03, session 4), timestamps at each step of a post at 5/s to 1,000 subscribers, 110
posts (median ms after the post was sent): the request at 1.0, the resolver at 2.3, the thread read back at 3.5,
the insert back at 7.3, the room's pass from 7.7 to 12.2 (0.9 ms of it a first loop over the seats that found no
result yet, then the execution, then the seats again), the flush from 12.8 to 25.8 (13 µs per socket, nearly all
in the kernel's write). The subscribers' process reads a thousand frames in about 16 ms, for raw ws as for the
product, so a post's last reader gets it about 16 ms after its first: raw ws's first frame came 2.7 ms after its
post, the product's 13–14 ms after. Changed: the post's statement is prepared (its planning was half of its 3.7
ms: 2.1 ms now); the first seat without a result executes it within the pass, so there is one pass, not two; a
subscription's frame head (its id) is made once, not for each event; and a process that has written nothing for
20 ms writes each frame as the pass reaches its seat (under load, frames are corked and flushed together as
before). The product's first frame then came 8 ms after its post, p50 1.5–3 ms lower (in three alternated rounds
of 50 posts beside raw ws, scratch harness). And the one-process product now runs with the in-process pubsub, as a
single process is run: it used Redis whenever the benchmark's environment had a REDIS_URL (as in CI and on this
machine), which added a Redis round trip to every post (p50 at 5 posts/s about 4 ms higher in three runs).

**Two processes.** Each event crosses Redis and each process loads its message once for its own subscribers.
Nothing was lost in any run. Against one process the ratio was 0.71–0.98 in this round's runs (0.61–0.96 in the
last round). It is lowest where one process ran far above raw ws: 0.71 when one process reached 1.55× raw ws.
Against raw ws, two processes stayed at 1.10–1.22× this round, so the ≥ 0.8× line holds in most runs, not in all.
In the stop after (2026-12-03, session 3), CPU read from /proc over 8 s of saturation, per 1,000 delivered: one
process 9.7–12.4 ms, two processes 12.8–15.5 ms together (the posting one 7.5–9.0, the other 5.0–6.7), PostgreSQL
1.8 → 2.1–2.2 ms; the machine was then at 175–190% of its two cores, so two processes are bound by the total. Of
that total the benchmark's own posting process took 2.3–3.1 ms per post while it posted with fetch (undici), a
fifth of a core at the post rate; with node:http over kept-alive connections (bench/lib/http-client.ts) 0.7–1.5
ms. Each process flushes less to each socket at a time when it has fewer of them: 3.0–3.1 frames per socket per
flush in each of two processes, 3.7 in one. Two-process fan-out then measured 1.07× and 1.01× one process in the
two runs after the change (0.79–0.91× in the full runs before it). Not done: carrying the message in the Redis
event, which would save the second process its read; the channels carry ids only, never personal data (a
message's body and its author's name), by design (src/realtime/channels.ts).
In the stop after (session 4) the single process, now on the in-process pubsub and with the cheaper pass, ran at
95–154k delivered/s in this session's runs, and two processes at 61–110k: 0.52–0.87× one process. CPU read from
/proc each second while two processes were saturated: each server at about 50% of a core, the subscribers' process
at about 40%, the machine at about 145% of its two cores; the poster was held back by its window (at most 10
events per subscriber in flight) every time, never by its limit of 16 posts in flight, and a post's round trip
took p50 53 ms (one process: 32–36 ms). With a window of 30 two processes delivered the same (82k). So two
processes are held back by the time an event takes to pass through them, not by CPU. Timings inside the servers
at saturation (scratch instrumentation, one run of each): a post's thread read took p50 5–6 ms and its insert
15–16 ms more, in one process as in the posting one of two: every post takes the thread's row lock (its next seq)
until it commits, and the posts' database replies wait behind passes and flushes of 7–13 ms on the event loop;
the Redis publish added p50 8.6 ms to the posting process's answer (0.2 ms in-process); in the other process an
event waited p50 4.2 ms, p90 46 ms in its room's queue, where 6% of the events arrived ahead of one published
before them and the room read the missing one from PostgreSQL (p50 8–10 ms, in the queue) instead of waiting
for it to arrive. Posting round-robin to both processes, as a load balancer would, did not change it
(0.56–0.73×). Not tried: holding an early event a few milliseconds for the one it overtook before reading it.
In the stop after (2026-12-03, session 5) that was tried and kept: a room puts an event that came ahead of a lower
seq aside and waits up to 25 ms for the one it overtook; only what has not come by then is read from PostgreSQL
(\`realtime_events_read_for_lost_publishes_total\` counts those reads). Events read that way at saturation: about 6%
before, 0 in three runs after (2 once). Two processes against one, \`--only=fanout,two\` on a fast machine: 0.66
before (114k against 166–180k); 0.82 and 0.77 after (139k and 138k). And the process that took a post now hands
its event to its own rooms at once, not when Redis brings it back (the copy that comes back is dropped by seq):
in three alternated \`--only=two\` runs each, throughput was within the noise (116k, 120k, 93k without; 132k, 91k,
102k with), p50 at 5 posts/s 1–7 ms lower (20.3, 19.5, 26.1 against 19.2, 17.6, 18.9 ms) and p99 3–13 ms lower
(43.3, 37.6, 48.8 against 39.9, 35.2, 35.6 ms), so it was kept. The single process's own figure moves by about
±20% within one run (the two samples of a run: 137k and 169k), which is the noise this ratio carries.
In the stop after (2026-12-04, session 6), the machine's CPU each second (top) while the one process and then the
two were saturated, in one \`--only=fanout,two\` run: with one process the machine was 76–89% busy (the server
69–85% of a core, the subscribers' process 46–61%, the poster 10–13%); with two it was 94–96% busy (the posting
server 52–66%, the other 32–40%, the subscribers' process 50–57%, the poster 9–14%). So in that run two processes
were bound by the two cores they share with PostgreSQL, Redis and the load, as in session 3, not by latency as
session 4 read it. In a CPU profile of each of the two at saturation the socket writes (writev, and writeBuffer for
a socket with one frame to send) took 36% and 29% of the samples: with 500 sockets each process flushes sooner and
sends fewer frames per write (3.0–3.1 frames per socket per flush in each of two against 3.7 in one, session 3), so
the two together make more writes per delivered message than one process does.
The posting server's extra share (about 20% of a core over the other's at about 120 posts/s) is the posts' own
path. Two processes measured twice in a row (scratch change): the second run 5–8% above the first (117k → 127k,
126k → 132k), the JIT still warming in processes started just before; the first run counts, as the one process's
first run does. Two processes against one in this session's runs: 0.73 and 0.68; in the two scratch runs 0.76 and
0.81 with the first two-process run, 0.82 and 0.85 with the second.
In the stop after (2026-12-04, session 7) the ratio moved from 0.58 to 0.82 between \`--only=fanout,two\` runs of
the same code, and one process's two runs around the two-process one gave 103k then 141k, or 140k then 117k
delivered/s: one run of each, a minute apart, compared the machine's moments more than the processes. The ratio
now comes from rounds that load one process and the two in turn, each keeping its subscribers (on threads of their
own), as the thread query's servers are: in two runs the six rounds' ratios were 0.81–0.97 (median 0.87) and
0.80–1.00 (median 0.91), while the same runs' single two-process measurement gave 0.75 and 0.61 of the one
process's. Every fan-out target is also first saturated for 4 s that do not count (JIT warm-up). To keep a full
run on a fresh clone within 10 minutes (it took 11 min 16 s with all this), the rounds are now five, the warm-up 3 s,
and the two processes' 10,000 idle connections (below) are held and settled at the same time.
The warm-up comes before the latency at 5 posts/s too. Whether it moves the p99 (a collection left due, say):
four alternated \`--only=baselines,fanout\` runs, without it and with it, gave p99 1.18× and 1.93× raw ws without,
1.11× and 1.29× with (product p99 36.96 and 48.97 against 32.31 and 30.31 ms), so it was kept. Across this
session's four full runs the p99 ratio was 1.40, 1.49, 1.59 and 1.55: with 1,000 receipts per post, the p99 of 50
posts is the slowest post or two, and one slow post on this VM decides it.
In the stop after (2026-12-04, session 8) the latency was also taken in windows (\`--windowed-latency\`): every
target holds its 1,000 subscribers at once, and windows of 10 posts (after one that does not count) go to raw ws,
the minimal server, one product process and two in turn, five windows each, the receipts pooled per target, so
that all meet the same moments of the VM. It was meant to take the VM's drift out of the ratio; it did not make
it steadier: p99 0.96–1.73× raw ws in six \`--only\` runs and 1.65 and 2.00× in two full runs, where the steady
way gave 1.01, 1.29 and 1.21× in the three runs that measured both. It measures something else too: each target
is idle for about 8 s before its window, so a window is a burst after a quiet spell, not a steady 5 posts/s, and
the steady figure stays the table's. Per post, the first and the last of its thousand receipts (scratch
instrumentation, one run): raw ws 1–7 ms and 12–44 ms, the product 4–12 ms and 17–46 ms, the minimal server
25–46 and 46–71 ms; a post's spread from first to last receipt (about 18–20 ms, the subscribers' process reading a
thousand frames) is the same for raw ws and the product, and what the product adds is its post's own path. What
the windows did show: with \`--trace-gc\` in the product, its slow windows (a post whose first receipt came at 42
ms and its last at 100) held 6–7 scavenges in 2 s, one of 25 ms at the window's start, against 0–1 in the others,
each after about 1 MB of allocation: V8 shrinks the young generation at a collection when the allocation rate is
low, and after the quiet spell it had gone from 16 MB to 1 MB, so each post of the burst paid a scavenge with its
frames in flight. With \`--min-semi-space-size=16\` (the size it grows to under load anyway) in the next \`--only\` run: 0–1
scavenges per window and the product's windows at p99 26–41 ms (1.27× raw ws); in a full run with it, one window
of 92 ms in a stretch where the minimal server's windows went to 167 and 175 ms, so the VM's slow moments still
decide single windows. It was the start script's for three full runs and then taken out again: the process
started for 10,000 idle connections settled at 217, 317 and 320 MB with it (214–260 MB in the four full runs
without it; in four \`--only=connections\` runs, two each way, 217–228 MB with and without), and the steady 5
posts/s the table gives does not need it (the young generation is at its full size after the warm-up). The README
gives it as an option for bursty traffic, with that cost.

**Thread query.** Now one statement. The \`thread\` resolver looks ahead in the operation
(graphql-js's own field collection, on its selection only) and, when \`messages\` is asked for once, reads the thread, the viewer's role, the
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
- Tried and not kept then (kept since, see (5) below). graphql-jit as Apollo's executor (through the gateway interface, the only place Apollo
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
Since the last stop: (1) fields that only read their entity's property run without TypeGraphQL's wrapper
(its \`simple\` resolvers, set in \`schema.ts\` for every field with no field resolver, middleware or
@Authorized; the [personal] fields keep their rule in front): a thread page no longer calls a wrapper, a
resolver-data object and an empty middleware chain for each of its ~140 plain fields. Two product builds side by
side, three to four seconds of load each in alternating order, eight rounds, roles swapped in a second run:
+10% and +2% requests/s (median of the rounds). (2) graphql-jit again (kept since, see (5)), now that plain fields have no resolver
and compile to property reads: +17% and +2% with it over the old build, so about 3% over simple resolvers
alone, within the noise; not kept, since it is a second executor under every operation (its errors need
converting before Apollo's error handling, its variable errors lose Apollo's BAD_USER_INPUT) for a gain this
small. Without MikroORM's AsyncLocalStorage on (a process that never flushed) the same pair measured +28% and
+23%: V8's promise hooks take a share of each request that no executor removes. (3) The measurement: two
processes of the same build, measured in alternating rounds, differed by up to a third for over a minute at a time
(medians 1.33, 0.92 and 1.03 in three such A/A runs), and this VM's speed drifts as much. The servers were
loaded one after the other, each for its whole time, so a ratio compared the machine's moments as much as the
servers; now all three run at once and are loaded in turn, three rounds, a ratio taken within each round and
the median reported (the table gives each server's median round).
Since then: (4) the look-ahead collected the whole tree below the \`thread\` field at every request
(graphql-parse-resolve-info); it now runs graphql-js's own field collection on the resolver's selection only
and reads the arguments of \`messages\` from it: 4.6% of the thread query's profile before, 0.3% after, and
+7.5% requests/s for the new build in six alternating rounds of the two builds side by side (both started after
the seeding, as a same-build pair measured 1.00–1.06 there). What is left in the profile is spread thin: the
writes to the sockets (PostgreSQL's and the answer's) 11% of the samples, garbage collection 7%, graphql-js's
arguments object for every field 4% and the rest of its walk about 10%, V8's promise hooks 5%, the pool's
acquire (tarn's timeout per acquire) 3%, building entities 3%, the answer's JSON 3%. (5) graphql-jit as
Apollo's executor once more (\`http/compiled-execution.ts\`, through Apollo's gateway interface), now kept: in the
same two-build harness +15% (six rounds, the new build second) and +9–11% (roles swapped), where the earlier
attempts (1, 2 above) measured 0 and about 3%. Its errors are turned into graphql-js errors (its own cannot have
their message rewritten and carry no nodes), and when the variables do not fit (no \`data\` at all, nothing ran)
graphql-js runs the operation instead, for the errors Apollo answers as BAD_USER_INPUT. A mutation whose resolver
fails is never run twice: that leaves \`data\`. Tried at the same time and not kept: a pg.Pool of its own for the
prepared reads instead of the ORM's knex pool (+1.5%, within the noise), \`Message.author\` without TypeGraphQL's
wrapper (no difference), Apollo's inline-trace plugin turned off and the product's two plugins made one (+3%,
within the noise), \`--max-semi-space-size=32\` (+2%). A request makes 202 promises: about 40% in Apollo's
plugin dispatch (a \`Promise.all\` over the listeners at each stage) and 13% in TypeGraphQL's argument handling
(an \`async\` validator per argument, validation off or not).
(6) Since the last stop: MikroORM's two AsyncLocalStorages, its transaction context and its guard against a
flush inside a flush, are switched off whenever no transaction and no flush runs in the process
(\`db/quiet-contexts.ts\`). In Node 20 an AsyncLocalStorage that has run once keeps V8's promise hooks on for
good, so after the process's first write every promise of every read called into JavaScript when it was made
and settled (the "+28% without it" of (2)). Now the ORM's \`entityManager\` option counts each transaction and
flush, and when none is left the storages get Node's \`disable()\`; their next \`run()\` turns them on again, so a
running transaction keeps its context as before (tested: a transaction that another one outlives still resolves
the global EntityManager to its own). The two storages are found at start, by an empty transaction and flush
during which Node's \`run\` is wrapped for that synchronous step only, since MikroORM exports neither. Two builds
side by side, each started after the seeding and having written once, six rounds in each orientation: +12%
requests/s (medians; rounds 1.04–1.28). That was also most of the "seeding bias" of (4): the process that had
seeded ran slower because it had written. (7) Smaller ones: each request's unit of work is made directly rather
than by \`fork()\`, which switches the config's allowGlobalContext on and off around it, each switch writing
process.env (\`{ __typename }\` 213 → 200 µs of server CPU per request, the thread query about 2%); plain entities
are built by a constructor made once per entity and prefix that assigns each field by name, so V8 keeps the
fields inside the object (+2.5% in both orientations, within the noise, the same sign both ways); times come out
of PostgreSQL as epoch milliseconds, since a Date from the JSON's text took four times as long as from a number
(2.1% of the profile before, under 0.6% after); without TRUST_PROXY the client's address is the socket's, with no
X-Forwarded-For parsing (1% of a small request). Where (6) left it, in a side-by-side probe of the product,
Apollo + pg and PostGraphile (server CPU per request from /proc, four rounds): the product 0.51–0.52 ms (0.58 in
its first round), Apollo + pg 0.57–0.61 ms, PostGraphile 0.43–0.47 ms; after (7), \`{ __typename }\` through the product 0.20 ms, through the bare
Apollo + pg server 0.12 ms. The product now answers more than the hand-written Apollo + pg server (about
1.2–1.3×) while doing the session, the policy and the field rules; PostGraphile, on Node 22, stays ahead by about
12% of CPU per request. What is left is spread thin (each under 3% of the samples): the answer's JSON, pg's row
parsing, the \`toISOString\` of every time shown (graphql-scalars' DateTimeISO), graphql-jit's resolve info and
path for each of the 60 fields with a resolver (each message's author, and the field rules on its body and its
author's last name), TypeGraphQL's parameter handling for those resolvers, Apollo's plugin dispatch, and garbage
collection (9%).
(8) This stop: the schema's DateTimeISO formats a Date in JavaScript (\`modules/date-time.ts\`; graphql-scalars'
scalar for anything else, tested against \`toISOString\` over 1970-9999): V8's \`toISOString\` calls into C++ and
took 1.5 µs a date on this machine, and a page's 20 times with the JSON around them went from 48 to 23 µs in a
micro-benchmark (a first version, one template of a dozen parts, left as many string pieces for JSON.stringify
to flatten: 30 µs, and 7.8 KB allocated per thread page in a sampling allocation profile against 3.2 KB now).
The build at the end of this stop against the one at its start, side by side (14 rounds of 3 s): +7.7%
requests/s and 10% less server CPU per request (medians; rounds 0.84–1.27 on a day whose A/A rounds spread from 0.89
to 1.21). The benchmark now also runs the same build of the product on PostGraphile's Node 22, and loads the
servers in nine rounds of 2 s instead of three of 6 s. In the three full runs of 2026-12-02 the product answered
0.93 / 0.86, 0.93 / 0.82 and 0.84 / 0.92 (short / long thread) of PostGraphile's rate on Node 20, and
0.93 / 1.00, 0.79 / 1.00 and 0.98 / 0.97 on Node 22; in a scratch run the hand-written Apollo + pg answered
1.03–1.22× on Node 22 what it did on Node 20. On PostGraphile's runtime the product is at its rate within a few
percent while doing the session, the policy and the field rules; on Node 20 part of the gap is V8 11 against 12.
Per request the product allocates about 200 KB (the sampling allocation profile): a fifth of it is graphql-jit's
resolve info and response path for each of the 60 fields with a resolver, 8% TypeGraphQL's wrapper around the
author resolver, the rest Apollo's request handling, pg's rows and node:http. Tried and not kept: graphql-jit's
\`customJSONSerializer\` (fast-json-stringify) for the answer through Apollo's \`stringifyResult\`: it builds no
serializer for a schema with a custom scalar ("unexpected PRIMITIVES type: DateTimeISO"); an answer without
Apollo's trailing newline, to spare node:http flattening it: node:http joins the headers and the body into one
string before it writes, so it is flattened either way.
(9) Since the last stop (2026-12-03), each measured with two builds side by side on one database, loaded in
turn in rounds of 3 s (two processes of each build in the later ones, the processes' CPU read from /proc): the
costs that a CPU profile spreads thin or hides were found by taking a layer out of a scratch build and measuring
what it cost, then rebuilding it lean. helmet and cors on /graphql: their headers recorded once (helmet's per
process, cors's per Origin, at most 256 kept) and written with Apollo's in one \`writeHead\`
(\`http/response-headers.ts\`): server CPU per request -11%, +13% requests/s; in the profile helmet's dozen
middlewares had shown as 3% inclusive. JSON bodies: the common request (uncompressed UTF-8 JSON with a
Content-Length) read with raw-body and JSON.parse (\`http/json-body.ts\`), every other one by body-parser as
before: -8% CPU; graphql-armor's field-suggestion plugin, a third pass over what Apollo and the error formatter
already remove: -5%; together +9% requests/s. A page's messages and authors as JSON arrays of values instead of
objects with every column's name (7.3 → 4.5 KB): +6% requests/s, PostgreSQL's CPU per request -7%. Field
resolvers that take only their root, context and info (16, among them Message.author) called directly, not
through TypeGraphQL's handler: +7% requests/s, -9% CPU. No closure per guarded field: +2-3% (within the noise).
Tried and not kept: a pool of three connections instead of ten (-8%); V8's \`--maglev\` on Node 20 (+1-3%, an
experimental compiler there); introspection gate and usage counter merged into one plugin with Apollo's inline
trace plugin off (no difference); prom-client's two histogram observations per request (taken out in a scratch
build: 2-4% less CPU, 0.35 µs each in a micro-benchmark; kept, the metrics are worth it). What remains, server /
PostgreSQL CPU per request in the same harness: about 0.38-0.41 / 0.14 ms, PostGraphile 0.39 / 0.09 ms; in a
CPU profile the writes to the sockets 18% (on two cores with PostgreSQL and the load generator, the time a
write wakes another process is counted there), garbage collection 10% (157 KB allocated per request), the
answer's JSON.stringify 6%, pg's parsing 12%, graphql-jit's execution 5%.
(10) The process that ran the fan-out, two-process and 10,000-connection benchmarks answered the thread query
at 0.86-0.90× PostGraphile in this stop's full runs, where a process started for it answered 1.07-1.13× (both
measured in the same rounds). In a scratch harness (one process: load, then 10,000 idle subscriptions held for
some seconds, closed, load again) the second load ran as fast as the first when they were held 10 s, and with
35% more user CPU per request when they were held 40 s, for as long as it was measured (30 s); with
\`--no-memory-reducer\` it ran as fast as the first. With \`--trace-gc\`: V8's memory reducer, which collects and
shrinks the heap once a process has been quiet for a while, left the old generation's limit near what was live
(about 48 MB, limit about 70 MB), and the ~25 KB per request that survives two scavenges (some 55 MB/s under this
load) then brought a full mark-compact every 400 ms (12-13 in 5 s, against 1-2 in 5 s in a fresh process whose
limit had grown with the heap), incremental marking, and with it V8's marking write barrier, running most of
the time. Not fixed in this stop: \`--no-memory-reducer\` would keep the memory the 10,000 idle connections
leave behind (their figure is read after the reducer has run), and what is promoted per request is not found
yet (a size kept per request in a WeakMap was not it).
In the stop after: the mechanism is V8's MemoryReducer (heap/memory-reducer.cc). After its run it stays "done"
until a full collection finds the committed old generation above 1.1× what it was at that run, and while it is
done the heap grows slowly (Heap::CurrentHeapGrowingMode, kSlow). It ran while the 10,000 connections held
about 210 MB; with them closed the process never comes near that again, so it stays in slow growth for good.
What is promoted, from \`--trace-gc-nvp\` over 8 s of load in a fresh process: 17 KB per thread query (of 154 KB
allocated), 11 KB per \`{ __typename }\`; the same with a 64 MB semi-space (scavenges 4× apart), so these objects
outlive scavenges, not a short young generation. A heap snapshot under load holds no request's objects beyond
those in flight (and the posts' snapshots LiveLoads keeps 10 s), so they are kept by something that is itself
garbage in the old generation by then. With Apollo's own executor instead of the compiled-execution gateway
(src/http/compiled-execution.ts): 7.4 KB per thread query and 0.6 KB per \`{ __typename }\`, so about 10 KB per
request goes with the gateway path in the product. It is not graphql-jit: graphql-js's execute inside the same
gateway promotes as much (11.1 against 11.0 KB per \`{ __typename }\`), and so does the gateway with the product's
Apollo plugins removed (11.1 KB); a bare Apollo Server with the same kind of gateway and graphql-jit promotes
0.1 KB. So it is an interaction of Apollo's gateway path with something of the product's. (Express 5, which
serves the routes other than /graphql, promotes 7.8 KB per request in a bare server: its Object.setPrototypeOf on
every request and response; that alone promotes 2.4 KB in bare node:http.)
(11) Found in session 9 (2026-12-04/05), by taking things out of a copy of the build, one at a time, and reading
\`--trace-gc-nvp\`'s promoted bytes over 5 s of \`{ __typename }\` load (KB per request): the product 10.8; an
executor that answers a constant at once, 10.8 (so not the execution); a context built once and reused, 2.2; a
unit of work made per request but not handed to Apollo, 2.1 (so the context is what is kept, with its unit of
work); Apollo's own executor, 0.6; the gateway with Apollo's \`makeGatewayGraphQLRequestContext\` replaced by a
three-field object, 0.6; and with only its \`response.http\` left out, 0.6. That is an object literal with its own
\`get status()\` and \`set status()\`: V8 gives each such object a hidden class (map) of its own, and maps live in
the old generation. Each request's map held its accessor pair, whose closures hold Apollo's request context, and
through it the product's context and unit of work. A dead map in the old generation still counts as a root for
a young-generation collection until the next full one, so every request's context survived its scavenges and
was promoted. \`--no-allocation-site-pretenuring\` changed nothing (it is not pretenuring). Fixed with a pnpm patch of
@apollo/server (\`patches/\`, a class with the accessors on its prototype; \`test/gateway-request-context.test.ts\`
fails without it): 10.8 → 0.6 KB per \`{ __typename }\` and 18.4 → 8.3 KB per thread query. The two builds
side by side with PostGraphile, six rounds of 2 s in turn: server CPU per thread query 0.62 → 0.44 ms
(PostGraphile 0.47), minor page faults per request 5.3 → 2.2 (the old generation's new pages, touched as it grew
by what was promoted; PostGraphile 0.6), 1,979 → 2,216 requests/s (median round; PostGraphile 2,210 in the same
rounds).
An earlier run showed 0.57×
PostGraphile: the benchmark had not analyzed its seeded tables, and on a long thread both plans were wrong; it
now analyzes after seeding and measures a short and a long thread.

**Memory per connection.** What a subscribed connection holds: a heap snapshot of 2,000 puts it at 11.0 KB
of JS heap, mostly not the product's: ws's and net's objects and their event-listener tables, graphql-ws's
closures and suspended async functions per socket and subscription; the product's part is the context, the seat
and its arguments (well under 1 KB). Earlier rounds removed graphql-ws's own keep-alive (one heartbeat pings all
sockets), the token and the upgrade request once a socket is authenticated, per-socket closures and once-wrappers
(one listener function for every socket), deleted properties that turned objects into dictionaries, and copies
of documents and group keys. The process is about 150 MB before its first connection: 53 MB is the node binary
and its libraries mapped from disk, 34 MB V8's young generation, 38 MB live heap (a third of it module source
text).
What the earlier rounds' "10,000 connections at 318–359 MB" measured was mostly garbage. Subscribing 10,000
in a few seconds is a lot of short-lived allocation (80 young-generation collections in that part, \`--trace-gc\`;
each subscription reads its thread with its policy check, as the resolver would), and what is in flight when the
young generation is collected reaches the old one. With the
heap grown by the fan-out before it, V8 ran no full collection while the 10,000 connected (\`--trace-gc\`: the
old generation went from 64 to 229 MB without one), and the benchmark read RSS 5–15 s after they connected.
Some 20 s later, with the process quiet, V8's memory reducer ran three "reduce" collections: 232 → 137 MB of
heap, and RSS fell from 361 to 252 MB and stayed there for the 90 s it was watched. The benchmark now reads RSS
for 40 s while the connections are held and counts the least reading (and reports the one 5 s after they
connected beside it): that is what holding them costs. Flags that make V8 collect sooner were tried in an
earlier round and cost throughput (below). The fan-out's "RSS per subscriber" (1,000) is read before that
happens and includes the garbage: in a fresh process, 1,000 subscribed read 23.6 KB each for 13 s, then the
memory reducer took RSS below where it stood before them (−20 KB "each"), so at 1,000 the figure says more about
when V8 collects than about what a subscriber holds; the settled 10,000 and the heap snapshots say that.
In session 7 (2026-12-04) the fan-out benchmarks grew (a warm-up for every target, six alternating rounds for the
two-process ratio), and the process that ran them then held 200–265 MB before the 10,000 connected and 353–405
MB with them (14.3–15.3 KB each), against 168 MB and 300 MB in the run before. The 10,000 are now measured in a
process started for them, as the thread query's figure is (6.6 KB each, 216 MB in all, in one run), and again in
the process that ran the fan-out first, as their own row (in the three full runs after: 6.2–6.6 KB and 214–218 MB
in the process started for them, 12.6–13.9 KB and 312–323 MB in the other): what a minute at saturation leaves a process holding is
V8's and the allocator's sizing after the load, not what a connection costs, but it is what a container's memory
limit has to allow for.

**Sign-in.** argon2 runs at most cores − 1 at once (a bounded waiting room beyond which RATE_LIMITED), so the
event loop keeps a core. prom-client's monitorEventLoopDelay samples every 10 ms and each sample includes that
interval (about 10.5 ms with nothing running), so < 20 ms means no turn of the loop much over 10 ms. What made
the long turns: 50 requests arriving together all looked up their user and the limiter's counts at once, so a
few turns handled 50 answers each (a CPU profile of the burst: pg's writes and MikroORM's query building). Sign-ins
are now admitted to their lookups twice as many at a time as argon2 runs (the next one's lookups are done when
argon2 is free; beyond the waiting room they are refused before any database work): 17.4–17.8 ms in three
runs of the sign-in part alone before, 15.1–16.6 ms in four after, and 49–51 → 53–57 sign-ins/s. What remains is mostly not the loop's own work: argon2 keeps one of the two
cores busy, and PostgreSQL and the load generator share the other with the event loop, so the loop's thread
waits for the CPU (a CPU profile sampling every 250 µs got 29–73% of the samples it should have in the burst's busy stretches).
Tried and not kept: starting a burst of requests a few milliseconds' worth per turn of the loop, the rest in
later turns (15.9 → 15.1 ms over four runs each, within the noise, for a change in every request's path).
`;
