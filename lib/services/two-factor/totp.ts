import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

/** RFC 6238 as every authenticator app reads it: SHA-1, six digits, 30-second steps. */
const PERIOD = 30;
const DIGITS = 6;
/** One step either side: a phone clock a little off still works; a code lives at most 90 seconds. */
const WINDOW = 1;

export function newTotpSecret(): string {
  // 160 bits, RFC 4226's recommended length.
  return new Secret({ size: 20 }).base32;
}

function totpOf(secret: string, issuer: string, label: string): TOTP {
  return new TOTP({ issuer, label, algorithm: 'SHA1', digits: DIGITS, period: PERIOD, secret: Secret.fromBase32(secret) });
}

/** The `otpauth://` URL an app scans, and the same as an SVG QR code. */
export async function enrolmentOf(secret: string, issuer: string, label: string): Promise<{ otpauthUrl: string; qrSvg: string }> {
  const otpauthUrl = totpOf(secret, issuer, label).toString();
  const qrSvg = await QRCode.toString(otpauthUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return { otpauthUrl, qrSvg };
}

/** The time step a code was made for, when it is right within the window; undefined otherwise. */
export function stepOfCode(secret: string, code: string, now: Date): number | undefined {
  const delta = totpOf(secret, 'x', 'x').validate({ token: code, timestamp: now.getTime(), window: WINDOW });
  if (delta === null) return undefined;
  return TOTP.counter({ period: PERIOD, timestamp: now.getTime() }) + delta;
}

/** The oldest step a code can still be accepted for: older used steps may be forgotten. */
export function oldestLiveStep(now: Date): number {
  return TOTP.counter({ period: PERIOD, timestamp: now.getTime() }) - WINDOW;
}

/** What a person types: spaces and a hyphen are allowed ("123 456"). */
export function normaliseTotpCode(value: string): string {
  return value.replace(/[\s-]/g, '');
}

export const TOTP_CODE = /^\d{6}$/;
