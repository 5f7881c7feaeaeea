import { availableParallelism } from 'node:os';
import argon2 from 'argon2';
import pLimit, { type LimitFunction } from 'p-limit';
import { rateLimited } from '../errors.js';

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
const parameters = { type: argon2.argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;

/**
 * Each argon2 run takes 19 MiB and a core for tens of milliseconds. Only so many run at once (by default one
 * fewer than the cores, so the event loop keeps a core and the server stays responsive during a sign-in flood),
 * and only so many wait: beyond that, RATE_LIMITED at once instead of a queue whose memory grows with the flood.
 */
let limit: LimitFunction = pLimit(Math.max(1, availableParallelism() - 1));
let maxWaiting = 100;

export function configurePasswordWork(options: { concurrency: number | null; maxWaiting: number }): void {
  limit = pLimit(options.concurrency ?? Math.max(1, availableParallelism() - 1));
  maxWaiting = options.maxWaiting;
}

function bounded<T>(work: () => Promise<T>): Promise<T> {
  if (limit.pendingCount >= maxWaiting) return Promise.reject(rateLimited(1));
  return limit(work);
}

export const hashSecret = (secret: string): Promise<string> => bounded(() => argon2.hash(secret, parameters));

export async function verifySecret(hash: string, secret: string): Promise<boolean> {
  return bounded(async () => {
    try {
      return await argon2.verify(hash, secret);
    } catch {
      return false;
    }
  });
}

let decoy: Promise<string> | undefined;
/** Spends the same time as a real check, so an unknown login cannot be told from a wrong password by timing. */
export async function verifyAgainstDecoy(secret: string): Promise<false> {
  decoy ??= hashSecret('decoy password that matches nothing');
  await verifySecret(await decoy, secret);
  return false;
}
