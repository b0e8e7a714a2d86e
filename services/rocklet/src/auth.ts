import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks `Authorization: Bearer <token>` in constant time: both sides are hashed to equal-length
 * SHA-256 digests before `timingSafeEqual`, so neither length nor content leaks through timing.
 */
export class BearerTokenVerifier {
  private readonly expected: Buffer;

  constructor(token: string) {
    this.expected = createHash('sha256').update(token, 'utf8').digest();
  }

  verify(authorization: string | undefined): boolean {
    const match = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '');
    const presented = createHash('sha256')
      .update(match?.[1] ?? '', 'utf8')
      .digest();
    return timingSafeEqual(presented, this.expected) && match !== null;
  }
}
