import type { Product, Seeded } from '../lib/product.js';
import { graphql } from '../lib/product.js';
import { nowMs, round, rssOf } from '../lib/stats.js';

const lagP99 = async (url: string) => {
  // prom-client resets its event-loop histogram on each scrape: a scrape before and after frames the window
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^nodejs_eventloop_lag_p99_seconds (\S+)/m.exec(text)?.[1] ?? 'NaN') * 1000;
};

/** `count` people sign in at once, twice over: throughput, and the event loop's delay p99 while argon2 runs. */
export async function measureSignIns(product: Product, seeded: Seeded, count: number) {
  // the same window with nothing running, for comparison
  await lagP99(product.url);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const idleP99 = await lagP99(product.url);
  const rssBefore = await rssOf(product.pid);
  const started = nowMs();
  let failed = 0;
  for (let round = 0; round < 2; round++) {
    await Promise.all(
      seeded.usernames.slice(0, count).map((login) =>
        graphql(product.url, `mutation($i: SignInInput!) { signIn(input: $i) { token } }`, { i: { login, password: seeded.password } }).catch(() => failed++),
      ),
    );
  }
  const seconds = (nowMs() - started) / 1000;
  const p99 = await lagP99(product.url);
  return {
    concurrent: count,
    signIns: count * 2,
    failed,
    signInsPerSecond: round((count * 2) / seconds, 1),
    eventLoopDelayP99Ms: round(p99),
    eventLoopDelayP99IdleMs: round(idleP99),
    rssGrowthMB: round(((await rssOf(product.pid)) - rssBefore) / 1024 / 1024, 1),
  };
}
