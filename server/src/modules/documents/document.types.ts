import { Field, ID, InputType, ObjectType } from 'type-graphql';
import type { DocumentType } from './retention.js';
import { connectionTypes } from '../pagination.js';
import { Document, DocumentTypeEnum } from './document.entity.js';

export const { EdgeType: DocumentEdge, ConnectionType: DocumentConnection } = connectionTypes(Document, 'Document');

@InputType()
export class UploadDocumentInput {
  @Field(() => ID) workspaceId!: string;
  @Field(() => String) title!: string;
  @Field(() => DocumentTypeEnum) type!: DocumentType;
  @Field(() => String) mimeType!: string;
  @Field(() => String, { description: 'the content, base64; large files may also use the HTTP upload endpoint' })
  contentBase64!: string;
}

@InputType({ description: 'Proof of presence for important tasks (decideApproval, deleteAccount, createPartner): a transaction PIN or a TOTP code.' })
export class StepUpInput {
  @Field(() => String, { nullable: true }) pin?: string | null;
  @Field(() => String, { nullable: true }) totpCode?: string | null;
}

@InputType()
export class RequestApprovalInput {
  @Field(() => ID) documentId!: string;
  @Field(() => [ID]) approverIds!: string[];
}

@InputType()
export class DecideApprovalInput {
  @Field(() => ID) approvalRequestId!: string;
  @Field(() => Boolean) approve!: boolean;
  @Field(() => String, { nullable: true }) comment?: string | null;
  @Field(() => StepUpInput) stepUp!: StepUpInput;
}

@ObjectType()
export class TotpEnrollment {
  @Field(() => String, { description: 'otpauth:// URI for authenticator apps' }) uri!: string;
  @Field(() => String) secret!: string;
}
