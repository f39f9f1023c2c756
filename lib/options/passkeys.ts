import { OptionsError } from '../errors.js';

/** The `twoFactor.passkeys` option as given (schema.ts). */
export interface PasskeysOption {
  rpID?: string;
  origin?: string;
  origins?: readonly string[];
  rpName?: string;
}

/** Who the kit is to authenticators: the rpID passkeys are bound to, the origins answers may come from, the name shown. */
export interface RelyingParty {
  rpID: string;
  origins: string[];
  rpName: string;
}

/** A secure context for WebAuthn: https, or http on localhost (development). */
function secure(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname.endsWith('.localhost')));
}

/**
 * The relying party from the option, else from `baseUrl` (its host and origin). Throws an
 * OptionsError naming the option when an origin is not a secure context or not on the rpID (a
 * browser would refuse every ceremony, so it is a start-up error, not a runtime one).
 */
export function resolveRelyingParty(option: PasskeysOption | false, baseUrl: string, portalName: string | undefined): RelyingParty | false {
  if (option === false) return false;
  const base = new URL(baseUrl);
  const given0 = option.rpID === undefined && option.origin === undefined && option.origins === undefined;
  // Not configured: passkeys follow baseUrl when it can host them (https or localhost, a host name
  // rather than an IP address); otherwise they are off, and naming them is the host's choice.
  if (given0 && (!secure(base) || /^[0-9.]+$|^\[/.test(base.hostname))) return false;
  if (option.origin !== undefined && option.origins !== undefined) {
    throw new OptionsError('express-account-users: invalid options:\n  option `twoFactor.passkeys` takes `origin` or `origins`, not both');
  }
  const given = option.origins ?? (option.origin !== undefined ? [option.origin] : [base.origin]);
  const rpID = (option.rpID ?? new URL(given[0] ?? base.origin).hostname).toLowerCase();
  const origins = given.map((o, i) => {
    const name = option.origins ? `twoFactor.passkeys.origins.${i}` : option.origin !== undefined ? 'twoFactor.passkeys.origin' : 'baseUrl';
    let url: URL;
    try {
      url = new URL(o);
    } catch {
      throw new OptionsError(`express-account-users: invalid options:\n  option \`${name}\` must be an origin such as https://portal.example.com`);
    }
    if (!secure(url))
      throw new OptionsError(
        `express-account-users: invalid options:\n  option \`${name}\` must be https (or http://localhost): passkeys need a secure context`,
      );
    if (url.hostname !== rpID && !url.hostname.endsWith(`.${rpID}`)) {
      throw new OptionsError(`express-account-users: invalid options:\n  option \`${name}\` (${url.hostname}) is not the rpID "${rpID}" or under it`);
    }
    return url.origin;
  });
  return { rpID, origins, rpName: option.rpName ?? portalName ?? base.hostname };
}
