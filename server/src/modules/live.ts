import { Repeater } from '@repeaterjs/repeater';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { forbidden, notFound } from '../errors.js';
import type { Logger } from '../log.js';
import type { LiveAudiences } from '../policy/live-facts.js';
import type { Viewer } from '../policy/viewer.js';
import { channels, type WorkspaceEventMessage } from '../realtime/channels.js';
import type { PubSub } from '../realtime/pubsub.js';
import { ApprovalRequest } from './documents/approval.entity.js';
import { Document } from './documents/document.entity.js';
import { Message } from './threads/message.entity.js';
import { Thread } from './threads/thread.entity.js';
import { User } from './users/user.entity.js';

export type LiveDeps = { pubsub: PubSub; live: LiveAudiences; orm: MikroORM; log: Logger };

const accessEnded = (viewer: Viewer) =>
  forbidden(viewer.kind === 'partner' ? 'This workspace no longer grants you access.' : 'You are no longer a member of this workspace.');

/** Whether the event takes this viewer's access to the workspace away. */
export function endsAccess(event: WorkspaceEventMessage, viewer: Viewer): boolean {
  if (viewer.kind === 'user') return event.kind === 'MEMBER_REMOVED' && event.member?.userId === viewer.userId;
  if (viewer.kind === 'partner') return event.kind === 'PARTNER_REVOKED' && event.partnerId === viewer.partnerId;
  return false;
}

/**
 * A subscription that lives inside one workspace: who may read it is held in memory while it runs, every event
 * is checked against that, and the subscription ends with FORBIDDEN the moment its viewer loses access (on any
 * process: the change comes through the pubsub).
 */
export function workspaceBoundStream<T>(
  deps: LiveDeps,
  viewer: Viewer,
  workspaceId: string,
  run: (emit: (value: T) => void, fail: (error: Error) => void) => Promise<() => void>,
): AsyncIterable<T> {
  return new Repeater<T>(async (push, stop) => {
    await deps.live.hold(viewer, workspaceId);
    // let go however the stream ends, also when listening for the workspace's changes could not start
    try {
      const isMember = () => deps.live.mayRead(viewer, workspaceId);
      const fail = (error: Error) => stop(error);
      const stopWatching = await deps.pubsub.subscribe(channels.workspace(workspaceId), (message) => {
        if (endsAccess(message as WorkspaceEventMessage, viewer)) fail(accessEnded(viewer));
      });
      let stopRunning: (() => void) | undefined;
      try {
        if (!isMember()) throw accessEnded(viewer);
        stopRunning = await run((value) => {
          if (isMember()) void push(value);
          else fail(accessEnded(viewer));
        }, fail);
      } catch (error) {
        fail(error as Error);
      }
      await stop;
      stopRunning?.();
      stopWatching();
    } finally {
      deps.live.letGo(viewer, workspaceId);
    }
  });
}

const TTL_MS = 10_000;
export const MAX_ENTRIES = 5_000;

/**
 * What every subscriber of an event needs (the message, a user) is loaded once per process, not once per
 * subscriber: a short-lived cache of promises. Entities here are read-only snapshots.
 */
export class LiveLoads {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly orm: MikroORM,
    private readonly readMessage: (em: EntityManager, messageId: string) => Promise<Message | null>,
  ) {}

  private cached<T>(key: string, load: (em: EntityManager) => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < TTL_MS) return hit.value as Promise<T>;
    const value = load(this.orm.em.fork());
    value.catch(() => this.entries.delete(key));
    this.put(key, value, now);
    return value;
  }

  /** how many entries are held (bounded by MAX_ENTRIES) */
  get size(): number {
    return this.entries.size;
  }

  /** Every entry goes in here, so that the cache stays bounded however it is filled. */
  private put(key: string, value: Promise<unknown>, now: number) {
    if (this.entries.size >= MAX_ENTRIES) {
      for (const [k, v] of this.entries) if (now - v.at >= TTL_MS || this.entries.size >= MAX_ENTRIES) this.entries.delete(k);
    }
    this.entries.set(key, { at: now, value });
  }

  /** The message as of one event (the key has the seq: an edit is a new snapshot), author loaded. */
  message(messageId: string, seq: number): Promise<Message> {
    return this.cached(`message:${messageId}:${seq}`, async (em) => {
      const message = await this.readMessage(em, messageId);
      if (!message) throw notFound('Message');
      return message;
    });
  }

  /**
   * The snapshot of a message this process has just written, as message() would read it: the process that
   * posted delivers the event to its own subscribers without reading the row back (one round trip less on the
   * way from a post to its readers). Other processes read it as before.
   */
  rememberMessage(message: Message): void {
    this.put(`message:${message.id}:${message.seq}`, Promise.resolve(message), Date.now());
  }

  user(userId: string): Promise<User | null> {
    return this.cached(`user:${userId}`, (em) => em.findOne(User, { id: userId }));
  }

  document(documentId: string): Promise<Document | null> {
    return this.cached(`document:${documentId}`, (em) => em.findOne(Document, { id: documentId }));
  }

  /** As of one event (`at`): a decision changes the request's status. */
  approvalRequest(id: string, at: string): Promise<ApprovalRequest | null> {
    return this.cached(`approval:${id}:${at}`, async (em) => {
      const request = await em.findOne(ApprovalRequest, { id }, { populate: ['document'] });
      if (request) request.workspaceId = request.document.getEntity().workspace.id;
      return request;
    });
  }

  thread(threadId: string): Promise<Thread | null> {
    return this.cached(`thread:${threadId}`, (em) => em.findOne(Thread, { id: threadId }));
  }
}
