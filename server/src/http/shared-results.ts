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
type Bucket = { decisions: PolicyDecision[]; payload: string };
type Entry = { at: number; buckets: Promise<Bucket>[] };

export class SharedResults {
  private readonly entries = new Map<string, Entry>();
  executions = 0;
  shared = 0;

  constructor(private readonly options: { ttlMs: number; maxEntries: number } = { ttlMs: 30_000, maxEntries: 10_000 }) {}

  /** The event's result for this viewer, serialized: reused from a bucket whose decisions hold for them, or executed. */
  async payload(key: string, viewer: PolicyContext, run: (decisions: PolicyDecision[]) => Promise<ExecutionResult>): Promise<string> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { at: Date.now(), buckets: [] };
      this.entries.set(key, entry);
      this.prune();
    }
    // buckets added while this loop awaits are seen too: the length is read on every turn
    for (let i = 0; i < entry.buckets.length; i++) {
      const bucket = await entry.buckets[i].catch(() => null);
      if (bucket && (await sameDecisions(bucket.decisions, viewer))) {
        this.shared++;
        return bucket.payload;
      }
    }
    const decisions: PolicyDecision[] = [];
    const bucket = run(decisions).then((result) => ({ decisions, payload: JSON.stringify(result) }));
    entry.buckets.push(bucket);
    this.executions++;
    return (await bucket).payload;
  }

  private prune() {
    if (this.entries.size < this.options.maxEntries && this.entries.size % 256 !== 0) return;
    const now = Date.now();
    for (const [key, entry] of this.entries) {
      if (now - entry.at > this.options.ttlMs || this.entries.size > this.options.maxEntries) this.entries.delete(key);
    }
  }
}

async function sameDecisions(decisions: readonly PolicyDecision[], { viewer, facts }: PolicyContext): Promise<boolean> {
  for (const decision of decisions) {
    const allowed = await fieldRules[decision.rule as FieldRuleName].allows(viewer, decision.subject, facts);
    if (allowed !== decision.allowed) return false;
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
