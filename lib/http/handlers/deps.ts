import type { Request } from 'express';
import type { Acting, Kit } from '../../services/context.js';
import { actingFromGuard } from '../../services/acting.js';
import type { Mailer } from '../../mail/outbox.js';
import type { Templates } from '../../templates.js';
import type { Locale } from '../../i18n/locale.js';
import type { Responder } from '../respond.js';
import type { CodeLimit, LoginLimit } from '../rate-limits.js';
import { ForbiddenError } from '../../errors.js';
import { bodyOf, clientIp } from '../request.js';
import { requestLocale } from '../locale.js';
import { offsetAtWallTime, wallTimeValue } from '../../i18n/time-zone.js';
import { presetsOf } from '../../services/presets.js';
import { lacking } from '../../services/members/delegation.js';
import { MANAGE_USERS } from '../../permissions.js';
import { allPermissionsSchema } from '../../services/input.js';

export interface HandlerDeps {
  kit: Kit;
  mailer: Mailer;
  templates: Templates;
  respond: Responder;
  /** The request's language (the `locale` option, else Accept-Language): flash notices, titles and labels are said in it. */
  localeOf: (req: Request) => Locale;
  /** Failed sign-ins per address and IP: checks of a signed-in person's current password count against it too. */
  loginLimit: LoginLimit;
  /** Wrong second-factor codes per login (lib/services/two-factor/): 429 past `limits.twoFactorPerWindow`. */
  codeLimit: CodeLimit;
}

/**
 * The acting owner or member, from the membership the guard loaded for this request; services
 * never see `req`. Handlers pass it as `actor` to the same functions au.api exposes.
 */
export function actorOf(kit: Kit, req: Request): Acting {
  const context = req.accountUser;
  if (!context) throw new ForbiddenError();
  return actingFromGuard({
    userId: context.user.id,
    system: null,
    accountId: context.account.id,
    isOwner: context.isOwner,
    permissions: context.permissions,
    allPermissions: context.allPermissions,
    ip: clientIp(req),
    linkPrefix: acceptLinkPrefix(kit, req),
    locale: requestLocale(req)?.tag,
  });
}

/** Built from the configured baseUrl and the mount path, never from the request's Host header. */
export function acceptLinkPrefix(kit: Kit, req: Request): string {
  return `${kit.options.baseUrl}${req.baseUrl}/accept/`;
}

/**
 * Permission checkboxes for a form, in catalogue order, ticked where granted. A delegate sees only
 * the permissions they hold (the only ones they may grant); the service refuses any other.
 */
export function permissionChoices(kit: Kit, granted: readonly string[], actor: Acting, locale: Locale) {
  // `apart`: Manage Users is not covered by "All permissions"; the form's script leaves it alone.
  return grantable(kit, actor).map((p) => ({ ...(locale.permission(p.key) ?? p), checked: granted.includes(p.key), apart: p.key === MANAGE_USERS.key }));
}

/** The catalogue entries the actor may grant: all of them for the owner, a delegate's own for a delegate. */
export function grantable(kit: Kit, actor: Acting) {
  return kit.catalogue.entries.filter((p) => lacking(actor, [p.key]).length === 0);
}

/** A stored moment as a date-time field's value: minutes, on the viewer's clock (the field names the zone). */
export function accessUntilValue(date: Date | null | undefined, zone: string): string {
  if (!date) return '';
  return zone === 'UTC' ? date.toISOString().slice(0, 16) : wallTimeValue(date, zone);
}

// What a datetime-local field sends: a date and a time, no zone.
const DATETIME_LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?$/;

/**
 * The `accessUntil` of a request, for the services. The HTML form's datetime-local field sends no
 * zone and says which one its times are in (the viewer's, the `timeZone` option), so a form's
 * value of that shape gets that zone's offset at that wall-clock time here, explicitly (`Z` for
 * UTC); a JSON body's is passed on as sent, and a date-time without a zone is refused there.
 */
export function accessUntilOf(req: Request): unknown {
  const value = bodyOf(req).accessUntil;
  if (typeof value !== 'string' || !req.is('application/x-www-form-urlencoded')) return value;
  const text = value.trim();
  const m = DATETIME_LOCAL.exec(text);
  if (!m) return value;
  const zone = requestLocale(req)?.timeZone ?? 'UTC';
  if (zone === 'UTC') return `${text}Z`;
  const fields = new Date(0);
  fields.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  fields.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6] ?? 0), 0);
  return `${text}${offsetAtWallTime(fields.getTime(), zone)}`;
}

/**
 * The `accessUntil` of the permissions form. Its field is prefilled with the stored end, so a save
 * that leaves it as shown leaves the date alone (absent for the service): a date that has passed
 * meanwhile no longer fails every save with "must be in the future". A member whose access has
 * ended gets a "Restore access" choice instead: the field counts only when it is chosen (empty: no end).
 */
export function memberAccessUntilOf(req: Request): unknown {
  const body = bodyOf(req);
  if (!req.is('application/x-www-form-urlencoded')) return body.accessUntil;
  if (body.restoreAccess !== undefined) return body.restoreAccess === 'yes' ? (accessUntilOf(req) ?? '') : undefined;
  const shown = body.accessUntilShown;
  if (typeof shown === 'string' && typeof body.accessUntil === 'string' && body.accessUntil.trim() === shown) return undefined;
  return accessUntilOf(req);
}

/** The form's "All permissions" box as sent: ticked, or not (a refused form shows it as it was). */
export function allSubmitted(body: Record<string, unknown>): boolean {
  return allPermissionsSchema.safeParse(body.allPermissions).data === true;
}

/** May the actor tick "All permissions"? The owner may; a delegate only if they hold it. */
export function mayGrantAll(actor: Acting): boolean {
  return actor.isOwner || actor.allPermissions === true;
}

/** What the form sent back, shown again after a refusal. */
export function submittedText(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 40) : '';
}

/**
 * The presets beside the checkboxes. Each is a submit button (`applyPreset`): without JavaScript
 * the server answers with the form again, its boxes ticked; au.js ticks them in place instead.
 */
/** The presets the actor may apply: a delegate sees only those within the permissions they hold. */
export function presetChoices(kit: Kit, actor: Acting, locale: Locale) {
  return presetsOf(kit)
    .filter((p) => lacking(actor, p.permissions).length === 0)
    .filter((p) => !p.all || mayGrantAll(actor))
    .map((p) => ({ ...p, label: locale.presetLabel(p.key, p.label), permissionsText: p.permissions.join(' ') }));
}
