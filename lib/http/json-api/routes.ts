import { z } from 'zod';
import * as S from './schemas.js';

/** One JSON route: its request body (when it takes one) and its answers by status; every route may also answer the errors of `ERRORS`. */
export interface JsonRoute {
  method: 'get' | 'post';
  /** The path under the router's mount, with `{params}`. */
  path: string;
  summary: string;
  body?: z.ZodType;
  query?: Record<string, string>;
  /** A download's media type (the CSV exports); JSON when absent. */
  produces?: 'text/csv';
  answers: Record<number, z.ZodType>;
}

const keys = z.array(z.string()).describe('permission keys of the catalogue');
/** What @simplewebauthn/browser's startRegistration / startAuthentication resolve to (a form posts it as JSON text). */
const passkeyResponse = z
  .union([z.object({}).passthrough(), z.string()])
  .describe('the `RegistrationResponseJSON` or `AuthenticationResponseJSON` of @simplewebauthn/browser, or that object as JSON text');
const moment = z.string().describe('ISO 8601 date-time with its zone, or a date alone (the end of that day in UTC)');
/** A preset's button on a form: the answer is the form again with the preset's permissions checked; nothing is written. */
const applyPreset = z.string().describe("a preset's key: nothing is written; the answer is the form with the preset's permissions in `checked`");

/**
 * The refusals any route may give (the error table of docs/json-api.md). Not every route can give
 * every one; each status is listed once, with its one shape.
 */
export const ERRORS = [400, 401, 403, 404, 409, 410, 429, 503] as const;

/** au.router, in the order of its route table. */
export const ROUTER_ROUTES: JsonRoute[] = [
  { method: 'get', path: '/openapi.json', summary: 'This document', answers: { 200: z.object({}).passthrough() } },
  {
    method: 'get',
    path: '/',
    summary: 'User management: members (the owner first) and invitations, 50 at a time',
    query: { membersAfter: 'cursor', membersBefore: 'cursor', invitationsAfter: 'cursor', invitationsBefore: 'cursor' },
    answers: { 200: S.UsersPageAnswer },
  },
  {
    method: 'get',
    path: '/invite',
    summary: "What the invite form offers; with `restore`, a removed member's previous permissions checked",
    query: { restore: 'id' },
    answers: { 200: S.InviteFormAnswer },
  },
  {
    method: 'post',
    path: '/invite',
    summary: 'Invite by email',
    body: z.object({
      email: z.string(),
      permissions: keys.optional(),
      allPermissions: z.boolean().optional(),
      preset: z.string().optional(),
      accessUntil: moment.optional(),
      applyPrevious: z
        .string()
        .optional()
        .describe(
          'nothing is sent: the answer is the form with the permissions the address held when it was removed (within limits.restoreWindowMs) in `checked`',
        ),
      applyPreset: applyPreset.optional(),
    }),
    answers: { 201: S.InviteAnswer, 200: z.union([S.InviteAnswer, S.InviteFormAnswer]) },
  },
  {
    method: 'post',
    path: '/invitations/{id}/resend',
    summary: 'Send a pending, expired or declined invitation again',
    answers: { 200: S.InvitationDeliveryAnswer },
  },
  { method: 'get', path: '/invitations/{id}/cancel', summary: 'The invitation a cancellation would cancel', answers: { 200: S.InvitationCancelFormAnswer } },
  { method: 'post', path: '/invitations/{id}/cancel', summary: 'Cancel a pending invitation', answers: { 200: S.InvitationAnswer } },
  { method: 'get', path: '/invite/bulk', summary: 'What the bulk invite form offers', answers: { 200: S.BulkInviteFormAnswer } },
  {
    method: 'post',
    path: '/invite/bulk',
    summary: 'Invite many addresses with one set of permissions or a preset (up to limits.bulkInviteMax)',
    body: z.object({
      emails: z.union([z.array(z.string()), z.string()]).describe('a list, or one text of addresses separated by line breaks, commas, semicolons or spaces'),
      permissions: keys.optional(),
      preset: z.string().optional(),
      accessUntil: moment.optional(),
      applyPreset: applyPreset.optional(),
    }),
    answers: { 200: z.union([S.BulkInviteAnswer, S.BulkInviteFormAnswer]) },
  },
  { method: 'get', path: '/roster', summary: 'The roster form: its limits', answers: { 200: S.RosterFormAnswer } },
  {
    method: 'post',
    path: '/roster',
    summary: 'Compare a roster (CSV: email,permissions) with the account; `apply: true` makes the account match it, in one transaction',
    body: z.object({
      csv: z.string().describe('also sent as the whole body with Content-Type: text/csv and ?apply=0|1 (and ?digest=)'),
      apply: z.boolean().optional(),
      digest: z
        .string()
        .optional()
        .describe(
          "with `apply: true`, a dry run's `digest`: the apply is refused with 409 `conflict` (fields: `digest`) if the changes it would make now differ",
        ),
    }),
    answers: { 200: z.union([S.RosterDryRunAnswer, S.RosterAppliedAnswer]) },
  },
  { method: 'get', path: '/export/members.csv', summary: "The account's members as CSV, streamed", produces: 'text/csv', answers: { 200: z.string() } },
  { method: 'get', path: '/export/members.json', summary: "The account's members as JSON, streamed", answers: { 200: S.MembersExport } },
  {
    method: 'get',
    path: '/export/activity.csv',
    summary: "The account's activity log as CSV, newest first, streamed",
    produces: 'text/csv',
    answers: { 200: z.string() },
  },
  { method: 'get', path: '/users/{userId}', summary: 'A member and the permissions the caller may grant', answers: { 200: S.MemberFormAnswer } },
  {
    method: 'post',
    path: '/users/{userId}/permissions',
    summary: "Set a member's permissions and when their access ends",
    body: z.object({
      permissions: keys.optional(),
      allPermissions: z.boolean().optional(),
      preset: z.string().optional(),
      accessUntil: moment.nullable().optional(),
      applyPreset: applyPreset.optional(),
    }),
    answers: { 200: z.union([S.MemberAnswer, S.PresetAppliedAnswer]) },
  },
  { method: 'get', path: '/users/{userId}/remove', summary: 'The member a removal would remove', answers: { 200: S.MemberRemoveFormAnswer } },
  { method: 'post', path: '/users/{userId}/remove', summary: 'Remove a member', answers: { 200: S.MemberRemovedAnswer } },
  { method: 'get', path: '/users/{userId}/suspend', summary: 'The member a suspension would suspend', answers: { 200: S.MemberSuspendFormAnswer } },
  {
    method: 'post',
    path: '/users/{userId}/suspend',
    summary: 'Suspend a member: the membership stays, access stops at once',
    body: z.object({ reason: z.string().optional() }),
    answers: { 200: S.MemberAnswer },
  },
  {
    method: 'get',
    path: '/users/{userId}/reinstate',
    summary: 'The suspended member a reinstatement would reinstate',
    answers: { 200: S.MemberSuspendFormAnswer },
  },
  { method: 'post', path: '/users/{userId}/reinstate', summary: 'Reinstate a suspended member', answers: { 200: S.MemberAnswer } },
  {
    method: 'get',
    path: '/users/{userId}/restore',
    summary: 'A member removed within limits.restoreWindowMs, as a restore would bring them back',
    answers: { 200: S.RestoreFormAnswer },
  },
  { method: 'post', path: '/users/{userId}/restore', summary: 'Restore a removed member with their previous permissions', answers: { 200: S.MemberAnswer } },
  { method: 'get', path: '/accept/{token}', summary: "An invitation link's page; changes nothing", answers: { 200: S.AcceptPageAnswer } },
  { method: 'post', path: '/accept/{token}', summary: 'The signed-in user accepts', answers: { 200: S.MembershipAnswer } },
  {
    method: 'post',
    path: '/accept/{token}/register',
    summary: 'A visitor creates a login with the invited address and accepts (and is signed in)',
    body: z.object({ name: z.string(), password: z.string() }),
    answers: { 201: S.RegisteredAnswer },
  },
  { method: 'get', path: '/accept/{token}/decline', summary: 'The invitation a decline would decline', answers: { 200: S.DeclineLinkFormAnswer } },
  { method: 'post', path: '/accept/{token}/decline', summary: 'The invitee declines, signed in or not', answers: { 200: S.DeclinedByLinkAnswer } },
  { method: 'post', path: '/accept/{token}/signout', summary: 'Sign out (from the "sent to another address" page)', answers: { 200: S.SignedOutAnswer } },
  { method: 'get', path: '/accounts', summary: "The signed-in user's accounts, waiting invitations and ownership offers", answers: { 200: S.AccountsAnswer } },
  {
    method: 'post',
    path: '/accounts/switch',
    summary: 'Make another account the active one',
    body: z.object({ accountId: z.union([id(), z.string()]) }),
    answers: { 200: S.SwitchedAnswer },
  },
  { method: 'get', path: '/accounts/{accountId}/leave', summary: 'The account leaving would leave', answers: { 200: S.LeaveFormAnswer } },
  { method: 'post', path: '/accounts/{accountId}/leave', summary: 'Leave an account', answers: { 200: S.LeftAnswer } },
  {
    method: 'post',
    path: '/accounts/invitations/{invitationId}/accept',
    summary: 'Accept an invitation to the own address in the app',
    answers: { 200: S.MembershipAnswer },
  },
  {
    method: 'get',
    path: '/accounts/invitations/{invitationId}/decline',
    summary: 'The invitation a decline would decline',
    answers: { 200: S.InvitationDeclineFormAnswer },
  },
  {
    method: 'post',
    path: '/accounts/invitations/{invitationId}/decline',
    summary: 'Decline an invitation to the own address in the app',
    answers: { 200: S.DeclinedAnswer },
  },
  {
    method: 'post',
    path: '/accounts/offers/{transferId}/accept',
    summary: 'Accept an ownership offer listed on the accounts page',
    answers: { 200: S.OwnershipAcceptedAnswer },
  },
  {
    method: 'get',
    path: '/accounts/offers/{transferId}/decline',
    summary: 'The ownership offer a decline would decline',
    answers: { 200: S.OwnershipOfferAnswer },
  },
  {
    method: 'post',
    path: '/accounts/offers/{transferId}/decline',
    summary: 'Decline an ownership offer listed on the accounts page',
    answers: { 200: S.OfferDeclinedAnswer },
  },
  {
    method: 'get',
    path: '/activity',
    summary: "The account's activity, newest first, 50 at a time",
    query: { after: 'cursor', before: 'cursor' },
    answers: { 200: S.ActivityAnswer },
  },
  { method: 'get', path: '/transfer', summary: 'The standing ownership offer and the users it may be made to', answers: { 200: S.TransferPageAnswer } },
  {
    method: 'post',
    path: '/transfer',
    summary: 'Offer ownership to a user of the account',
    body: z.object({ userId: z.union([id(), z.string()]), currentPassword: z.string() }),
    answers: { 201: S.TransferAnswer },
  },
  { method: 'get', path: '/transfer/cancel', summary: 'The standing offer a withdrawal would withdraw', answers: { 200: S.TransferCancelFormAnswer } },
  { method: 'post', path: '/transfer/cancel', summary: 'Withdraw the standing offer', answers: { 200: S.TransferAnswer } },
  { method: 'get', path: '/transfer/{token}', summary: 'An ownership offer, for the user it was made to', answers: { 200: S.OwnershipOfferAnswer } },
  { method: 'post', path: '/transfer/{token}', summary: 'Accept an ownership offer', answers: { 200: S.OwnershipAcceptedAnswer } },
  {
    method: 'get',
    path: '/security',
    summary: 'The owner’s two-factor rule and who has a factor, 50 members at a time',
    query: { after: 'cursor', before: 'cursor' },
    answers: { 200: S.SecurityPageAnswer },
  },
  {
    method: 'post',
    path: '/security',
    summary: 'Require (or stop requiring) a second factor of everyone in the account, with a grace period',
    body: z.object({ required: z.boolean(), graceDays: z.number().int().optional() }),
    answers: { 200: S.SecuritySavedAnswer },
  },
  { method: 'get', path: '/transfer/{token}/decline', summary: 'The ownership offer a decline would decline', answers: { 200: S.OwnershipOfferAnswer } },
  { method: 'post', path: '/transfer/{token}/decline', summary: 'Decline an ownership offer', answers: { 200: S.OfferDeclinedAnswer } },
];

/** au.userRouter. */
export const USER_ROUTER_ROUTES: JsonRoute[] = [
  { method: 'get', path: '/openapi.json', summary: 'This document', answers: { 200: z.object({}).passthrough() } },
  { method: 'get', path: '/profile', summary: 'The signed-in login and what it may change', answers: { 200: S.ProfileAnswer } },
  { method: 'post', path: '/profile', summary: 'Change the name', body: z.object({ name: z.string() }), answers: { 200: S.ProfileSavedAnswer } },
  {
    method: 'post',
    path: '/password',
    summary: 'Change the password; other sessions are signed out',
    body: z.object({ currentPassword: z.string(), newPassword: z.string() }),
    answers: { 200: S.PasswordChangedAnswer },
  },
  {
    method: 'post',
    path: '/email',
    summary: 'Ask to move the login to another address (a link goes there)',
    body: z.object({ email: z.string(), currentPassword: z.string() }),
    answers: { 202: S.EmailChangeRequestedAnswer },
  },
  { method: 'get', path: '/email/confirm/{token}', summary: 'The address a confirmation link would move the login to', answers: { 200: S.LinkPageAnswer } },
  { method: 'post', path: '/email/confirm/{token}', summary: 'Confirm the new address', answers: { 200: S.EmailConfirmedAnswer } },
  {
    method: 'post',
    path: '/email/verify',
    summary: "Send a verification link to the login's own address",
    body: z.object({ returnTo: z.string().optional() }),
    answers: { 202: S.VerificationAnswer, 200: S.VerificationAnswer },
  },
  { method: 'get', path: '/email/verify/{token}', summary: "A verification link's page", answers: { 200: S.LinkPageAnswer } },
  { method: 'post', path: '/email/verify/{token}', summary: 'Verify the address', answers: { 200: S.VerifiedAnswer } },
  { method: 'get', path: '/password/forgot', summary: 'A CSRF token for the form', answers: { 200: S.CsrfTokenAnswer } },
  {
    method: 'post',
    path: '/password/forgot',
    summary: 'Ask for a reset link (the same answer for every address)',
    body: z.object({ email: z.string() }),
    answers: { 202: S.ResetRequestedAnswer },
  },
  { method: 'get', path: '/password/reset/{token}', summary: "A reset link's page", answers: { 200: S.ResetPageAnswer } },
  {
    method: 'post',
    path: '/password/reset/{token}',
    summary: 'Set a new password',
    body: z.object({ password: z.string() }),
    answers: { 200: S.PasswordResetAnswer },
  },
  { method: 'get', path: '/two-factor', summary: 'The login’s second factor, and its remembered browsers', answers: { 200: S.TwoFactorPageAnswer } },
  {
    method: 'post',
    path: '/two-factor/totp',
    summary: 'Start an authenticator app enrolment (the current password first)',
    body: z.object({ currentPassword: z.string() }),
    answers: { 200: S.TotpEnrolmentAnswer },
  },
  {
    method: 'post',
    path: '/two-factor/totp/confirm',
    summary: 'Turn it on with a first code; the recovery codes are shown this once',
    body: z.object({ code: z.string() }),
    answers: { 200: S.RecoveryCodesAnswer },
  },
  {
    method: 'post',
    path: '/two-factor/recovery-codes',
    summary: 'A new set of recovery codes (a recent code needed)',
    answers: { 200: S.RecoveryCodesAnswer },
  },
  {
    method: 'post',
    path: '/two-factor/remove',
    summary: 'Turn the second factor off (the current password, or a code)',
    body: z.object({ currentPassword: z.string().optional(), code: z.string().optional(), recoveryCode: z.string().optional() }),
    answers: { 200: S.TwoFactorRemovedAnswer },
  },
  {
    method: 'post',
    path: '/two-factor/devices/forget',
    summary: 'Forget one remembered browser (`deviceId`), or all of them',
    body: z.object({ deviceId: z.number().int().optional() }),
    answers: { 200: S.DevicesForgottenAnswer },
  },
  { method: 'get', path: '/two-factor/verify', summary: 'The second step of a sign-in, or a step-up', answers: { 200: S.VerifyPageAnswer } },
  {
    method: 'post',
    path: '/two-factor/verify',
    summary: 'Give a code, a recovery code or a passkey’s answer; `rememberDevice` with `twoFactor.rememberDeviceDays`',
    body: z.object({
      code: z.string().optional(),
      recoveryCode: z.string().optional(),
      response: passkeyResponse.optional(),
      rememberDevice: z.boolean().optional(),
      returnTo: z.string().optional(),
    }),
    answers: { 200: S.VerifiedSecondFactorAnswer },
  },
  {
    method: 'post',
    path: '/two-factor/passkeys/verify/options',
    summary: 'Options for a passkey at the second step (or a step-up), naming the login’s passkeys',
    answers: { 200: S.PasskeyAuthenticationOptionsAnswer },
  },
  { method: 'get', path: '/two-factor/passkeys', summary: 'The login’s passkeys', answers: { 200: S.PasskeysAnswer } },
  {
    method: 'post',
    path: '/two-factor/passkeys/register/options',
    summary: 'Options for adding a passkey (the current password, unless a second factor was given in the last `twoFactor.stepUpMinutes`)',
    body: z.object({ currentPassword: z.string().optional() }),
    answers: { 200: S.PasskeyRegistrationOptionsAnswer },
  },
  {
    method: 'post',
    path: '/two-factor/passkeys/register',
    summary: 'Add the passkey the browser made for this session’s challenge; the first factor shows the recovery codes this once',
    body: z.object({ response: passkeyResponse, name: z.string().optional() }),
    answers: { 200: S.PasskeyRegisteredAnswer },
  },
  {
    method: 'post',
    path: '/two-factor/passkeys/{id}/rename',
    summary: 'Rename one of the login’s passkeys',
    body: z.object({ name: z.string() }),
    answers: { 200: S.PasskeyRenamedAnswer },
  },
  {
    method: 'post',
    path: '/two-factor/passkeys/{id}/remove',
    summary: 'Remove one of the login’s passkeys (the current password, or a recent second factor)',
    body: z.object({ currentPassword: z.string().optional() }),
    answers: { 200: S.PasskeyRemovedAnswer },
  },
  { method: 'get', path: '/two-factor/passkeys/sign-in', summary: 'The passkey sign-in page', answers: { 200: S.PasskeySignInPageAnswer } },
  {
    method: 'post',
    path: '/two-factor/passkeys/sign-in/options',
    summary: 'Options for a sign-in with any discoverable passkey of this site (user verification required)',
    answers: { 200: S.PasskeyAuthenticationOptionsAnswer },
  },
  {
    method: 'post',
    path: '/two-factor/passkeys/sign-in',
    summary: 'Sign in with a passkey alone, as good as password and second factor',
    body: z.object({ response: passkeyResponse, returnTo: z.string().optional() }),
    answers: { 200: S.PasskeySignedInAnswer },
  },
];

function id() {
  return z.number().int().positive();
}
