import autocannon from 'autocannon';
import pg from 'pg';
import { graphql, startProduct, type Product, type Seeded } from '../lib/product.js';
import { start } from '../lib/processes.js';
import { POSTGRAPHILE_THREAD_QUERY, startPostGraphile } from '../lib/postgraphile.js';
import { quantile, round } from '../lib/stats.js';

/** The thread as a member reads it: the last 20 messages with their authors' usernames and last names. */
export const THREAD_QUERY = `query($id: ID!) { thread(id: $id) { id title messages(last: 20) { edges { node { id seq body createdAt author { id username lastName } } } } } }`;

type Server = { name: 'product' | 'apolloPg' | 'postgraphile' | 'productOnNode22' | 'productAfterTheRest'; url: string; token: string | null; body: (threadId: string) => string };
type Rate = { requestsPerSecond: number; p99Ms: number; non2xx: number; errors: number };

async function load(server: Server, threadId: string, seconds: number): Promise<Rate> {
  const result = await autocannon({
    url: `${server.url}/graphql`,
    method: 'POST',
    connections: 20,
    duration: seconds,
    headers: { 'content-type': 'application/json', ...(server.token ? { authorization: `Bearer ${server.token}` } : {}) },
    body: server.body(threadId),
  });
  return { requestsPerSecond: round(result.requests.average, 0) ?? 0, p99Ms: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

/**
 * Each server's warm rate on one thread, measured in rounds: every round loads each server once, in turn, first
 * one in a different order each round, and a ratio is taken within a round. This VM's speed drifts by a third over
 * tens of seconds, so servers measured one after the other (each for its whole time) compared the machine's
 * moments as much as the servers. Rounds are short and many (9 of 2 s): on a day when the host's load moved the
 * same server's rate by a factor of two within a minute, 3 rounds of 6 s gave ratios from 0.73 to 1.03 for one
 * pair, and a median of three is one round's luck. Every server first gets the same load for `warmSeconds`: under
 * full load on two cores V8's optimizing compiler (a background thread) gets little time, and the product took
 * 10-15 s to reach its steady rate.
 */
async function interleaved(servers: Server[], threadId: string, { warmSeconds, seconds, rounds }: { warmSeconds: number; seconds: number; rounds: number }) {
  for (const server of servers) await load(server, threadId, warmSeconds);
  const runs: Record<string, Rate>[] = [];
  for (let round = 0; round < rounds; round++) {
    const measured: Record<string, Rate> = {};
    for (let i = 0; i < servers.length; i++) {
      const server = servers[(i + round) % servers.length];
      measured[server.name] = await load(server, threadId, seconds);
    }
    runs.push(measured);
  }
  const summary: Partial<Record<Server['name'], Rate & { rounds: number[] }>> = {};
  for (const { name } of servers) {
    const rates = runs.map((r) => r[name]);
    // the round whose rate is the median gives the p99 too
    const medianRate = quantile(rates.map((r) => r.requestsPerSecond), 0.5);
    const middle = rates.find((r) => r.requestsPerSecond === medianRate)!;
    summary[name] = { ...middle, non2xx: rates.reduce((n, r) => n + r.non2xx, 0), errors: rates.reduce((n, r) => n + r.errors, 0), rounds: rates.map((r) => r.requestsPerSecond) };
  }
  const ratio = (of: string, to: string) => (runs.every((r) => r[of] && r[to]) ? round(quantile(runs.map((r) => r[of].requestsPerSecond / (r[to].requestsPerSecond || 1)), 0.5)) : null);
  return {
    ...summary,
    ratioToApolloPg: ratio('product', 'apolloPg'),
    ratioToPostGraphile: ratio('product', 'postgraphile'),
    onNode22RatioToPostGraphile: ratio('productOnNode22', 'postgraphile'),
    afterTheRestRatioToPostGraphile: ratio('productAfterTheRest', 'postgraphile'),
  };
}

/** A thread with `count` messages by two authors, written in SQL (a long history would take minutes through the API). */
async function threadWithHistory(product: Product, databaseUrl: string, seeded: Seeded, count: number): Promise<string> {
  const threadId = (await graphql(product.url, `mutation($w: ID!) { createThread(input: { workspaceId: $w, title: "Lange draad" }) { id } }`, { w: seeded.workspaceId }, seeded.office.token)).createThread.id;
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const { rows } = await db.query(`select user_id from session where token_hash = encode(sha256($1::bytea), 'hex')`, [seeded.tokens[1]]);
  await db.query(
    `insert into message (id, thread_id, author_id, body, seq, created_at)
     select gen_random_uuid(), $1, case when s % 2 = 0 then $2::uuid else $3::uuid end, 'Bericht ' || s || ' over de jaarrekening', s, now() - (($4 - s) || ' seconds')::interval
       from generate_series(1, $4) s`,
    [threadId, seeded.office.id, rows[0].user_id, count],
  );
  await db.query(`insert into message_event (thread_id, seq, kind, message_id, at) select thread_id, seq, 'ADDED', id, created_at from message where thread_id = $1`, [threadId]);
  await db.query(`update thread set last_seq = $2 where id = $1`, [threadId, count]);
  // what autovacuum would do after such a load: without statistics the planner takes the thread for a few rows
  await db.query('analyze message; analyze message_event; analyze thread');
  await db.end();
  return threadId;
}

/**
 * The product's thread query beside a hand-written Apollo Server 5 + pg (one SQL join) and PostGraphile 5, on two
 * threads: a short one (24 messages) and a long one (5,000): how fast each reads the last 20 depends on it.
 */
export async function measureQueries(product: Product, databaseUrl: string, seeded: Seeded, options: { smoke: boolean }) {
  const short = (await graphql(product.url, `mutation($w: ID!) { createThread(input: { workspaceId: $w, title: "Korte draad" }) { id } }`, { w: seeded.workspaceId }, seeded.office.token)).createThread.id;
  for (let i = 0; i < 24; i++) {
    await graphql(product.url, `mutation($t: ID!, $b: String!) { postMessage(input: { threadId: $t, body: $b }) { id } }`, { t: short, b: `Bericht ${i} over de jaarrekening` }, i % 2 ? seeded.office.token : seeded.tokens[1]);
  }
  const threads = { short, long: await threadWithHistory(product, databaseUrl, seeded, options.smoke ? 200 : 5000) };
  const bodyFor = (threadId: string) => JSON.stringify({ query: THREAD_QUERY, variables: { id: threadId } });
  const ours: Server = { name: 'product', url: product.url, token: seeded.tokens[0], body: bodyFor };
  const baseline = await start('bench/targets/apollo-pg.ts', { DATABASE_URL: databaseUrl }, /listening \d+/);
  const apolloPg: Server = { name: 'apolloPg', url: `http://127.0.0.1:${/listening (\d+)/.exec(baseline.output())![1]}`, token: null, body: bodyFor };
  // PostGraphile 5 on Node 22, the same data and the same shape (its names: rowId, messagesByThreadId, userByAuthorId)
  const pg5 = options.smoke ? null : await startPostGraphile(databaseUrl);
  // the same build of the product on PostGraphile's Node 22, beside it on the same data: how much of the difference
  // is the runtime's (V8 12 against Node 20's V8 11); the product's own figure stays the one on this machine's Node
  const onNode22 = pg5 ? await startProduct(databaseUrl, {}, pg5.node) : null;
  // The product's figure comes from a process started for it, as every baseline here is. The process that ran the
  // fan-out, two-process and connection benchmarks is loaded beside it: after holding 10,000 connections and a quiet
  // minute, V8's memory reducer has set its old generation's limit close to what is live, and the ~25 KB a request
  // leaves to be promoted then makes a full collection run every few hundred milliseconds (see the report)
  const fresh = pg5 ? await startProduct(databaseUrl) : null;
  try {
    for (const url of [product.url, ...(onNode22 ? [onNode22.url] : []), ...(fresh ? [fresh.url] : [])]) {
      for (const threadId of Object.values(threads)) {
        // the answer must be the same shape before its speed counts
        const check = await (await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${seeded.tokens[0]}` }, body: bodyFor(threadId) })).json();
        if (check.errors || check.data.thread.messages.edges.length !== 20 || check.data.thread.messages.edges[0].node.author.lastName === null) throw new Error(`the product's thread query failed: ${JSON.stringify(check).slice(0, 300)}`);
      }
    }
    const servers = fresh ? [{ ...ours, url: fresh.url }, { ...ours, name: 'productAfterTheRest' as const }, apolloPg] : [ours, apolloPg];
    if (pg5) {
      const pg5Body = (threadId: string) => JSON.stringify({ query: POSTGRAPHILE_THREAD_QUERY, variables: { id: threadId } });
      for (const threadId of Object.values(threads)) {
        const answer = await (await fetch(`${pg5.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: pg5Body(threadId) })).json();
        if (answer.errors || answer.data.threadByRowId.messagesByThreadId.nodes.length !== 20) throw new Error(`PostGraphile's thread query failed: ${JSON.stringify(answer).slice(0, 300)}`);
      }
      servers.push({ name: 'postgraphile', url: pg5.url, token: null, body: pg5Body });
      servers.push({ ...ours, name: 'productOnNode22', url: onNode22!.url });
    }
    const measured: Record<string, any> = {};
    for (const [name, threadId] of Object.entries(threads)) {
      // the long thread's turn comes after the short one's 24 s per server: a second of its own query is warm-up enough
      const warmSeconds = options.smoke || name !== 'short' ? 1 : 6;
      const result = await interleaved(servers, threadId, options.smoke ? { warmSeconds, seconds: 1, rounds: 1 } : { warmSeconds, seconds: 2, rounds: 9 });
      measured[name] = {
        ...result,
        ...(onNode22 ? { productOnNode22: { ...result.productOnNode22, node: pg5!.nodeVersion, note: 'the same build of the product, on the Node 22 PostGraphile runs on' } } : {}),
        ...(fresh ? { productAfterTheRest: { ...result.productAfterTheRest, note: 'the process that ran the fan-out, two-process and connection benchmarks first' } } : {}),
        postgraphile: pg5
          ? { ...result.postgraphile, node: pg5.nodeVersion, note: 'PostGraphile 5.1.5 on Node 22 from the node@22 npm package, in the benchmark only' }
          : { skipped: 'the smoke run leaves PostGraphile out (it installs Node 22 and PostGraphile first)' },
      };
    }
    return {
      query: 'thread: last 20 messages with author username and lastName, as a member; 20 connections; the median of 9 rounds of 2 s, each loading every server in turn (the product in a process started for it, as the baselines are; also in the process that ran the other benchmarks first, and on Node 22, as PostGraphile runs)',
      short: { messages: 24, ...measured.short },
      long: { messages: options.smoke ? 200 : 5000, ...measured.long },
    };
  } finally {
    await baseline.stop();
    await pg5?.stop();
    await onNode22?.stop();
    await fresh?.stop();
  }
}
