import type { worker } from '../lib/processes.js';
import type { Product, Seeded } from '../lib/product.js';
import { nowMs, quantile, round, rssOf, settledRssOf, sleep } from '../lib/stats.js';
import { MESSAGE_EVENTS } from '../targets/shared.js';
import { THREAD_QUERY } from './queries.js';

/**
 * Many idle authenticated WebSockets, each holding one subscription: what each costs in memory, and whether
 * the server still answers a query quickly while it holds them. Several servers are measured at once, each with
 * its own `count` from its own load process (one process may not hold 20,000 sockets: the file limit here is
 * 20,000): holding them is idle, and their settling (below) is most of the time this takes.
 */
export async function measureConnections(servers: { product: Product; load: ReturnType<typeof worker> }[], seeded: Seeded, count: number, settleSeconds: number) {
  const queryLatency = async (product: Product) => {
    const samples: number[] = [];
    for (let i = 0; i < 30; i++) {
      const started = nowMs();
      const response = await fetch(`${product.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${seeded.tokens[0]}` },
        body: JSON.stringify({ query: THREAD_QUERY, variables: { id: seeded.threadId } }),
      });
      await response.text();
      samples.push(nowMs() - started);
    }
    return { p50Ms: round(quantile(samples, 0.5)), p99Ms: round(quantile(samples, 0.99)) };
  };
  type Latency = Awaited<ReturnType<typeof queryLatency>>;
  const each: { product: Product; idle: Latency; before: number; opened: number; connectSeconds: number }[] = [];
  for (const { product, load } of servers) {
    const idle = await queryLatency(product);
    const before = await settledRssOf(product.pid);
    const started = nowMs();
    const opened = await load.request<number>({ type: 'connect', url: product.url.replace(/^http/, 'ws') + '/graphql', count, protocol: 'graphql-ws', tokens: seeded.tokens, query: MESSAGE_EVENTS, variables: { threadId: seeded.threadId } });
    each.push({ product, idle, before, opened, connectSeconds: (nowMs() - started) / 1000 });
  }
  // held, idle: the steady state. Subscribing ten thousand leaves garbage in the old generation that no allocation
  // pressure collects; V8's memory reducer does, once the process has been quiet for a while (its start delay is
  // 8 s, then a few collections). Read just after, then for settleSeconds (40 in a full run; the smoke run checks
  // only that they stay open): the least is what holding them costs.
  await sleep(Math.min(5, settleSeconds) * 1000);
  const justAfter = await Promise.all(each.map(({ product }) => rssOf(product.pid)));
  const settled = await Promise.all(each.map(({ product }) => settledRssOf(product.pid, settleSeconds)));
  const held: Latency[] = [];
  for (const { product } of each) held.push(await queryLatency(product));
  const open: number[] = [];
  for (const { load } of servers) {
    open.push((await load.request<{ open: number }>({ type: 'stats' })).open);
    await load.request({ type: 'close' });
  }
  return each.map(({ idle, before, opened, connectSeconds }, i) => {
    const after = Math.min(justAfter[i], settled[i]);
    return {
      connections: count,
      opened,
      stillOpen: open[i],
      connectSeconds: round(connectSeconds, 1),
      rssPerConnectionKB: round((after - before) / count / 1024, 1),
      serverRssMB: round(after / 1024 / 1024, 0),
      /** 5 s after the last one connected, before the collector gave the subscribing's garbage back */
      serverRssJustAfterMB: round(justAfter[i] / 1024 / 1024, 0),
      queryWithoutThem: idle,
      queryWhileHeld: held[i],
    };
  });
}
