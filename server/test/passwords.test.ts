import { describe, expect, it } from 'vitest';
import { hashSecret, verifySecret } from '../src/auth/passwords.js';

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
});
