import { GraphQLError, getArgumentValues, getOperationAST, getVariableValues, type ExecutionArgs, type ExecutionResult, type FieldNode, type GraphQLSchema } from 'graphql';
import { subscriber, type AppContext } from '../modules/context.js';
import { operationRules } from '../policy/operation-rules.js';
import type { PolicyContext } from '../policy/facts.js';
import type { ThreadEventMessage } from '../realtime/channels.js';
import type { RoomMember } from '../modules/threads/thread-rooms.js';
import { DONE, LiveDelivery, type LiveDeliveryDeps, type SharedDelivery } from './live-delivery.js';

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

  let workspaceId: string;
  try {
    const refusal = operationRules.reader.refuse(context.viewer);
    if (refusal) throw refusal;
    workspaceId = (await services.threads.get(context.em, subscriber(context), threadId)).workspace.id;
  } catch (error) {
    return { errors: [error instanceof GraphQLError ? error : new GraphQLError((error as Error).message, { originalError: error as Error })] };
  }

  // subscribing was this context's only unit of work; every event gets its own. Seated subscribers can be
  // many thousands and idle for hours: they keep only the viewer and the in-memory facts.
  const seated: PolicyContext = { viewer: context.viewer, facts: context.facts };
  Object.assign(context, { em: null, loaders: null, loadedFacts: null });
  const seat = new RoomSeat(deps, args, delivery, seated);
  try {
    seat.tookSeat(await services.threadRooms.join(threadId, workspaceId, seat, afterSeq));
  } catch (error) {
    return { errors: [new GraphQLError((error as Error).message, { originalError: error as Error })] };
  }
  return seat;
}

/**
 * A subscriber's seat in its thread's room, and the iterator graphql-ws waits on (it yields nothing: the frames
 * went out already). It ends when the room ends it (access lost: next() rejects with the error) or the client
 * completes (return()); either way it leaves the room once (which lets go of the workspace's audience).
 */
class RoomSeat extends LiveDelivery implements RoomMember, AsyncIterableIterator<never> {
  private outcome: { error?: Error } | null = null;
  // graphql-ws's pending next(), settled when the seat ends (two fields, not an object per seat)
  private resolveNext: ((result: IteratorResult<never>) => void) | null = null;
  private rejectNext: ((error: Error) => void) | null = null;
  private leave: (() => void) | null = null;

  get viewer() {
    return this.seated.viewer;
  }

  /** The room took the seat; `leave` gives it back (at once, if the seat ended while joining). */
  tookSeat(leave: () => void) {
    this.leave = leave;
    if (this.outcome) this.letGo();
  }

  tryDeliver(event: ThreadEventMessage): boolean {
    const frame = this.readyFrame(event);
    if (!frame) return false;
    this.write(frame);
    return true;
  }

  async deliver(event: ThreadEventMessage): Promise<void> {
    this.write(await this.frame(event));
  }

  end(error?: Error) {
    if (this.outcome) return;
    this.outcome = { error };
    this.letGo();
    const [resolve, reject] = [this.resolveNext, this.rejectNext];
    this.resolveNext = this.rejectNext = null;
    if (error) reject?.(error);
    else resolve?.(DONE);
  }

  private letGo() {
    this.leave?.();
    this.leave = null;
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  next(): Promise<IteratorResult<never>> {
    if (this.outcome) return this.outcome.error ? Promise.reject(this.outcome.error) : Promise.resolve(DONE);
    return new Promise((resolve, reject) => {
      this.resolveNext = resolve;
      this.rejectNext = reject;
    });
  }

  async return(): Promise<IteratorResult<never>> {
    this.end();
    return DONE;
  }
}
