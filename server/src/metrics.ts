import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of one server process (GET /metrics). Labels are operation names and kinds, never people.
 * Made per server instance (tests run several in one process).
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = {
    registry,
    requestDuration: new Histogram({
      name: 'graphql_request_duration_seconds',
      help: 'GraphQL request duration by root field',
      labelNames: ['operation', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    resolverDuration: new Histogram({
      name: 'graphql_resolver_duration_seconds',
      help: 'Execution time of operations, per root field they select (the field and everything below it)',
      labelNames: ['field'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    websockets: new Gauge({ name: 'websocket_connections', help: 'Open WebSocket connections', registers: [registry] }),
    subscriptions: new Gauge({ name: 'graphql_subscriptions', help: 'Running subscriptions', registers: [registry] }),
    eventsPublished: new Counter({ name: 'realtime_events_published_total', help: 'Events published to the pubsub', labelNames: ['channel'], registers: [registry] }),
    eventsDelivered: new Counter({ name: 'realtime_events_delivered_total', help: 'Subscription results sent to clients', registers: [registry] }),
    eventsReadForLostPublishes: new Counter({
      name: 'realtime_events_read_for_lost_publishes_total',
      help: 'Thread events a room read from PostgreSQL because their publish had not come in time (lost, or overtaken and late)',
      registers: [registry],
    }),
    liveExecutions: new Counter({ name: 'realtime_executions_total', help: 'Subscription results executed (shared ones count once)', registers: [registry] }),
    slowClientsDropped: new Counter({ name: 'websocket_slow_clients_dropped_total', help: 'Sockets closed because too much was waiting to be sent to them', registers: [registry] }),
    signInFailures: new Counter({ name: 'sign_in_failures_total', help: 'Failed sign-ins', registers: [registry] }),
    rateLimited: new Counter({ name: 'rate_limit_hits_total', help: 'Requests refused with RATE_LIMITED', registers: [registry] }),
    stepUpFailures: new Counter({ name: 'step_up_failures_total', help: 'Wrong PINs and TOTP codes', registers: [registry] }),
    privacyRequestsOpen: new Gauge({ name: 'privacy_requests_open', help: 'Open privacy requests', registers: [registry] }),
    privacyRequestsOverdue: new Gauge({ name: 'privacy_requests_overdue', help: 'Open privacy requests past their due date', registers: [registry] }),
    jobRuns: new Counter({ name: 'job_runs_total', help: 'Background job runs', labelNames: ['queue', 'outcome'], registers: [registry] }),
    /** gauges read from elsewhere (sockets, the database) are refreshed right before each scrape */
    beforeScrape: [] as (() => Promise<void> | void)[],
    async scrape(): Promise<string> {
      await Promise.all(metrics.beforeScrape.map((refresh) => refresh()));
      return registry.metrics();
    },
  };
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
