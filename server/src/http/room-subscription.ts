import { GraphQLError, execute, getArgumentValues, getOperationAST, getVariableValues, type ExecutionArgs, type ExecutionResult, type FieldNode, type GraphQLSchema } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { WebSocket } from 'ws';
import type { Duplex } from 'node:stream';
import type { Metrics } from '../metrics.js';
import { subscriber, type AppContext } from '../modules/context.js';
import type { Services } from '../modules/services.js';
import type { ThreadEventMessage } from '../realtime/channels.js';
import { operationRules } from '../policy/operation-rules.js';
import type { PolicyContext, PolicyDecision } from '../policy/facts.js';
import { buildContext } from './context.js';
import type { SharedResults } from './shared-results.js';

export type SharedDelivery = { id: string; socket: WebSocket; group: string; client: AppContext['client'] };

type Deps = {
  schema: GraphQLSchema;
  orm: MikroORM;
  services: Services;
  metrics: Metrics;
  sharedResults: SharedResults;
  tooSlow: (socket: WebSocket) => boolean;
  formatResult: (result: ExecutionResult) => ExecutionResult;
};

/**
 * messageEvents, shared: the subscriber takes a seat in its thread's room (modules/threads/thread-rooms.ts),
 * which orders the events once and hands each to every seat in one pass; the seat writes the group's ready
 * frame straight to its TCP socket. Access is checked as the resolver would (the operation rule, then the
 * thread as this viewer may see it), and the workspace's audience is held in memory while the seat lives.
 */
export async function roomSubscription(deps: Deps, args: ExecutionArgs, delivery: SharedDelivery): Promise<AsyncIterableIterator<never> | ExecutionResult> {
  const { schema, services, sharedResults, metrics } = deps;
  const context = args.contextValue as AppContext;
  const operation = getOperationAST(args.document, args.operationName)!;
  const field = operation.selectionSet.selections[0] as FieldNode;
  const variables = getVariableValues(schema, operation.variableDefinitions ?? [], (args.variableValues ?? {}) as Record<string, unknown>);
  // errors go back unformatted, as graphql's subscribe returns them: graphql-ws sends them through onNext, which formats
  if (variables.errors) return { errors: variables.errors };
  const { threadId, afterSeq } = getArgumentValues(schema.getSubscriptionType()!.getFields()[field.name.value], field, variables.coerced) as { threadId: string; afterSeq?: number | null };

  let release: (() => void) | undefined;
  let workspaceId: string;
  try {
    const refusal = operationRules.reader.refuse(context.viewer);
    if (refusal) throw refusal;
    const thread = await services.threads.get(context.em, subscriber(context), threadId);
    workspaceId = thread.workspace.id;
    release = await services.live.acquire(context.viewer, workspaceId);
  } catch (error) {
    return { errors: [error instanceof GraphQLError ? error : new GraphQLError((error as Error).message, { originalError: error as Error })] };
  }

  // subscribing was this context's only unit of work; every event gets its own. Seated subscribers can be
  // many thousands and idle for hours: they keep only the viewer and the in-memory facts.
  const seated: PolicyContext = { viewer: context.viewer, facts: context.facts };
  Object.assign(context, { em: null, loaders: null, loadedFacts: null });
  const tcp = (delivery.socket as unknown as { _socket: Duplex })._socket;
  const run = (event: ThreadEventMessage) => (decisions: PolicyDecision[]) => {
    metrics.liveExecutions.inc();
    const own = { ...buildContext(deps.orm, services, seated.viewer, delivery.client, { live: true }), decisions };
    return Promise.resolve(execute({ ...args, rootValue: event, contextValue: own })).then(deps.formatResult);
  };
  let finish!: (error?: Error) => void;
  const ended = new Promise<void>((resolve, reject) => (finish = (error) => (error ? reject(error) : resolve())));
  ended.catch(() => {}); // observed through next()
  const write = (frame: Buffer) => {
    if (delivery.socket.readyState !== delivery.socket.OPEN || deps.tooSlow(delivery.socket)) return;
    tcp.write(frame);
    metrics.eventsDelivered.inc();
  };
  const leave = await services.threadRooms.join(
    threadId,
    workspaceId,
    {
      viewer: seated.viewer,
      tryDeliver(event) {
        const frame = sharedResults.trySync(event, delivery.group, delivery.id, seated);
        if (!frame) return false;
        write(frame);
        return true;
      },
      async deliver(event) {
        write(await sharedResults.frame(event, delivery.group, delivery.id, seated, run(event)));
      },
      end: (error) => finish(error),
    },
    afterSeq,
  );
  let left = false;
  const cleanUp = () => {
    if (left) return;
    left = true;
    leave();
    release?.();
  };
  ended.then(cleanUp, cleanUp);
  const done = { done: true as const, value: undefined as never };
  const iterator: AsyncIterableIterator<never> = {
    [Symbol.asyncIterator]: () => iterator,
    next: () => ended.then(() => done),
    async return() {
      cleanUp();
      finish();
      return done;
    },
  };
  return iterator;
}
