import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import type { NotificationKind, WorkspaceEventKind } from '../../realtime/channels.js';
import { connectionTypes } from '../pagination.js';
import { ApprovalRequest } from '../documents/approval.entity.js';
import { Document } from '../documents/document.entity.js';
import { Thread } from '../threads/thread.entity.js';
import { Membership } from './membership.entity.js';
import { Workspace } from './workspace.entity.js';

export const { EdgeType: WorkspaceEdge, ConnectionType: WorkspaceConnection } = connectionTypes(Workspace, 'Workspace');

@InputType()
export class CreateWorkspaceInput {
  @Field(() => String) name!: string;
}

const workspaceEventKinds = ['DOCUMENT_ADDED', 'APPROVAL_REQUESTED', 'APPROVAL_DECIDED', 'MEMBER_ADDED', 'MEMBER_REMOVED', 'THREAD_CREATED'] as const satisfies readonly WorkspaceEventKind[];
export const WorkspaceEventKindEnum = Object.fromEntries(workspaceEventKinds.map((k) => [k, k])) as { [K in WorkspaceEventKind]: K };
registerEnumType(WorkspaceEventKindEnum, { name: 'WorkspaceEventKind' });

const notificationKinds = ['PRIVACY_STATEMENT_CHANGED', 'APPROVAL_REQUESTED', 'PRIVACY_REQUEST_UPDATED', 'ADDED_TO_WORKSPACE'] as const satisfies readonly NotificationKind[];
export const NotificationKindEnum = Object.fromEntries(notificationKinds.map((k) => [k, k])) as { [K in NotificationKind]: K };
registerEnumType(NotificationKindEnum, { name: 'NotificationKind' });

@ObjectType()
export class WorkspaceEvent {
  @Field(() => WorkspaceEventKindEnum) kind!: WorkspaceEventKind;
  @Field(() => ID) workspaceId!: string;
  @Field(() => Document, { nullable: true }) document!: Document | null;
  @Field(() => ApprovalRequest, { nullable: true }) approvalRequest!: ApprovalRequest | null;
  @Field(() => Thread, { nullable: true }) thread!: Thread | null;
  @Field(() => Membership, { nullable: true }) member!: Membership | null;
  @Field(() => Date) at!: Date;
}

@ObjectType()
export class Notification {
  @Field(() => NotificationKindEnum) kind!: NotificationKind;
  @Field(() => String) text!: string;
  @Field(() => Date) at!: Date;
}
