import { describe, expect, it } from 'vitest';
import { configurePasswordWork, hashSecret, verifySecret } from '../src/auth/passwords.js';

// argon2 is built from source on these machines (its prebuilt binary crashes here): prove the build works
describe('argon2id', () => {
  it('hashes with the OWASP parameters and verifies only the right password', async () => {
    const hash = await hashSecret('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await verifySecret(hash, 'correct horse battery staple')).toBe(true);
    expect(await verifySecret(hash, 'correct horse battery stapler')).toBe(false);
    expect(await hashSecret('correct horse battery staple')).not.toBe(hash); // salted
    expect(await verifySecret('not a hash', 'x')).toBe(false);
  });

  it('runs only so many at once and refuses a flood beyond the waiting room with RATE_LIMITED, instead of queueing its memory', async () => {
    configurePasswordWork({ concurrency: 1, maxWaiting: 2 });
    try {
      const hash = await hashSecret('flood');
      const flood = await Promise.allSettled(Array.from({ length: 6 }, () => verifySecret(hash, 'flood')));
      // one runs, two wait, three are refused at once
      expect(flood.filter((r) => r.status === 'fulfilled' && r.value === true)).toHaveLength(3);
      const refused = flood.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      expect(refused.map((r) => r.reason.extensions.code)).toEqual(['RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
    } finally {
      configurePasswordWork({ concurrency: null, maxWaiting: 100 });
    }
  });
});
