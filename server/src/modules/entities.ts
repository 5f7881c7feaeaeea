import { AuditEvent } from './audit/audit-event.entity.js';
import { ConsentRecord } from './consent/consent.entity.js';
import { PrivacyRequest } from './rights/privacy-request.entity.js';
import { UsageCount } from './statistics/usage-count.entity.js';
import { ApprovalDecision, ApprovalRequest } from './documents/approval.entity.js';
import { Document, DocumentContent } from './documents/document.entity.js';
import { MessageEventRecord } from './threads/message-event.entity.js';
import { Message } from './threads/message.entity.js';
import { Newsletter, NewsletterDelivery, OutboxMail } from './newsletters/newsletter.entity.js';
import { Partner, PartnerGrant } from './partners/partner.entity.js';
import { PrivacyAcknowledgement, PrivacyStatement } from './privacy/privacy-statement.entity.js';
import { Thread } from './threads/thread.entity.js';
import { Session } from './users/session.entity.js';
import { User } from './users/user.entity.js';
import { Membership } from './workspaces/membership.entity.js';
import { Workspace } from './workspaces/workspace.entity.js';

export const entities = [
  User, Session, ConsentRecord, Workspace, Membership, Thread, Message, MessageEventRecord, Document, DocumentContent, ApprovalRequest, ApprovalDecision,
  Partner, PartnerGrant, PrivacyStatement, PrivacyAcknowledgement,
  Newsletter, NewsletterDelivery, OutboxMail,
  AuditEvent, PrivacyRequest, UsageCount,
];
