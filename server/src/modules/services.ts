import type { MikroORM } from '@mikro-orm/postgresql';
import type { Sessions } from '../auth/sessions.js';
import type { SignInLimiter } from '../auth/sign-in-limiter.js';
import type { PurposeTokens } from '../auth/purpose-tokens.js';
import type { StepUp } from '../auth/step-up.js';
import type { Mailer } from '../mail/mailer.js';
import type { Metrics } from '../metrics.js';
import type { Logger } from '../log.js';
import { consentingPeople } from '../policy/facts-loader.js';
import { LiveAudiences } from '../policy/live-facts.js';
import { channels, type PartnerConsentMessage, type WorkspaceEventMessage } from '../realtime/channels.js';
import type { PubSub } from '../realtime/pubsub.js';
import { AuditService } from './audit/audit.service.js';
import { ConsentService } from './consent/consent.service.js';
import { ErasureService } from './rights/erasure.service.js';
import { ExportService } from './rights/export.service.js';
import { PrivacyRequestService } from './rights/privacy-request.service.js';
import { RestrictionService } from './rights/restriction.service.js';
import { RetentionService } from './rights/retention.service.js';
import { UsageService } from './statistics/usage.service.js';
import { ApprovalService } from './documents/approval.service.js';
import { DocumentService } from './documents/document.service.js';
import { LiveLoads } from './live.js';
import { ThreadRooms } from './threads/thread-rooms.js';
import { NewsletterService, type Enqueue } from './newsletters/newsletter.service.js';
import { PartnerService } from './partners/partner.service.js';
import { PrivacyStatementService } from './privacy/privacy-statement.service.js';
import { ThreadStreams } from './threads/thread-stream.js';
import { ThreadService } from './threads/thread.service.js';
import { AccountService } from './users/account.service.js';
import { WorkspaceStreams } from './workspaces/workspace-stream.js';
import { WorkspaceService } from './workspaces/workspace.service.js';

/** The services, made once per process; each method works in the EntityManager it is given. */
export type Services = ReturnType<typeof createServices>;

export function createServices(deps: {
  sessions: Sessions;
  limiter: SignInLimiter;
  stepUp: StepUp;
  log: Logger;
  orm: MikroORM;
  pubsub: PubSub;
  documentLimits: { inlineMaxBytes: number; maxBytes: number };
  mailer: Mailer;
  unsubscribeTokens: PurposeTokens;
  publicUrl: string;
  enqueue: Enqueue;
  retention: { auditIpRetentionDays: number; anonymityThreshold: number };
  /** absent in the CLI */
  metrics?: Metrics;
}) {
  const { orm, pubsub, log } = deps;
  const audit = new AuditService();
  const consent = new ConsentService({ pubsub, log });
  const erasure = new ErasureService({ pubsub, log, audit });
  const restriction = new RestrictionService({ pubsub, log, audit });
  const workspaces = new WorkspaceService({ pubsub, log });
  // what every subscriber of an event needs is loaded once per process; a post hands over what it wrote
  const liveLoads = new LiveLoads(orm, (em, messageId) => threads.message(em, messageId));
  const threads: ThreadService = new ThreadService({ pubsub, log, workspaces, snapshots: liveLoads, rooms: { hear: (event) => threadRooms.hear(event) } });
  const partners = new PartnerService({ log, workspaces, stepUp: deps.stepUp, audit, metrics: deps.metrics });
  // membership, grant and consent events from every process keep the in-memory facts of live subscriptions fresh
  const live = new LiveAudiences({
    loadWorkspace: async (workspaceId) => {
      const em = orm.em.fork();
      return { members: await workspaces.roles(em, workspaceId), partners: await partners.grantedPartners(em, workspaceId) };
    },
    listenWorkspace: (workspaceId, onChange) =>
      pubsub.subscribe(channels.workspace(workspaceId), (message) => {
        const event = message as WorkspaceEventMessage;
        if (event.kind === 'MEMBER_ADDED' && event.member) onChange({ userId: event.member.userId, role: event.member.role });
        if (event.kind === 'MEMBER_REMOVED' && event.member) onChange({ userId: event.member.userId, role: null });
        if (event.kind === 'PARTNER_GRANTED' && event.partnerId) onChange({ partnerId: event.partnerId, granted: true });
        if (event.kind === 'PARTNER_REVOKED' && event.partnerId) onChange({ partnerId: event.partnerId, granted: false });
      }),
    loadConsents: (partnerId) => consentingPeople(orm.em.fork(), partnerId),
    listenConsents: (partnerId, onChange) => pubsub.subscribe(channels.partnerConsent(partnerId), (message) => onChange(message as PartnerConsentMessage)),
  });
  const documents = new DocumentService({ log, workspaces, limits: deps.documentLimits });
  const liveDeps = { pubsub, live, orm, log };
  // one room per thread per process orders every messageEvents subscriber's events (modules/threads/thread-rooms.ts)
  const threadRooms = new ThreadRooms({ ...liveDeps, threads, metrics: deps.metrics, prefetch: (event) => void liveLoads.message(event.messageId, event.seq).catch(() => {}) });
  return {
    sessions: deps.sessions,
    pubsub,
    consent,
    audit,
    accounts: new AccountService({ ...deps, consent, audit, erasure }),
    workspaces,
    threads,
    documents,
    approvals: new ApprovalService({ log, workspaces, documents, stepUp: deps.stepUp, audit, metrics: deps.metrics }),
    partners,
    privacyStatements: new PrivacyStatementService({ pubsub, log, audit }),
    newsletters: new NewsletterService({ orm, log, consent, mailer: deps.mailer, tokens: deps.unsubscribeTokens, publicUrl: deps.publicUrl, enqueue: deps.enqueue, audit }),
    restriction,
    privacyRequests: new PrivacyRequestService({ pubsub, log, audit, consent, erasure, restriction }),
    export: new ExportService({ consent }),
    usage: new UsageService({ orm, log, anonymityThreshold: deps.retention.anonymityThreshold }),
    retention: new RetentionService({ log, auditIpRetentionDays: deps.retention.auditIpRetentionDays }),
    live,
    liveLoads,
    threadRooms,
    threadStreams: new ThreadStreams({ ...liveDeps, threads, rooms: threadRooms }),
    workspaceStreams: new WorkspaceStreams({ ...liveDeps, workspaces }),
  };
}
