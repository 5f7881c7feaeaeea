import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Allow } from '../../policy/decorators.js';
import { loadOptional, type MaybePromise, type AppContext } from '../context.js';
import type { Connection } from '../pagination.js';
import { User } from '../users/user.entity.js';
import { Workspace } from '../workspaces/workspace.entity.js';
import { ApprovalDecision, ApprovalRequest } from './approval.entity.js';
import { Document } from './document.entity.js';
import { DecideApprovalInput, DocumentConnection, RequestApprovalInput, UploadDocumentInput } from './document.types.js';

@Resolver(() => Document)
export class DocumentResolver {
  @Query(() => Document, { nullable: true })
  @Allow('reader')
  document(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<Document> {
    return ctx.services.documents.get(ctx.em, ctx, id);
  }

  @Mutation(() => Document)
  @Allow('person')
  uploadDocument(@Arg('input', () => UploadDocumentInput) input: UploadDocumentInput, @Ctx() ctx: AppContext): Promise<Document> {
    return ctx.services.documents.uploadBase64(ctx.em, ctx, input);
  }

  @FieldResolver(() => Workspace)
  workspace(@Root() document: Document): Promise<Workspace> {
    return document.workspace.load() as Promise<Workspace>;
  }

  @FieldResolver(() => User, { nullable: true })
  uploadedBy(@Root() document: Document): MaybePromise<User | null> {
    return loadOptional(document.uploadedBy);
  }

  @FieldResolver(() => [ApprovalRequest])
  approvalRequests(@Root() document: Document, @Ctx() ctx: AppContext): Promise<ApprovalRequest[]> {
    return ctx.loaders.approvalRequestsOf.load(document.id);
  }
}

@Resolver(() => Workspace)
export class WorkspaceDocumentsResolver {
  @FieldResolver(() => DocumentConnection)
  documents(
    @Root() workspace: Workspace,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: AppContext,
  ): Promise<Connection<Document>> {
    return ctx.services.documents.list(ctx.em, workspace.id, { first, after });
  }
}

@Resolver(() => ApprovalRequest)
export class ApprovalResolver {
  @Mutation(() => ApprovalRequest)
  @Allow('person')
  requestApproval(@Arg('input', () => RequestApprovalInput) input: RequestApprovalInput, @Ctx() ctx: AppContext): Promise<ApprovalRequest> {
    return ctx.services.approvals.request(ctx.em, ctx, input);
  }

  @Mutation(() => ApprovalDecision, { description: 'an important task: needs stepUp' })
  @Allow('person')
  decideApproval(@Arg('input', () => DecideApprovalInput) input: DecideApprovalInput, @Ctx() ctx: AppContext): Promise<ApprovalDecision> {
    return ctx.services.approvals.decide(ctx.em, ctx, input);
  }

  @FieldResolver(() => Document)
  document(@Root() request: ApprovalRequest): Promise<Document> {
    return request.document.load() as Promise<Document>;
  }

  @FieldResolver(() => User, { nullable: true })
  requestedBy(@Root() request: ApprovalRequest): MaybePromise<User | null> {
    return loadOptional(request.requestedBy);
  }

  @FieldResolver(() => [User])
  approvers(@Root() request: ApprovalRequest, @Ctx() ctx: AppContext): Promise<User[]> {
    return ctx.loaders.approversOf.load(request.id);
  }

  @FieldResolver(() => [ApprovalDecision])
  async decisions(@Root() request: ApprovalRequest, @Ctx() ctx: AppContext): Promise<ApprovalDecision[]> {
    const decisions = await ctx.loaders.decisionsOf.load(request.id);
    for (const d of decisions) d.workspaceId = request.workspaceId;
    return decisions;
  }
}

@Resolver(() => ApprovalDecision)
export class ApprovalDecisionResolver {
  @FieldResolver(() => User, { nullable: true })
  approver(@Root() decision: ApprovalDecision): MaybePromise<User | null> {
    return loadOptional(decision.approver);
  }
}
