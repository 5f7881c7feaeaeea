import { TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { fieldRules, type FieldRuleName } from '../policy/field-rules.js';
import type { PolicyContext, PolicyDecision } from '../policy/facts.js';

/**
 * Live results shared between subscribers: Hasura's multiplexing, applied to push. Subscribers of one group
 * (same document, variables and kind of viewer) share an event's result only when every field-rule decision the
 * execution made comes out the same for them; otherwise they get their own execution, which then serves
 * everyone who agrees with it. So a workspace admin (who reads emails) and a member (who does not), or an author
 * (who reads their own email) and the others, never share a result, while the many members who see the same
 * thing cost one execution and one JSON.stringify.
 */
type Bucket = { decisions: PolicyDecision[]; tail: Buffer };
type Group = { ready: Bucket[]; pending: Set<Promise<Bucket>> };

/**
 * graphql-transport-ws's `next` frame for a subscription (its frameHead) and a result, as one WebSocket text frame
 * (RFC 6455 5.2: FIN and the text opcode, no mask from a server, no compression: permessage-deflate is off),
 * ready to be written to any socket. `tail` is the serialized result with the message's closing brace, made once
 * per result and copied into each frame: subscribers' ids differ (graphql-ws's client makes a UUID per
 * subscription), so each one gets its own frame, which should cost two copies, not a serialization.
 */
export function nextFrame(head: Buffer, tail: Buffer): Buffer {
  const headBytes = head.length;
  const length = headBytes + tail.length;
  const lengthBytes = length < 126 ? 0 : length < 65_536 ? 2 : 8;
  const frame = Buffer.allocUnsafe(2 + lengthBytes + length);
  frame[0] = 0x81;
  if (lengthBytes === 0) frame[1] = length;
  else if (lengthBytes === 2) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  head.copy(frame, 2 + lengthBytes);
  tail.copy(frame, 2 + lengthBytes + headBytes);
  return frame;
}

/** What nextFrame puts before the result: made once per subscription, which keeps its id for its whole life. */
export const frameHead = (id: string): Buffer => Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);

/** What nextFrame appends after the id: the result and the closing brace of the message. */
export const frameTail = (result: unknown): Buffer => Buffer.from(`${JSON.stringify(result)}}`);

export class SharedResults {
  /** per event (the pubsub hands every local subscriber the same object) and group: the buckets made so far */
  private readonly byEvent = new WeakMap<object, Map<string, Group>>();

  /**
   * The event's result for this subscriber, serialized as a frame's tail: from a bucket whose decisions hold for
   * them, or executed. Synchronous when a finished bucket fits (the common case), a promise otherwise.
   */
  tail(event: object, group: string, viewer: PolicyContext, run: (decisions: PolicyDecision[]) => Promise<ExecutionResult>): Buffer | Promise<Buffer> {
    return this.trySync(event, group, viewer) ?? this.slowPath(this.entry(event, group), viewer, run);
  }

  /** The tail when a finished bucket fits this viewer without waiting for anything; undefined otherwise. */
  trySync(event: object, group: string, viewer: PolicyContext): Buffer | undefined {
    for (const bucket of this.byEvent.get(event)?.get(group)?.ready ?? []) if (sameDecisions(bucket.decisions, viewer) === true) return bucket.tail;
    return undefined;
  }

  private entry(event: object, group: string): Group {
    let groups = this.byEvent.get(event);
    if (!groups) this.byEvent.set(event, (groups = new Map()));
    let entry = groups.get(group);
    if (!entry) groups.set(group, (entry = { ready: [], pending: new Set() }));
    return entry;
  }

  /** Looks again, now also waiting for decisions not in memory and executions under way; executes only when no bucket fits. */
  private async slowPath(entry: Group, viewer: PolicyContext, run: (decisions: PolicyDecision[]) => Promise<ExecutionResult>): Promise<Buffer> {
    for (;;) {
      for (const bucket of entry.ready) if (await sameDecisions(bucket.decisions, viewer)) return bucket.tail;
      if (entry.pending.size === 0) return this.execute(entry, run);
      await Promise.allSettled([...entry.pending]);
    }
  }

  private async execute(entry: Group, run: (decisions: PolicyDecision[]) => Promise<ExecutionResult>): Promise<Buffer> {
    const decisions: PolicyDecision[] = [];
    const pending = run(decisions).then((result): Bucket => ({ decisions, tail: frameTail(result) }));
    entry.pending.add(pending);
    try {
      const bucket = await pending;
      entry.ready.push(bucket);
      return bucket.tail;
    } finally {
      entry.pending.delete(pending);
    }
  }
}

/** Whether every decision comes out the same for this viewer; synchronous while the facts are in memory. */
function sameDecisions(decisions: readonly PolicyDecision[], { viewer, facts }: PolicyContext): boolean | Promise<boolean> {
  for (let i = 0; i < decisions.length; i++) {
    const allowed = fieldRules[decisions[i].rule as FieldRuleName].allows(viewer, decisions[i].subject, facts);
    if (allowed instanceof Promise) return finishAsync(decisions, i, allowed, viewer, facts);
    if (allowed !== decisions[i].allowed) return false;
  }
  return true;
}

async function finishAsync(decisions: readonly PolicyDecision[], from: number, first: Promise<boolean>, viewer: PolicyContext['viewer'], facts: PolicyContext['facts']): Promise<boolean> {
  if ((await first) !== decisions[from].allowed) return false;
  for (let i = from + 1; i < decisions.length; i++) {
    if ((await fieldRules[decisions[i].rule as FieldRuleName].allows(viewer, decisions[i].subject, facts)) !== decisions[i].allowed) return false;
  }
  return true;
}

/**
 * Which subscriptions may share results: those whose selection stays on types where everything that depends on
 * the viewer is a field rule (recorded and compared). Anything else runs per subscriber, as graphql-ws does.
 */
const SHAREABLE: Record<string, ReadonlySet<string> | 'all'> = {
  Subscription: new Set(['messageEvents', 'typing']),
  MessageEvent: 'all',
  Message: new Set(['id', 'seq', 'body', 'createdAt', 'editedAt', 'deletedAt', 'author', '__typename']),
  TypingEvent: 'all',
  User: 'all',
};

export function shareable(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode | null | undefined): boolean {
  if (operation?.operation !== 'subscription' || document.definitions.length !== 1) return false;
  const typeInfo = new TypeInfo(schema);
  let ok = true;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType()?.name ?? '';
        const allowed = SHAREABLE[parent];
        if (!allowed || (allowed !== 'all' && !allowed.has(node.name.value))) ok = false;
      },
      FragmentSpread() {
        ok = false;
      },
      Directive() {
        ok = false;
      },
    }),
  );
  return ok;
}
