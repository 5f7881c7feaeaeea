import type { ConsentPurpose, MyConsentsQuery } from '../generated/graphql';

export type ConsentRecord = MyConsentsQuery['myConsents'][number];

const keyOf = (purpose: ConsentPurpose, partnerId: string | null | undefined) => `${purpose}:${partnerId ?? ''}`;

/**
 * The ledger comes newest first; the first record of a purpose (and partner) is its current state, the rest
 * its history. Nothing recorded means not granted: consent is never assumed.
 */
export function consentState(ledger: readonly ConsentRecord[], purpose: ConsentPurpose, partnerId?: string | null) {
  const history = ledger.filter((record) => keyOf(record.purpose, record.partner?.id) === keyOf(purpose, partnerId));
  return { granted: history[0]?.granted ?? false, history };
}
