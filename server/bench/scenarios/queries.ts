import autocannon from 'autocannon';
import pg from 'pg';
import { graphql, type Product, type Seeded } from '../lib/product.js';
import { start } from '../lib/processes.js';
import { POSTGRAPHILE_THREAD_QUERY, startPostGraphile } from '../lib/postgraphile.js';
import { round } from '../lib/stats.js';

/** The thread as a member reads it: the last 20 messages with their authors' usernames and last names. */
export const THREAD_QUERY = `query($id: ID!) { thread(id: $id) { id title messages(last: 20) { edges { node { id seq body createdAt author { id username lastName } } } } } }`;

async function rate(url: string, token: string | null, body: string, duration: number) {
  const load = (seconds: number) =>
    autocannon({
      url: `${url}/graphql`,
      method: 'POST',
      connections: 20,
      duration: seconds,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
    });
  // every server alike gets the same load for as long first: what is measured is its warm rate. Under full load
  // on two cores V8's optimizing compiler (a background thread) gets little time: the product took 10-15 s to
  // reach its steady rate here
  await load(duration);
  const result = await load(duration);
  return { requestsPerSecond: round(result.requests.average, 0), p99Ms: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
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
export async function measureQueries(product: Product, databaseUrl: string, seeded: Seeded, options: { duration: number; smoke: boolean }) {
  const short = (await graphql(product.url, `mutation($w: ID!) { createThread(input: { workspaceId: $w, title: "Korte draad" }) { id } }`, { w: seeded.workspaceId }, seeded.office.token)).createThread.id;
  for (let i = 0; i < 24; i++) {
    await graphql(product.url, `mutation($t: ID!, $b: String!) { postMessage(input: { threadId: $t, body: $b }) { id } }`, { t: short, b: `Bericht ${i} over de jaarrekening` }, i % 2 ? seeded.office.token : seeded.tokens[1]);
  }
  const threads = { short, long: await threadWithHistory(product, databaseUrl, seeded, options.smoke ? 200 : 5000) };
  const bodyFor = (threadId: string) => JSON.stringify({ query: THREAD_QUERY, variables: { id: threadId } });
  const measured: Record<'short' | 'long', Record<string, any>> = { short: {}, long: {} };

  for (const [name, threadId] of Object.entries(threads) as ['short' | 'long', string][]) {
    // the answer must be the same shape before its speed counts
    const check = await (await fetch(`${product.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${seeded.tokens[0]}` }, body: bodyFor(threadId) })).json();
    if (check.errors || check.data.thread.messages.edges.length !== 20 || check.data.thread.messages.edges[0].node.author.lastName === null) throw new Error(`the product's thread query failed: ${JSON.stringify(check).slice(0, 300)}`);
    measured[name].product = await rate(product.url, seeded.tokens[0], bodyFor(threadId), options.duration);
  }

  const baseline = await start('bench/targets/apollo-pg.ts', { DATABASE_URL: databaseUrl }, /listening \d+/);
  const baselineUrl = `http://127.0.0.1:${/listening (\d+)/.exec(baseline.output())![1]}`;
  for (const [name, threadId] of Object.entries(threads) as ['short' | 'long', string][]) measured[name].apolloPg = await rate(baselineUrl, null, bodyFor(threadId), options.duration);
  await baseline.stop();

  // PostGraphile 5 on Node 22, the same data and the same shape (its names: rowId, messagesByThreadId, userByAuthorId)
  if (options.smoke) {
    for (const name of ['short', 'long'] as const) measured[name].postgraphile = { skipped: 'the smoke run leaves PostGraphile out (it installs Node 22 and PostGraphile first)' };
  } else {
    const pg5 = await startPostGraphile(databaseUrl);
    try {
      for (const [name, threadId] of Object.entries(threads) as ['short' | 'long', string][]) {
        const pg5Body = JSON.stringify({ query: POSTGRAPHILE_THREAD_QUERY, variables: { id: threadId } });
        const answer = await (await fetch(`${pg5.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: pg5Body })).json();
        if (answer.errors || answer.data.threadByRowId.messagesByThreadId.nodes.length !== 20) throw new Error(`PostGraphile's thread query failed: ${JSON.stringify(answer).slice(0, 300)}`);
        measured[name].postgraphile = { ...(await rate(pg5.url, null, pg5Body, options.duration)), node: pg5.nodeVersion, note: 'PostGraphile 5.1.5 on Node 22 from the node@22 npm package, in the benchmark only' };
      }
    } finally {
      await pg5.stop();
    }
  }
  const ratios = (m: Record<string, any>) => ({
    ratioToApolloPg: round((m.product.requestsPerSecond ?? 0) / (m.apolloPg.requestsPerSecond || 1)),
    ratioToPostGraphile: typeof m.postgraphile.requestsPerSecond === 'number' ? round((m.product.requestsPerSecond ?? 0) / m.postgraphile.requestsPerSecond) : null,
  });
  return {
    query: 'thread: last 20 messages with author username and lastName, as a member; 20 connections',
    short: { messages: 24, ...measured.short, ...ratios(measured.short) },
    long: { messages: options.smoke ? 200 : 5000, ...measured.long, ...ratios(measured.long) },
  };
}
