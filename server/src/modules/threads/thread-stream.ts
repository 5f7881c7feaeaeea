import type { EntityManager } from '@mikro-orm/postgresql';
import type { PolicyContext } from '../../policy/facts.js';
import { asPerson } from '../../policy/viewer.js';
import { channels, type ThreadEventMessage, type TypingMessage } from '../../realtime/channels.js';
import { workspaceBoundStream, type LiveDeps } from '../live.js';
import type { ThreadService } from './thread.service.js';

/**
 * The live side of threads. messageEvents: the stored events after `afterSeq` first, then live ones, with no
 * gap, no duplicate, in seq order, whichever process the client comes back to.
 */
export class ThreadStreams {
  constructor(private readonly deps: LiveDeps & { threads: ThreadService }) {}

  async messageEvents(em: EntityManager, actor: PolicyContext, threadId: string, afterSeq: number | null | undefined): Promise<AsyncIterable<ThreadEventMessage>> {
    const thread = await this.deps.threads.get(em, actor, threadId);
    const { threads, pubsub } = this.deps;
    return workspaceBoundStream<ThreadEventMessage>(this.deps, actor.viewer, thread.workspace.id, async (emit, fail) => {
      const db = () => this.deps.orm.em.fork();
      let last = 0;
      let ready = false;
      const early: ThreadEventMessage[] = [];
      // one event at a time, in arrival order; a hole (publishes can overtake each other) is filled from the database
      let queue = Promise.resolve();
      const deliver = async (event: ThreadEventMessage) => {
        if (event.seq <= last) return; // already sent (replay and live overlap at the seam)
        if (event.seq > last + 1) for (const missed of await threads.eventsAfter(db(), thread.id, last, event.seq)) send(missed);
        send(event);
      };
      const send = (event: ThreadEventMessage) => {
        if (event.seq <= last) return;
        last = event.seq;
        emit(event);
      };
      const enqueue = (event: ThreadEventMessage) => {
        queue = queue.then(() => deliver(event)).catch(fail);
      };
      // listen first, then read where the stream stands: nothing committed in between is lost
      const stopListening = await pubsub.subscribe(channels.thread(thread.id), (message) => {
        const event = message as ThreadEventMessage;
        if (ready) enqueue(event);
        else early.push(event);
      });
      if (afterSeq === null || afterSeq === undefined) {
        last = await threads.currentSeq(db(), thread.id);
      } else {
        last = Math.max(0, afterSeq);
        for (let page = await threads.eventsAfter(db(), thread.id, last); page.length > 0; page = await threads.eventsAfter(db(), thread.id, last)) {
          for (const event of page) send(event);
        }
      }
      ready = true;
      for (const event of early) enqueue(event);
      return stopListening;
    });
  }

  async typing(em: EntityManager, actor: PolicyContext, threadId: string): Promise<AsyncIterable<TypingMessage>> {
    const viewer = asPerson(actor.viewer);
    const thread = await this.deps.threads.get(em, actor, threadId);
    return workspaceBoundStream<TypingMessage>(this.deps, viewer, thread.workspace.id, async (emit) =>
      this.deps.pubsub.subscribe(channels.typing(thread.id), (message) => {
        const typing = message as TypingMessage;
        if (typing.userId !== viewer.userId) emit(typing);
      }),
    );
  }
}
