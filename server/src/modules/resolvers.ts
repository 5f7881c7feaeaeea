import type { NonEmptyArray } from 'type-graphql';
import { ApprovalDecisionResolver, ApprovalResolver, DocumentResolver, WorkspaceDocumentsResolver } from './documents/document.resolver.js';
import { ConsentResolver } from './consent/consent.resolver.js';
import { NewsletterResolver } from './newsletters/newsletter.resolver.js';
import { AuditEventResolver, RightsResolver } from './rights/rights.resolver.js';
import { PartnerResolver, WorkspacePartnersResolver } from './partners/partner.resolver.js';
import { PrivacyStatementResolver } from './privacy/privacy.resolver.js';
import { MessageResolver, ThreadResolver } from './threads/thread.resolver.js';
import { AccountResolver } from './users/account.resolver.js';
import { WorkspaceMemberResolver, WorkspaceResolver } from './workspaces/workspace.resolver.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const resolvers: NonEmptyArray<Function> = [
  AccountResolver, WorkspaceResolver, WorkspaceMemberResolver, ThreadResolver, MessageResolver, DocumentResolver, WorkspaceDocumentsResolver, ApprovalResolver, ApprovalDecisionResolver,
  ConsentResolver, PartnerResolver, WorkspacePartnersResolver, PrivacyStatementResolver,
  NewsletterResolver,
  RightsResolver,
  AuditEventResolver,
];
