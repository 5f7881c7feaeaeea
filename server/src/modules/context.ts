import type { Ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PolicyContext, PolicyFacts } from '../policy/facts.js';
import type { Viewer } from '../policy/viewer.js';
import type { Services } from './services.js';

/** What the transport gives every resolver: the viewer and policy facts, a fresh unit of work, the services. */
export type AppContext = PolicyContext & {
  /** facts loaded from the database: what subscribing checks with (a live subscription's `facts` are in memory) */
  loadedFacts: PolicyFacts;
  em: EntityManager;
  services: Services;
  loaders: RequestLoaders;
  /** ip: for rate limits and the audit log; viaApi: the credentials came in the Authorization header (apps, partners) */
  client: { ip: string | null; viaApi: boolean };
  /** after signUp/signIn the rest of the operation reads as the new session's person */
  actAs(viewer: Viewer): void;
  /** the browser's session cookie; a no-op on WebSockets and for API clients */
  browserSession: { set(token: string, expiresAt: Date): void; clear(): void };
};

/** Who subscribes, checked against facts from the database (the stream's per-event facts are in memory). */
export const subscriber = (ctx: AppContext) => ({ viewer: ctx.viewer, facts: ctx.loadedFacts });

export type MaybePromise<T> = T | Promise<T>;

/**
 * A relation that may be gone (an erased author, uploader…): its entity, or null. Loaded already (read with its
 * row, as a thread page's authors are), it is answered at once: a promise per row would make graphql-js
 * complete every row asynchronously. Otherwise it is loaded, batched by the ORM's dataloader.
 */
export function loadOptional<T extends object>(ref: Ref<T> | null): MaybePromise<T | null> {
  if (!ref) return null;
  return ref.isInitialized() ? (ref.unwrap() as T) : (ref.load() as Promise<T | null>);
}

/** Per-request batch loaders, made on first use. */
export class RequestLoaders {
  private readonly made = new Map<string, unknown>();
  constructor(private readonly em: EntityManager, private readonly services: Services) {}

  private once<T>(key: string, make: () => T): T {
    if (!this.made.has(key)) this.made.set(key, make());
    return this.made.get(key) as T;
  }

  get membersOf() {
    return this.once('membersOf', () => this.services.workspaces.membersLoader(this.em));
  }

  get approvalRequestsOf() {
    return this.once('approvalRequestsOf', () => this.services.documents.requestsLoader(this.em));
  }

  get approversOf() {
    return this.once('approversOf', () => this.services.approvals.approversLoader(this.em));
  }

  get decisionsOf() {
    return this.once('decisionsOf', () => this.services.approvals.decisionsLoader(this.em));
  }

  get partnersOf() {
    return this.once('partnersOf', () => this.services.partners.partnersLoader(this.em));
  }

  get newsletterOptIn() {
    return this.once('newsletterOptIn', () => this.services.consent.currentLoader(this.em, 'NEWSLETTER'));
  }
}
