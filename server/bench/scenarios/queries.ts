import autocannon from 'autocannon';
import { graphql, type Product, type Seeded } from '../lib/product.js';
import { start } from '../lib/processes.js';
import { POSTGRAPHILE_THREAD_QUERY, startPostGraphile } from '../lib/postgraphile.js';
import { round } from '../lib/stats.js';

/** The thread as a member reads it: the last 20 messages with their authors' usernames and last names. */
export const THREAD_QUERY = `query($id: ID!) { thread(id: $id) { id title messages(last: 20) { edges { node { id seq body createdAt author { id username lastName } } } } } }`;

async function rate(url: string, token: string | null, body: string, duration: number) {
  const result = await autocannon({
    url: `${url}/graphql`,
    method: 'POST',
    connections: 20,
    duration,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  return { requestsPerSecond: round(result.requests.average, 0), p99Ms: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

/** The product's thread query beside a hand-written Apollo Server 5 + pg answering the same query with one SQL join. */
export async function measureQueries(product: Product, databaseUrl: string, seeded: Seeded, options: { duration: number; smoke: boolean }) {
  // a full page of messages, from two authors
  for (let i = 0; i < 24; i++) {
    await graphql(product.url, `mutation($t: ID!, $b: String!) { postMessage(input: { threadId: $t, body: $b }) { id } }`, { t: seeded.threadId, b: `Bericht ${i} over de jaarrekening` }, i % 2 ? seeded.office.token : seeded.tokens[1]);
  }
  const body = JSON.stringify({ query: THREAD_QUERY, variables: { id: seeded.threadId } });
  // the answer must be the same shape before its speed counts
  const check = await (await fetch(`${product.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${seeded.tokens[0]}` }, body })).json();
  if (check.errors || check.data.thread.messages.edges.length === 0) throw new Error(`the product's thread query failed: ${JSON.stringify(check).slice(0, 300)}`);
  const productRate = await rate(product.url, seeded.tokens[0], body, options.duration);

  const baseline = await start('bench/targets/apollo-pg.ts', { DATABASE_URL: databaseUrl }, /listening \d+/);
  const baselineUrl = `http://127.0.0.1:${/listening (\d+)/.exec(baseline.output())![1]}`;
  const baselineRate = await rate(baselineUrl, null, body, options.duration);
  await baseline.stop();

  // PostGraphile 5 on Node 22, the same data and the same shape (its names: rowId, messagesByThreadId, userByAuthorId)
  let postgraphile: Record<string, unknown> = { skipped: 'the smoke run leaves PostGraphile out (it installs Node 22 and PostGraphile first)' };
  if (!options.smoke) {
    const pg5 = await startPostGraphile(databaseUrl);
    try {
      const pg5Body = JSON.stringify({ query: POSTGRAPHILE_THREAD_QUERY, variables: { id: seeded.threadId } });
      const answer = await (await fetch(`${pg5.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: pg5Body })).json();
      if (answer.errors || answer.data.threadByRowId.messagesByThreadId.nodes.length !== 20) throw new Error(`PostGraphile's thread query failed: ${JSON.stringify(answer).slice(0, 300)}`);
      postgraphile = { ...(await rate(pg5.url, null, pg5Body, options.duration)), node: pg5.nodeVersion, note: 'PostGraphile 5.1.5 on Node 22 from the node@22 npm package, in the benchmark only' };
    } finally {
      await pg5.stop();
    }
  }
  return {
    query: 'thread: last 20 messages with author username and lastName, as a member; 20 connections',
    product: productRate,
    apolloPg: baselineRate,
    ratioToApolloPg: round((productRate.requestsPerSecond ?? 0) / (baselineRate.requestsPerSecond || 1)),
    postgraphile,
    ratioToPostGraphile: typeof postgraphile.requestsPerSecond === 'number' ? round((productRate.requestsPerSecond ?? 0) / postgraphile.requestsPerSecond) : null,
  };
}
