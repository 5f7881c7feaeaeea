import { GraphQLError, getArgumentValues, getOperationAST, getVariableValues, type ExecutionArgs, type ExecutionResult, type FieldNode, type GraphQLSchema } from 'graphql';
import { subscriber, type AppContext } from '../modules/context.js';
import { operationRules } from '../policy/operation-rules.js';
import type { PolicyContext } from '../policy/facts.js';
import { liveDelivery, silentIterator, type LiveDeliveryDeps, type SharedDelivery } from './live-delivery.js';

type Deps = LiveDeliveryDeps & { schema: GraphQLSchema };

/**
 * messageEvents, shared: the subscriber takes a seat in its thread's room (modules/threads/thread-rooms.ts),
 * which orders the events once and hands each to every seat in one pass; the seat writes the group's ready
 * frame straight to its TCP socket. Access is checked as the resolver would (the operation rule, then the
 * thread as this viewer may see it), and the workspace's audience is held in memory while the seat lives.
 */
export async function roomSubscription(deps: Deps, args: ExecutionArgs, delivery: SharedDelivery): Promise<AsyncIterableIterator<never> | ExecutionResult> {
  const { schema, services } = deps;
  const context = args.contextValue as AppContext;
  const operation = getOperationAST(args.document, args.operationName)!;
  const field = operation.selectionSet.selections[0] as FieldNode;
  const variables = getVariableValues(schema, operation.variableDefinitions ?? [], (args.variableValues ?? {}) as Record<string, unknown>);
  // errors go back unformatted, as graphql's subscribe returns them: graphql-ws sends them through onNext, which formats
  if (variables.errors) return { errors: variables.errors };
  const { threadId, afterSeq } = getArgumentValues(schema.getSubscriptionType()!.getFields()[field.name.value], field, variables.coerced) as { threadId: string; afterSeq?: number | null };

  let release: () => void;
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
  const out = liveDelivery(deps, args, delivery, seated);
  let finish!: (error?: Error) => void;
  const ended = new Promise<void>((resolve, reject) => (finish = (error) => (error ? reject(error) : resolve())));
  ended.catch(() => {}); // observed through next()
  let leave: () => void;
  try {
    leave = await services.threadRooms.join(
      threadId,
      workspaceId,
      {
        viewer: seated.viewer,
        tryDeliver(event) {
          const frame = out.readyFrame(event);
          if (!frame) return false;
          out.write(frame);
          return true;
        },
        async deliver(event) {
          out.write(await out.frame(event));
        },
        end: (error) => finish(error),
      },
      afterSeq,
    );
  } catch (error) {
    release();
    return { errors: [new GraphQLError((error as Error).message, { originalError: error as Error })] };
  }
  let left = false;
  const cleanUp = () => {
    if (left) return;
    left = true;
    leave();
    release();
  };
  ended.then(cleanUp, cleanUp);
  return silentIterator(ended, () => {
    cleanUp();
    finish();
  });
}
