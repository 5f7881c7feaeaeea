import type { Duplex, Writable } from 'node:stream';
import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { WebSocket } from 'ws';
import type { Metrics } from '../metrics.js';
import type { AppContext } from '../modules/context.js';
import type { Services } from '../modules/services.js';
import type { PolicyContext, PolicyDecision } from '../policy/facts.js';
import { buildContext } from './context.js';
import { frameHead, nextFrame, type SharedResults } from './shared-results.js';

/**
 * Frames for a socket are held (corked) and leave together, in one system call per socket (writev): the kernel's
 * write per socket is most of what fan-out costs. A flush waits for the end of the turn, and after a flush that
 * took d ms the next one waits until 2d ms have passed (group commit: flushing takes at most a third of a busy
 * process's time). Under load, the events that arrive meanwhile leave together (about 3 per socket per flush at
 * saturation in `pnpm bench`), instead of each paying every socket's system call again. A frame waits at most
 * twice the previous flush's duration.
 *
 * A process that has written nothing for QUIET_MS writes the frames of that turn at once instead: nothing is
 * there to coalesce with, and the readers' side takes about as long to read a thousand frames as this side takes
 * to write them, so the first reader should start while the pass over the rest goes on (with everything held to
 * the end of the pass, the first frame left only after it: 3–4 ms of a post's latency for 1,000 subscribers).
 */
const QUIET_MS = 20;
const corked = new Set<Writable>();
let flushing: NodeJS.Immediate | NodeJS.Timeout | null = null;
let nextFlushAt = 0;
let lastWrittenAt = -Infinity;
let writingAtOnce = false;
function flushCorked() {
  flushing = null;
  const started = performance.now();
  for (const tcp of corked) tcp.uncork();
  corked.clear();
  const finished = performance.now();
  nextFlushAt = finished + 2 * (finished - started);
  lastWrittenAt = finished;
}
function endTurnAtOnce() {
  flushing = null;
  writingAtOnce = false;
  lastWrittenAt = performance.now();
}
export function writeCoalesced(tcp: Writable, frame: Buffer) {
  if (writingAtOnce) {
    tcp.write(frame);
    return;
  }
  if (!flushing && performance.now() - lastWrittenAt >= QUIET_MS) {
    // nothing is held (no flush is due), so writing now keeps every socket's frames in order
    writingAtOnce = true;
    flushing = setImmediate(endTurnAtOnce);
    tcp.write(frame);
    return;
  }
  if (!corked.has(tcp)) {
    corked.add(tcp);
    tcp.cork();
  }
  tcp.write(frame);
  if (flushing) return;
  const wait = nextFlushAt - performance.now();
  flushing = wait >= 1 ? setTimeout(flushCorked, wait) : setImmediate(flushCorked);
}

/** A subscription whose results are shared (shared-results.ts) and written to its socket directly. */
export type SharedDelivery = { id: string; socket: WebSocket; group: string; client: AppContext['client'] };

export type LiveDeliveryDeps = {
  orm: MikroORM;
  services: Services;
  metrics: Metrics;
  sharedResults: SharedResults;
  tooSlow: (socket: WebSocket) => boolean;
  formatResult: (result: ExecutionResult) => ExecutionResult;
};

/**
 * What every shared subscription does with an event: execute it (when SharedResults asks, once per group) in a
 * unit of work of its own, and write the finished frame straight to the TCP socket: ws's own sender would copy
 * and frame it again for every socket. `write` answers false when the socket is gone or was dropped as too slow.
 * A class, not closures: one object per subscriber, which thousands of idle connections notice.
 */
export class LiveDelivery {
  private readonly tcp: Duplex;
  private readonly head: Buffer;

  constructor(
    private readonly deps: LiveDeliveryDeps,
    private readonly args: ExecutionArgs,
    private readonly delivery: SharedDelivery,
    readonly seated: PolicyContext,
  ) {
    this.tcp = (delivery.socket as unknown as { _socket: Duplex })._socket;
    this.head = frameHead(delivery.id);
  }

  async frame(event: object): Promise<Buffer> {
    const { deps, args, delivery, seated } = this;
    const tail = await deps.sharedResults.tail(event, delivery.group, seated, (decisions: PolicyDecision[]) => {
      deps.metrics.liveExecutions.inc();
      const own = { ...buildContext(deps.orm, deps.services, seated.viewer, delivery.client, { live: true }), decisions };
      return Promise.resolve(execute({ ...args, rootValue: event, contextValue: own })).then(deps.formatResult);
    });
    return nextFrame(this.head, tail);
  }

  readyFrame(event: object): Buffer | undefined {
    const tail = this.deps.sharedResults.trySync(event, this.delivery.group, this.seated);
    return tail && nextFrame(this.head, tail);
  }

  write(frame: Buffer): boolean {
    const { socket } = this.delivery;
    if (socket.readyState !== socket.OPEN || this.deps.tooSlow(socket)) return false;
    writeCoalesced(this.tcp, frame);
    this.deps.metrics.eventsDelivered.inc();
    return true;
  }
}

/** The end of an iterator that yields nothing. */
export const DONE: IteratorResult<never> = { done: true, value: undefined as never };

/** An iterator for graphql-ws that yields nothing (the frames went out already) and ends when `ended` settles. */
export function silentIterator(ended: Promise<void>, stop: () => Promise<void> | void): AsyncIterableIterator<never> {
  const iterator: AsyncIterableIterator<never> = {
    [Symbol.asyncIterator]: () => iterator,
    next: () => ended.then(() => DONE),
    async return() {
      await stop();
      return DONE;
    },
  };
  return iterator;
}

/**
 * A shared subscription other than messageEvents (which sits in a thread room): graphql-js makes its source
 * stream (subscribing checks access as always, and the stream still ends the moment the viewer loses it); each
 * event becomes the group's frame. Nothing is yielded to graphql-ws, which keeps init, subscribe, complete and
 * errors.
 */
export async function sharedSubscription(deps: LiveDeliveryDeps, args: ExecutionArgs, delivery: SharedDelivery) {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source;
  const context = args.contextValue as AppContext;
  const out = new LiveDelivery(deps, args, delivery, context);
  const iterator = (source as AsyncIterable<object>)[Symbol.asyncIterator]();
  let stopped = false;
  const pump = (async () => {
    while (!stopped) {
      const next = await iterator.next();
      if (next.done || stopped) return;
      const frame = await out.frame(next.value);
      if (stopped || !out.write(frame)) break;
    }
    await iterator.return?.();
  })();
  return silentIterator(pump, async () => {
    stopped = true;
    await iterator.return?.();
  });
}
