import { randomUUID } from 'node:crypto';
import { Collection, Entity, Enum, ManyToMany, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { ReadableBy } from '../../policy/decorators.js';
import { User } from '../users/user.entity.js';
import { Document } from './document.entity.js';

export type ApprovalStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'CANCELLED';
export const ApprovalStatusEnum = { PENDING: 'PENDING', APPROVED: 'APPROVED', REJECTED: 'REJECTED', CANCELLED: 'CANCELLED' } as const satisfies Record<ApprovalStatus, ApprovalStatus>;
registerEnumType(ApprovalStatusEnum, { name: 'ApprovalStatus' });
export type StepUpMethod = 'PIN' | 'TOTP';

@ObjectType()
@Entity()
export class ApprovalRequest {
  [OptionalProps]?: 'createdAt' | 'status' | 'requestedBy';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Document, { ref: true, deleteRule: 'cascade', index: true })
  document!: Ref<Document>;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  requestedBy: Ref<User> | null = null;

  @ManyToMany({ entity: () => User, pivotTable: 'approval_request_approver', joinColumn: 'approval_request_id', inverseJoinColumn: 'user_id' })
  approvers = new Collection<User>(this);

  @Field(() => ApprovalStatusEnum)
  @Enum({ items: ['PENDING', 'APPROVED', 'REJECTED', 'CANCELLED'], columnType: 'varchar(16)', default: 'PENDING' })
  status: ApprovalStatus = 'PENDING';

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  /** the document's workspace, set by the service that loaded it: the decisions' rule needs it */
  workspaceId?: string;
}

/**
 * One entry of the approval log: append-only, kept for the legal retention period of its document type, also
 * after the approver's account is deleted (approver null, the name snapshot stays until retainUntil).
 */
@ObjectType({ description: "One entry of the approval log. Kept for the legal retention period of its document type, also after the approver's account is deleted." })
@Entity()
@Unique({ properties: ['request', 'approver'] })
export class ApprovalDecision {
  [OptionalProps]?: 'decidedAt' | 'comment';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => ApprovalRequest, { ref: true, deleteRule: 'cascade', index: true })
  request!: Ref<ApprovalRequest>;

  @Field(() => ApprovalStatusEnum)
  @Enum({ items: ['APPROVED', 'REJECTED'], columnType: 'varchar(16)' })
  status!: ApprovalStatus;

  /** the approver's id as it was when deciding: the name rule needs it also after the link is gone */
  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  approver!: Ref<User> | null;

  @Field(() => String, { nullable: true, description: 'snapshot taken when deciding; [personal]' })
  @ReadableBy<ApprovalDecision>('approvalLogName', (d) => ({ person: d.approver?.id ?? null, workspaceId: d.workspaceId }))
  @Property({ type: 'string', length: 202, nullable: true })
  approverName!: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  comment: string | null = null;

  @Field(() => String, { description: 'SHA-256 of the document content that was approved' })
  @Property({ type: 'string', length: 64 })
  documentSha256!: string;

  @Property({ type: 'string', length: 8 })
  stepUpMethod!: StepUpMethod;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  decidedAt: Date = new Date();

  @Field(() => Date, { description: 'when this log entry may be purged' })
  @Property({ type: 'datetime' })
  retainUntil!: Date;

  /** the document's workspace, set by the service that loaded it */
  workspaceId?: string;
}
