import { createHash } from 'node:crypto';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { generateSecret, generateURI, verify } from 'otplib';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import { ClientError, rateLimited } from '../errors.js';
import { hashSecret, verifySecret } from './passwords.js';
import type { SecretBox } from './secret-box.js';

export type StepUpMethod = 'PIN' | 'TOTP';
export type StepUpProof = { pin?: string | null; totpCode?: string | null };

const stepUpRequired = (message: string) => new ClientError('STEP_UP_REQUIRED', message);
/** RFC 6238: 30-second steps, 6 digits; one step of clock drift either way. */
const TOTP_TOLERANCE_SECONDS = 30;

type Secrets = { pin_hash: string | null; totp_secret: string | null; totp_pending_secret: string | null; totp_last_step: number | null };

/**
 * Proof of presence for important tasks: a transaction PIN (argon2id) or a TOTP code (its secret sealed at
 * rest). One check, `verify`, for every important task; failures count toward a lockout per person, in
 * PostgreSQL so it holds across processes; a TOTP code works once.
 */
export class StepUp {
  private readonly failures: RateLimiterPostgres;

  constructor(
    knex: Knex,
    private readonly box: SecretBox,
    private readonly limits: { maxFailures: number; lockSeconds: number },
  ) {
    this.failures = new RateLimiterPostgres({
      storeClient: knex,
      storeType: 'knex',
      tableName: 'rate_limit',
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix: 'step-up',
      points: limits.maxFailures,
      duration: limits.lockSeconds,
    });
  }

  private key = (userId: string) => createHash('sha256').update(`step-up:${userId}`).digest('hex');

  private async secrets(em: EntityManager, userId: string): Promise<Secrets> {
    const rows = await em.execute<Secrets[]>('select pin_hash, totp_secret, totp_pending_secret, totp_last_step from users where id = ?', [userId]);
    if (!rows[0]) throw stepUpRequired('No account.');
    return rows[0];
  }

  async setPin(em: EntityManager, userId: string, pin: string): Promise<void> {
    await em.execute('update users set pin_hash = ?, updated_at = now() where id = ?', [await hashSecret(pin), userId]);
  }

  /** A new secret, kept as pending until a code from it is confirmed; the current one (if any) stays until then. */
  async enrollTotp(em: EntityManager, userId: string, label: string): Promise<{ uri: string; secret: string }> {
    const secret = generateSecret();
    await em.execute('update users set totp_pending_secret = ?, updated_at = now() where id = ?', [this.box.seal(secret), userId]);
    return { secret, uri: generateURI({ issuer: 'Client Online', label, secret }) };
  }

  async confirmTotp(em: EntityManager, userId: string, code: string): Promise<boolean> {
    await this.ensureNotLocked(userId);
    const { totp_pending_secret: pending } = await this.secrets(em, userId);
    if (!pending) throw stepUpRequired('Start with enrollTotp.');
    const result = await this.check(this.box.open(pending), code, null);
    if (!result) {
      await this.recordFailure(userId);
      return false;
    }
    await em.execute('update users set totp_secret = totp_pending_secret, totp_pending_secret = null, totp_last_step = ?, updated_at = now() where id = ?', [result, userId]);
    return true;
  }

  /** The check every important task makes. Returns how presence was proven; throws STEP_UP_REQUIRED or RATE_LIMITED. */
  async verify(em: EntityManager, userId: string, proof: StepUpProof): Promise<StepUpMethod> {
    const pin = proof.pin?.trim() || null;
    const code = proof.totpCode?.trim() || null;
    if (!pin && !code) throw stepUpRequired('Confirm with your transaction PIN or a code from your authenticator app.');
    await this.ensureNotLocked(userId);
    const secrets = await this.secrets(em, userId);
    if (code) {
      if (!secrets.totp_secret) throw stepUpRequired('Set up an authenticator app first, or use your PIN.');
      const step = await this.check(this.box.open(secrets.totp_secret), code, secrets.totp_last_step);
      // claim the step atomically: two requests with one code cannot both pass
      const claimed = step
        ? await em.execute('update users set totp_last_step = ? where id = ? and (totp_last_step is null or totp_last_step < ?) returning id', [step, userId, step])
        : [];
      if (claimed.length === 0) return this.fail(userId, 'That code is wrong, expired or already used.');
      await this.failures.delete(this.key(userId));
      return 'TOTP';
    }
    if (!secrets.pin_hash) throw stepUpRequired('Set a transaction PIN first, or use your authenticator app.');
    if (!(await verifySecret(secrets.pin_hash, pin!))) return this.fail(userId, 'That PIN is wrong.');
    await this.failures.delete(this.key(userId));
    return 'PIN';
  }

  /** The matching time step, or null. */
  private async check(secret: string, code: string, afterStep: number | null): Promise<number | null> {
    if (!/^\d{6}$/.test(code)) return null;
    const result = await verify({ secret, token: code, epochTolerance: TOTP_TOLERANCE_SECONDS, ...(afterStep !== null ? { afterTimeStep: afterStep } : {}) }).catch(() => null);
    return result?.valid && 'timeStep' in result ? result.timeStep : null;
  }

  private async ensureNotLocked(userId: string): Promise<void> {
    const state = await this.failures.get(this.key(userId));
    if (state && state.consumedPoints >= this.limits.maxFailures) throw rateLimited(Math.max(1, Math.ceil(state.msBeforeNext / 1000)));
  }

  private async recordFailure(userId: string): Promise<void> {
    await this.failures.penalty(this.key(userId), 1);
  }

  private async fail(userId: string, message: string): Promise<never> {
    await this.recordFailure(userId);
    throw stepUpRequired(message);
  }
}
