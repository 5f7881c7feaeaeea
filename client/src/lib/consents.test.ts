import { describe, expect, it } from 'vitest';
import { consentState, type ConsentRecord } from './consents';

const record = (purpose: ConsentRecord['purpose'], granted: boolean, at: string, partner: string | null = null): ConsentRecord => ({
  purpose,
  granted,
  at,
  source: 'ACCOUNT',
  partner: partner ? { id: partner, name: partner } : null,
});

describe('consent switches', () => {
  // the ledger as the server gives it: newest first
  const ledger = [
    record('PARTNER_SHARING', true, '2026-11-24T12:00:00Z', 'loket'),
    record('NEWSLETTER', false, '2026-11-24T11:00:00Z'),
    record('PARTNER_SHARING', false, '2026-11-24T10:00:00Z', 'nmbrs'),
    record('NEWSLETTER', true, '2026-11-23T09:00:00Z'),
  ];

  it('take their state from the newest record of their purpose and partner', () => {
    expect(consentState(ledger, 'NEWSLETTER').granted).toBe(false);
    expect(consentState(ledger, 'PARTNER_SHARING', 'loket').granted).toBe(true);
    expect(consentState(ledger, 'PARTNER_SHARING', 'nmbrs').granted).toBe(false);
  });

  it('are off when nothing was ever recorded: consent is never assumed', () => {
    expect(consentState(ledger, 'USAGE_ANALYTICS')).toEqual({ granted: false, history: [] });
    expect(consentState(ledger, 'PARTNER_SHARING', 'someone-else').granted).toBe(false);
  });

  it('show the history of their own purpose and partner only, newest first', () => {
    expect(consentState(ledger, 'NEWSLETTER').history.map((r) => r.granted)).toEqual([false, true]);
    expect(consentState(ledger, 'PARTNER_SHARING', 'loket').history).toHaveLength(1);
  });
});
