import { hash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer\s+(.+)$/i;

/**
 * Checks `Authorization: Bearer <token>` in constant time: both sides are hashed to equal-length
 * SHA-256 digests before `timingSafeEqual`, so neither length nor content leaks through timing.
 * One-shot `crypto.hash` (no Hash object per request): this runs on every call, /env/step included.
 */
export class BearerTokenVerifier {
  private readonly expected: Buffer;

  constructor(token: string) {
    this.expected = hash('sha256', token, 'buffer');
  }

  verify(authorization: string | undefined): boolean {
    const match = BEARER.exec(authorization?.trim() ?? '');
    const presented = hash('sha256', match?.[1] ?? '', 'buffer');
    return timingSafeEqual(presented, this.expected) && match !== null;
  }
}
