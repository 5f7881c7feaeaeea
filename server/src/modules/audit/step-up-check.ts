import type { EntityManager } from '@mikro-orm/postgresql';
import type { StepUp, StepUpMethod, StepUpProof } from '../../auth/step-up.js';
import { ClientError } from '../../errors.js';
import type { Metrics } from '../../metrics.js';
import type { Actor, AuditService } from './audit.service.js';

/** The step-up every important task makes, written to the security log whether it passes or fails. */
export async function checkStepUp(deps: { stepUp: StepUp; audit: AuditService; metrics?: Metrics }, em: EntityManager, actor: Actor & { viewer: { kind: 'user'; userId: string } }, proof: StepUpProof, task: string): Promise<StepUpMethod> {
  try {
    const method = await deps.stepUp.verify(em, actor.viewer.userId, proof);
    await deps.audit.by(em, actor, 'step-up', { details: { task, method } });
    return method;
  } catch (error) {
    if (error instanceof ClientError && error.extensions.code === 'STEP_UP_REQUIRED') {
      deps.metrics?.stepUpFailures.inc();
      await deps.audit.by(em, actor, 'step-up-failed', { details: { task } });
    }
    throw error;
  }
}
