import { Repeater } from '@repeaterjs/repeater';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PolicyContext } from '../../policy/facts.js';
import { asPerson } from '../../policy/viewer.js';
import { channels, type ThreadEventMessage, type TypingMessage } from '../../realtime/channels.js';
import { workspaceBoundStream, type LiveDeps } from '../live.js';
import type { ThreadService } from './thread.service.js';
import type { ThreadRooms } from './thread-rooms.js';

/**
 * The live side of threads. messageEvents: a seat in the thread's room, which delivers the stored events after
 * `afterSeq` first, then live ones, with no gap, no duplicate, in seq order, whichever process the client comes
 * back to, and ends the stream with FORBIDDEN when the viewer loses access. (Subscriptions that share results
 * take a seat without this stream: http/room-subscription.ts.)
 */
export class ThreadStreams {
  constructor(private readonly deps: LiveDeps & { threads: ThreadService; rooms: ThreadRooms }) {}

  async messageEvents(em: EntityManager, actor: PolicyContext, threadId: string, afterSeq: number | null | undefined): Promise<AsyncIterable<ThreadEventMessage>> {
    const thread = await this.deps.threads.get(em, actor, threadId);
    const workspaceId = thread.workspace.id;
    return new Repeater<ThreadEventMessage>(async (push, stop) => {
      const leave = await this.deps.rooms.join(
        thread.id,
        workspaceId,
        {
          viewer: actor.viewer,
          tryDeliver: (event) => {
            try {
              void push(event);
            } catch (error) {
              stop(error as Error); // a consumer more than the Repeater's queue behind
            }
            return true;
          },
          deliver: async (event) => {
            await push(event);
          },
          end: (error) => void stop(error),
        },
        afterSeq,
      );
      await stop;
      leave();
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
