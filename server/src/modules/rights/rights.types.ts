import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { connectionTypes } from '../pagination.js';
import { AuditEvent } from '../audit/audit-event.entity.js';
import { PrivacyRequestStatusEnum, PrivacyRequestTypeEnum, type PrivacyRequestStatus, type PrivacyRequestType } from './privacy-request.entity.js';

export const { EdgeType: AuditEventEdge, ConnectionType: AuditEventConnection } = connectionTypes(AuditEvent, 'AuditEvent');

@ObjectType({ description: 'Everything held about the viewer, structured and machine-readable (JSON).' })
export class DataExport {
  @Field(() => Date) generatedAt!: Date;
  @Field(() => String) format!: string;
  @Field(() => String, { description: 'the export itself as a JSON document' }) json!: string;
}

@InputType()
export class SubmitPrivacyRequestInput {
  @Field(() => PrivacyRequestTypeEnum) type!: PrivacyRequestType;
  @Field(() => String, { nullable: true }) details?: string | null;
}

@InputType()
export class ResolvePrivacyRequestInput {
  @Field(() => ID) id!: string;
  @Field(() => PrivacyRequestStatusEnum) status!: PrivacyRequestStatus;
  @Field(() => String, { nullable: true }) rejectionReason?: string | null;
}

@ObjectType()
export class UsageCount {
  @Field(() => String, { description: 'e.g. an operation name or a platform area' }) key!: string;
  @Field(() => Int, { nullable: true, description: 'counts below the anonymity threshold are suppressed (null)' }) count!: number | null;
}

@ObjectType()
export class UsageStatistics {
  @Field(() => Date) from!: Date;
  @Field(() => Date) to!: Date;
  @Field(() => Int, { description: 'smallest group size that is ever reported' }) anonymityThreshold!: number;
  @Field(() => Int, { nullable: true }) activeUsers!: number | null;
  @Field(() => [UsageCount]) byOperation!: UsageCount[];
}
