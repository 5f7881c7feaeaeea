import { GraphQLError } from 'graphql';

/** The error codes of the contract (extensions.code). */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'STEP_UP_REQUIRED'
  | 'RATE_LIMITED'
  | 'CONFLICT';

/** An error meant for the client: its message and code are shown as they are. */
export class ClientError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export const badInput = (message: string, field?: string) =>
  new ClientError('BAD_USER_INPUT', message, field ? { field } : {});
export const unauthenticated = (message = 'Sign in first.') => new ClientError('UNAUTHENTICATED', message);
export const forbidden = (message = 'You may not do this.') => new ClientError('FORBIDDEN', message);
export const notFound = (what = 'Object') => new ClientError('NOT_FOUND', `${what} not found.`);
export const conflict = (message: string, field?: string) =>
  new ClientError('CONFLICT', message, field ? { field } : {});
export const rateLimited = (retryAfterSeconds: number) =>
  new ClientError('RATE_LIMITED', `Too many attempts. Try again in ${retryAfterSeconds} seconds.`, {
    retryAfter: retryAfterSeconds,
  });
