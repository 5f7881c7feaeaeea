import { z } from 'zod';
import { badInput } from '../errors.js';

/** Parses service input; the first problem becomes BAD_USER_INPUT naming the field, before anything is written. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw badInput(issue.message, issue.path.join('.') || undefined);
}

// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

// eslint-disable-next-line no-control-regex
const controlsButLineBreaks = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * A text that may span lines (a message, a comment): trimmed, within bounds, no control characters but line
 * breaks and tabs. PostgreSQL cannot even store NUL in text, so this is also what keeps such input from
 * becoming a server error.
 */
export const multilineText = (what: string, max: number, min = 1) =>
  z
    .string()
    .trim()
    .min(min, `${what} must not be empty.`)
    .max(max, `${what} must be at most ${max.toLocaleString('en')} characters.`)
    .refine((s) => !controlsButLineBreaks.test(s), `${what} must not contain control characters.`);

/** A one-line human text: trimmed, no control characters, within bounds. */
export const lineText = (what: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `${what} must not be empty.`)
    .max(max, `${what} must be at most ${max} characters.`)
    .refine((s) => !controlCharacters.test(s), `${what} must not contain control characters.`);

/** Ids are UUIDs; anything else cannot name an object (answered as NOT_FOUND by the caller, never a database error). */
const uuid = z.uuid();
export const isUuid = (id: string): boolean => uuid.safeParse(id).success;
