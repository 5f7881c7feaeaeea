import { Repeater } from '@repeaterjs/repeater';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PolicyContext } from '../../policy/facts.js';
import { asPerson } from '../../policy/viewer.js';
import { channels, clientWorkspaceEventKinds, type NotificationMessage, type WorkspaceEventMessage } from '../../realtime/channels.js';
import { endsAccess, workspaceBoundStream, type LiveDeps } from '../live.js';
import type { WorkspaceService } from './workspace.service.js';

/** The live side of workspaces: their events, and each person's own notifications. */
export class WorkspaceStreams {
  constructor(private readonly deps: LiveDeps & { workspaces: WorkspaceService }) {}

  async workspaceEvents(em: EntityManager, actor: PolicyContext, workspaceId: string): Promise<AsyncIterable<WorkspaceEventMessage>> {
    const viewer = actor.viewer;
    const workspace = await this.deps.workspaces.get(em, actor, workspaceId);
    return workspaceBoundStream<WorkspaceEventMessage>(this.deps, viewer, workspace.id, async (emit) =>
      this.deps.pubsub.subscribe(channels.workspace(workspace.id), (message) => {
        const event = message as WorkspaceEventMessage;
        // one who loses access gets FORBIDDEN instead (workspaceBoundStream); internal kinds stay on the servers
        if (clientWorkspaceEventKinds.has(event.kind) && !endsAccess(event, viewer)) emit(event);
      }),
    );
  }

  notifications(actor: PolicyContext): AsyncIterable<NotificationMessage> {
    const viewer = asPerson(actor.viewer);
    return new Repeater<NotificationMessage>(async (push, stop) => {
      const deliver = (message: unknown) => void push(message as NotificationMessage);
      const stopMine = await this.deps.pubsub.subscribe(channels.user(viewer.userId), deliver);
      const stopEveryone = await this.deps.pubsub.subscribe(channels.everyone(), deliver);
      await stop;
      stopMine();
      stopEveryone();
    });
  }
}
