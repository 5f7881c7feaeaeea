export const documentTypes = ['TAX_RETURN', 'ANNUAL_ACCOUNTS', 'PAYROLL', 'CONTRACT', 'OTHER'] as const;
export type DocumentType = (typeof documentTypes)[number];

/**
 * How long an approval log entry is kept, per document type: the legal retention period (Dutch fiscal law:
 * 7 years for the administration). OTHER has no legal hold.
 */
export const retentionYears: Record<DocumentType, number> = {
  TAX_RETURN: 7,
  ANNUAL_ACCOUNTS: 7,
  PAYROLL: 7,
  CONTRACT: 7,
  OTHER: 0,
};

/**
 * When a decision on a document of this type may be purged. Counted, as Dutch fiscal law does, from 1 January
 * of the year after the decision (UTC); with no legal hold, from the decision itself.
 */
export function retainUntil(type: DocumentType, decidedAt: Date): Date {
  const years = retentionYears[type];
  if (years === 0) return decidedAt;
  return new Date(Date.UTC(decidedAt.getUTCFullYear() + 1 + years, 0, 1));
}
