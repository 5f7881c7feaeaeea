import { z } from 'zod';
import { lineText } from '../validation.js';

/** What a valid account looks like: one definition for signUp, updateProfile and changePassword. */
export const username = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,31}$/, 'Username: 3 to 32 letters, digits, dots, dashes or underscores, starting with a letter or digit.');
export const lastName = lineText('Last name', 100);
export const firstName = lineText('First name', 100);
export const email = z.string().trim().max(254, 'Email address is too long.').pipe(z.email('Enter a valid email address.'));
export const password = z
  .string()
  .min(10, 'Password must be at least 10 characters.')
  // argon2 hashes any length; the bound keeps one request from costing much
  .max(512, 'Password must be at most 512 characters.');

/** A password may not be the account's own username or email. */
export function passwordIsOwnName(candidate: string, names: (string | null | undefined)[]): boolean {
  const lowered = candidate.trim().toLowerCase();
  return names.some((n) => n && n.trim().toLowerCase() === lowered);
}
