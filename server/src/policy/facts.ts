import type { Viewer } from './viewer.js';

/**
 * What the rules may know about the relation between the viewer and other people, loaded at most once per
 * request and cached, never a query per field per row. Implementations: the per-request loader (facts-loader.ts)
 * and the fixed answers of the privacy matrix's scenarios.
 */
export interface PolicyFacts {
  readonly viewer: Viewer;
}

export type PolicyContext = { viewer: Viewer; facts: PolicyFacts };
