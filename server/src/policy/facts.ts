import type { Viewer, WorkspaceRole } from './viewer.js';

type MaybePromise<T> = T | Promise<T>;

/**
 * What the rules may know about the relation between the viewer and other people and workspaces. Loaded at
 * most once per request and cached (facts-loader.ts), or held in memory for live subscriptions (live-facts.ts),
 * never a query per field per row. The privacy matrix's scenarios answer with fixed values.
 */
export interface PolicyFacts {
  readonly viewer: Viewer;
  /** the viewer's role in the workspace; null when not a member */
  workspaceRole(workspaceId: string): MaybePromise<WorkspaceRole | null>;
  /** whether the person and the viewer are members of one workspace */
  sharesWorkspaceWith(person: string): MaybePromise<boolean>;
  /** whether the person is a member of a workspace the viewer owns or administers */
  administersWorkspaceOf(person: string): MaybePromise<boolean>;
  /** for a partner viewer: whether the workspace granted it access */
  partnerMayRead(workspaceId: string): MaybePromise<boolean>;
  /** for a partner viewer: whether the person's PARTNER_SHARING consent for this partner holds */
  consentsToPartner(person: string): MaybePromise<boolean>;
  /**
   * Facts a service read in the same statement as the data they are about (a thread with the viewer's role in
   * its workspace, messages with whether their authors are members), so the rules need no statement of their own.
   */
  learn?(fact: LearnedFact): void;
}

/** The viewer's role in a workspace, and/or people known to be its members. */
export type LearnedFact = { workspaceId: string; viewerRole?: WorkspaceRole | null; members?: Iterable<string> };

export type PolicyContext = {
  viewer: Viewer;
  facts: PolicyFacts;
  /** when set, every field-rule decision of the operation is written down: a live result is shared with another
   * viewer only if each of these decisions comes out the same for them (realtime/shared-results.ts) */
  decisions?: PolicyDecision[];
};

/** One field-rule check made while executing: the rule, whose data, and the answer. */
export type PolicyDecision = { rule: string; subject: Subject; allowed: boolean };

/** Whose data a field holds, and in which workspace it lives (for data that belongs to one). */
export type Subject = { person: string | null; workspaceId?: string };
