import { createHash } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { rateLimited } from '../errors.js';

/** Keys are hashed: the limiter's table holds no login names or IP addresses. */
const keyOf = (kind: string, value: string) => createHash('sha256').update(`${kind}:${value}`).digest('hex');

/**
 * Whose failures count together: the account when the login names one (so its username and its email share
 * one budget), else the login as typed.
 */
export const accountKey = (userId: string | null, login: string) => (userId ? `user:${userId}` : `name:${login.trim().toLowerCase()}`);
/** The limiter's stored key for an account, so that erasure can remove it. */
export const storedAccountKey = (userId: string) => `signin-login:${keyOf('login', accountKey(userId, ''))}`;

/**
 * Counts failed sign-ins per login and per IP in PostgreSQL, so the limit holds across server processes.
 * Blocked callers get RATE_LIMITED with retryAfter (seconds).
 */
export class SignInLimiter {
  private readonly perLogin: RateLimiterPostgres;
  private readonly perIp: RateLimiterPostgres;

  constructor(knex: Knex, limits: { maxFailuresPerLogin: number; maxFailuresPerIp: number; blockSeconds: number }) {
    const common = { storeClient: knex, storeType: 'knex', tableName: 'rate_limit', tableCreated: true, clearExpiredByTimeout: false };
    this.perLogin = new RateLimiterPostgres({ ...common, keyPrefix: 'signin-login', points: limits.maxFailuresPerLogin, duration: limits.blockSeconds });
    this.perIp = new RateLimiterPostgres({ ...common, keyPrefix: 'signin-ip', points: limits.maxFailuresPerIp, duration: limits.blockSeconds });
  }

  /** Throws RATE_LIMITED when this account (see accountKey) or this IP has used up its failures. */
  async check(account: string, ip: string | null): Promise<void> {
    const [byLogin, byIp] = await Promise.all([
      this.perLogin.get(keyOf('login', account)),
      ip ? this.perIp.get(keyOf('ip', ip)) : null,
    ]);
    const checks: [RateLimiterRes | null, number][] = [
      [byLogin, this.perLogin.points],
      [byIp, this.perIp.points],
    ];
    const blocked = checks.filter((entry): entry is [RateLimiterRes, number] => entry[0] !== null && entry[0].consumedPoints >= entry[1]);
    if (blocked.length > 0) {
      const waitMs = Math.max(...blocked.map(([res]) => res.msBeforeNext));
      throw rateLimited(Math.max(1, Math.ceil(waitMs / 1000)));
    }
  }

  async recordFailure(account: string, ip: string | null): Promise<void> {
    await Promise.all([
      this.perLogin.penalty(keyOf('login', account), 1),
      ip ? this.perIp.penalty(keyOf('ip', ip), 1) : null,
    ]);
  }

  async recordSuccess(account: string): Promise<void> {
    await this.perLogin.delete(keyOf('login', account));
  }
}
