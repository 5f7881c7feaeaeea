import type { EntityManager } from '@mikro-orm/postgresql';
import type { PolicyFacts } from './facts.js';
import type { Viewer } from './viewer.js';

/** The facts of one request, loaded lazily and at most once (memberships, consents and grants join here). */
export class RequestFacts implements PolicyFacts {
  constructor(
    protected readonly em: EntityManager,
    readonly viewer: Viewer,
  ) {}
}
