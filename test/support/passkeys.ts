import { expect } from 'chai';
import type { Response } from 'supertest';
import type { Browser } from './client.js';
import { USER_MOUNT } from './app.js';
import type { CeremonyOverrides, RequestOptions, SoftCredential, SoftAuthenticator } from './soft-authenticator.js';

export { SoftAuthenticator, type CeremonyOverrides, type SoftCredential } from './soft-authenticator.js';

const keepCsrf = (b: Browser, res: { body?: { csrfToken?: unknown } }) => {
  if (typeof res.body?.csrfToken === 'string') b.csrf = res.body.csrfToken;
};

/** Registers a passkey of `auth` for the browser's login over the JSON routes, as the page's script does. */
export async function addPasskey(
  b: Browser,
  auth: SoftAuthenticator,
  password: string | undefined,
  name = 'Laptop',
  o: CeremonyOverrides = {},
): Promise<Response> {
  await b.getJson(`${USER_MOUNT}/two-factor`);
  const started = await b.postJson(`${USER_MOUNT}/two-factor/passkeys/register/options`, password ? { currentPassword: password } : {});
  expect(started.status, started.text).to.equal(200);
  const response = auth.create(started.body.options, o);
  const res = await b.postJson(`${USER_MOUNT}/two-factor/passkeys/register`, { response, name });
  keepCsrf(b, res);
  return res;
}

/** The options of the verify step (second factor or step-up) for the browser's session. */
export async function verifyOptions(b: Browser) {
  await b.getJson(`${USER_MOUNT}/two-factor/verify`);
  const res = await b.postJson(`${USER_MOUNT}/two-factor/passkeys/verify/options`, {});
  expect(res.status, res.text).to.equal(200);
  return res.body.options as RequestOptions;
}

/** Gives the second factor with a passkey at /two-factor/verify. */
export async function verifyWithPasskey(b: Browser, auth: SoftAuthenticator, o: CeremonyOverrides & { credential?: SoftCredential } = {}): Promise<Response> {
  const options = await verifyOptions(b);
  const res = await b.postJson(`${USER_MOUNT}/two-factor/verify`, { response: auth.get(options, o) });
  keepCsrf(b, res);
  return res;
}

/** A passkey sign-in without a password, from the sign-in page. */
export async function signInWithPasskey(b: Browser, auth: SoftAuthenticator, o: CeremonyOverrides & { credential?: SoftCredential } = {}): Promise<Response> {
  await b.getJson(`${USER_MOUNT}/two-factor/passkeys/sign-in`);
  const started = await b.postJson(`${USER_MOUNT}/two-factor/passkeys/sign-in/options`, {});
  expect(started.status, started.text).to.equal(200);
  const res = await b.postJson(`${USER_MOUNT}/two-factor/passkeys/sign-in`, { response: auth.get(started.body.options, o) });
  keepCsrf(b, res);
  return res;
}
