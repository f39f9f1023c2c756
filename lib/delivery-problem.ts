import type { MessageKey } from './messages.js';

/**
 * Why an invitation email did not go out, as an owner can be told it. The owner is a customer:
 * the transport's own error (host names, ports, the server's reply, an auth failure) is written
 * to the log only, and only this word reaches the database, the page and the JSON.
 */
export const DELIVERY_PROBLEMS = ['unreachable', 'insecure', 'refused_login', 'refused_address', 'refused_message', 'try_later', 'not_sent'] as const;
export type DeliveryProblem = (typeof DELIVERY_PROBLEMS)[number];

const UNREACHABLE = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
  'EPROTOCOL',
]);

/** Reads a nodemailer error: its `code`, then the SMTP reply code (`responseCode`, or the one its message starts with). */
export function deliveryProblemOf(err: unknown): DeliveryProblem {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; responseCode?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (code === 'ETLS') return 'insecure';
  if (code === 'EAUTH' || code === 'ENOAUTH') return 'refused_login';
  const reply =
    typeof e.responseCode === 'number' ? e.responseCode : Number(/^\s*([45]\d\d)\b/.exec(typeof e.message === 'string' ? e.message : '')?.[1] ?? NaN);
  if (reply >= 400 && reply < 500) return 'try_later';
  if (reply >= 500 && reply < 600) return code === 'EENVELOPE' || reply === 550 || reply === 551 || reply === 553 ? 'refused_address' : 'refused_message';
  if (UNREACHABLE.has(code)) return 'unreachable';
  return 'not_sent';
}

/** A stored value read back: anything but a known word (an older row's raw error text) says only "could not be sent". */
export function toDeliveryProblem(stored: unknown): DeliveryProblem | null {
  if (stored === null || stored === undefined || stored === '') return null;
  return typeof stored === 'string' && (DELIVERY_PROBLEMS as readonly string[]).includes(stored) ? (stored as DeliveryProblem) : 'not_sent';
}

export function deliveryProblemKey(problem: DeliveryProblem): MessageKey {
  return `delivery.${problem}` as MessageKey;
}
