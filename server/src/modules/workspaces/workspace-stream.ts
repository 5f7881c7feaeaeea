import { Repeater } from '@repeaterjs/repeater';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PolicyContext } from '../../policy/facts.js';
import { asPerson } from '../../policy/viewer.js';
import { channels, type NotificationMessage, type WorkspaceEventMessage } from '../../realtime/channels.js';
import { workspaceBoundStream, type LiveDeps } from '../live.js';
import type { WorkspaceService } from './workspace.service.js';

/** The live side of workspaces: their events, and each person's own notifications. */
export class WorkspaceStreams {
  constructor(private readonly deps: LiveDeps & { workspaces: WorkspaceService }) {}

  async workspaceEvents(em: EntityManager, actor: PolicyContext, workspaceId: string): Promise<AsyncIterable<WorkspaceEventMessage>> {
    const viewer = asPerson(actor.viewer);
    const workspace = await this.deps.workspaces.get(em, actor, workspaceId);
    return workspaceBoundStream<WorkspaceEventMessage>(this.deps, viewer, workspace.id, async (emit) =>
      this.deps.pubsub.subscribe(channels.workspace(workspace.id), (message) => {
        const event = message as WorkspaceEventMessage;
        // the removed member's own subscription ends with FORBIDDEN instead (workspaceBoundStream)
        if (!(event.kind === 'MEMBER_REMOVED' && event.member?.userId === viewer.userId)) emit(event);
      }),
    );
  }

  notifications(actor: PolicyContext): AsyncIterable<NotificationMessage> {
    const viewer = asPerson(actor.viewer);
    return new Repeater<NotificationMessage>(async (push, stop) => {
      const stopListening = await this.deps.pubsub.subscribe(channels.user(viewer.userId), (message) => void push(message as NotificationMessage));
      await stop;
      stopListening();
    });
  }
}
