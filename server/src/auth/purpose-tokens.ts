import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Signed tokens that serve one purpose for one person (the unsubscribe link of a newsletter): no session,
 * no expiry, useless for anything else. The key is derived from the encryption key, per purpose.
 */
export class PurposeTokens {
  private readonly key: Buffer;

  constructor(secret: Buffer, private readonly purpose: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `client-online:${purpose}`, 32));
  }

  private sign(subject: string): Buffer {
    return createHmac('sha256', this.key).update(`${this.purpose}:${subject}`).digest();
  }

  issue(subject: string): string {
    return `${Buffer.from(subject).toString('base64url')}.${this.sign(subject).toString('base64url')}`;
  }

  /** The subject the token was issued for, or null when it is not one of ours. */
  verify(token: string): string | null {
    const [encoded, signature] = token.split('.');
    if (!encoded || !signature || token.length > 300) return null;
    const subject = Buffer.from(encoded, 'base64url').toString('utf8');
    const expected = this.sign(subject);
    const given = Buffer.from(signature, 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected) ? subject : null;
  }
}
