import { CombinedGraphQLErrors } from '@apollo/client/errors';
import type { TFunction } from 'i18next';

const KNOWN = ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'RATE_LIMITED', 'CONFLICT', 'BAD_USER_INPUT', 'STEP_UP_REQUIRED', 'PAYLOAD_TOO_LARGE', 'NETWORK'];

/** A server error as a sentence for the person, from its extensions.code (GraphQL) or code (uploads). */
export function errorText(error: unknown, t: TFunction): string {
  let code = '';
  let message = '';
  let retryAfter: unknown;
  if (CombinedGraphQLErrors.is(error)) {
    const first = error.errors[0];
    code = String(first?.extensions?.code ?? '');
    message = first?.message ?? '';
    retryAfter = first?.extensions?.retryAfter;
  } else if (error && typeof error === 'object' && 'code' in error) {
    code = String((error as { code: unknown }).code);
    message = String((error as { message?: unknown }).message ?? '');
  }
  return KNOWN.includes(code) ? t(`errors.${code}`, { retryAfter, message }) : t('errors.unknown');
}
