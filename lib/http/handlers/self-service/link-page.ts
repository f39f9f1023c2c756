import type { Response } from 'express';

/** Pages reached by a secret link (an invitation, a password reset, an email confirmation) must not leak it through Referer headers or caches. */
export function protectLinkPage(res: Response): void {
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
}
