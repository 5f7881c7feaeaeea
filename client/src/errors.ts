import { CombinedGraphQLErrors } from '@apollo/client/errors';
import type { TFunction } from 'i18next';

/** A server error as a sentence for the person, from its extensions.code. */
export function errorText(error: unknown, t: TFunction): string {
  if (CombinedGraphQLErrors.is(error)) {
    const first = error.errors[0];
    const code = String(first?.extensions?.code ?? '');
    if (['UNAUTHENTICATED', 'RATE_LIMITED', 'CONFLICT', 'BAD_USER_INPUT'].includes(code)) {
      return t(`errors.${code}`, { retryAfter: first?.extensions?.retryAfter, message: first?.message });
    }
  }
  return t('errors.unknown');
}
