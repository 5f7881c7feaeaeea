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
const defaultConcurrency = () => Math.max(1, availableParallelism() - 1);
let limit: LimitFunction = pLimit(defaultConcurrency());
/**
 * Sign-ins admitted to their lookups and check: twice as many as argon2 runs at once, enough to have the next
 * one's lookups done when argon2 is free. A burst of sign-ins otherwise sends all its lookups at once (their answers
 * would only wait for argon2) and handles all their answers in a few long turns of the event loop.
 */
let signIns: LimitFunction = pLimit(2 * defaultConcurrency());
let maxWaiting = 100;

export function configurePasswordWork(options: { concurrency: number | null; maxWaiting: number }): void {
  const concurrency = options.concurrency ?? defaultConcurrency();
  limit = pLimit(concurrency);
  signIns = pLimit(2 * concurrency);
  maxWaiting = options.maxWaiting;
}

const bounded = <T>(queue: LimitFunction, work: () => Promise<T>): Promise<T> =>
  queue.pendingCount >= maxWaiting ? Promise.reject(rateLimited(1)) : queue(work);

/** A sign-in's lookups and password check, admitted a few at a time (RATE_LIMITED when too many wait). */
export const admitSignIn = <T>(work: () => Promise<T>): Promise<T> => bounded(signIns, work);

export const hashSecret = (secret: string): Promise<string> => bounded(limit, () => argon2.hash(secret, parameters));

export async function verifySecret(hash: string, secret: string): Promise<boolean> {
  return bounded(limit, async () => {
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
