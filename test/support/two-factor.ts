import { expect } from 'chai';
import { Secret, TOTP } from 'otpauth';
import type { Browser } from './client.js';
import { USER_MOUNT, type TestHost } from './app.js';

/** The code an authenticator app shows for `secret` at `at`: made by otpauth from the secret the page showed. */
export function codeAt(secret: string, at: Date): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: at.getTime() });
}

/** A six-digit code that is none of the three the window accepts now. */
export function wrongCodeAt(secret: string, at: Date): string {
  const valid = new Set([-30_000, 0, 30_000].map((d) => codeAt(secret, new Date(at.getTime() + d))));
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

/** The next code after any the test used: the clock moves one step on, so a fresh code is due. */
export function freshCode(host: TestHost, secret: string): string {
  host.clock.advance(30_000);
  return codeAt(secret, host.clock.now());
}

/** Enrols the browser's login in an authenticator app over the JSON routes, as a person would. */
export async function enrolTotp(browser: Browser, host: TestHost, password: string): Promise<{ secret: string; recoveryCodes: string[] }> {
  await browser.getJson(`${USER_MOUNT}/two-factor`);
  const started = await browser.postJson(`${USER_MOUNT}/two-factor/totp`, { currentPassword: password });
  expect(started.status, started.text).to.equal(200);
  const secret = String(started.body.secret);
  const confirmed = await browser.postJson(`${USER_MOUNT}/two-factor/totp/confirm`, { code: freshCode(host, secret) });
  expect(confirmed.status, confirmed.text).to.equal(200);
  return { secret, recoveryCodes: confirmed.body.recoveryCodes as string[] };
}

/** Signs in with the password, then gives the second factor at /two-factor/verify. */
export async function signInWithCode(browser: Browser, host: TestHost, email: string, password: string, secret: string): Promise<void> {
  await browser.login(email, password);
  await browser.getJson(`${USER_MOUNT}/two-factor/verify`);
  const res = await browser.postJson(`${USER_MOUNT}/two-factor/verify`, { code: freshCode(host, secret) });
  expect(res.status, res.text).to.equal(200);
}
