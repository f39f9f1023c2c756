/**
 * The JSON API's contract: what every JSON route of `au.router` and `au.userRouter` answers, as
 * zod schemas of the wire format (dates as ISO 8601 strings). From these one source come the
 * exported response types (`z.infer`), the OpenAPI 3.1 document (document.ts, served at
 * `GET <mount>/openapi.json` and shipped as `express-account-users/openapi.json`) and the test that
 * drives every route and validates every answer against that document. Objects are strict: a field
 * the handlers add without adding it here fails that test.
 */
import { z } from 'zod';
import { DELIVERY_PROBLEMS } from '../../delivery-problem.js';

/** The schemas the document lists under components, each under its id. */
export const contract = z.registry<{ id: string; description?: string }>();

const named = <T extends z.ZodType>(id: string, schema: T, description?: string): T => {
  contract.add(schema, { id, ...(description ? { description } : {}) });
  return schema;
};

const date = named('DateTime', z.iso.datetime(), 'A moment in UTC, ISO 8601 (`2026-12-31T17:00:00.000Z`).');
const id = z.number().int().positive();
const cursor = id.nullable();

export const ErrorAnswer = named(
  'Error',
  z.strictObject({
    error: z.strictObject({
      code: z.enum([
        'invalid_input',
        'unauthenticated',
        'forbidden',
        'not_found',
        'invitation_expired',
        'invitation_cancelled',
        'invitation_accepted',
        'invitation_declined',
        'link_expired',
        'link_used',
        'link_superseded',
        'link_cancelled',
        'email_mismatch',
        'email_unverified',
        'conflict',
        'second_factor_required',
        'two_factor_required',
        'step_up_required',
        'too_many_requests',
        'csrf',
        'unavailable',
      ]),
      message: z.string(),
      /** invalid_input: each refused field, named as the request named it. */
      fields: z.array(z.strictObject({ field: z.string(), message: z.string() })).optional(),
      /** too_many_requests: seconds to wait (also the Retry-After header). */
      retryAfter: z.number().int().optional(),
      /** A link or invitation that no longer works: why. */
      reason: z.enum(['expired', 'used', 'superseded', 'cancelled', 'accepted', 'declined']).optional(),
      /** second_factor_required, step_up_required: the page that takes the code (with `returnTo`). */
      verifyUrl: z.string().optional(),
      /** two_factor_required: the enrol page. */
      enrolUrl: z.string().optional(),
    }),
    /** A refused form's answer carries the session's token, as its page would. */
    csrfToken: z.string().optional(),
  }),
  'Every refusal: `code` to branch on, `message` in the request language.',
);

/** What every answer of a POST that succeeded carries besides its result. */
const done = { message: z.string(), csrfToken: z.string() };
const page = { csrfToken: z.string() };

export const Permission = named('Permission', z.strictObject({ key: z.string(), label: z.string(), description: z.string(), warning: z.string().optional() }));
export const Preset = named('Preset', z.strictObject({ key: z.string(), label: z.string(), permissions: z.array(z.string()) }));
export const Account = named(
  'Account',
  z.strictObject({
    id,
    name: z.string(),
    ownerUserId: id,
    // The account's two-factor rule, where the answer carries the account row (an accepted transfer).
    twoFactorRequired: z.boolean().optional(),
    twoFactorGraceUntil: date.nullable().optional(),
  }),
);
const AccountRef = z.strictObject({ id, name: z.string() });

export const Member = named(
  'Member',
  z.strictObject({
    userId: id,
    name: z.string(),
    email: z.string(),
    isOwner: z.boolean(),
    permissions: z.array(z.string()),
    allPermissions: z.boolean().describe('"All permissions": also every permission the host adds later (not `manageusers`).'),
    lastLoginAt: date.nullable(),
    joinedAt: date,
    accessUntil: date.nullable(),
    accessEnded: z.boolean(),
    suspended: z.boolean(),
    suspendedAt: date.nullable(),
    suspendedReason: z.string().nullable(),
  }),
);

/** A member removed within `limits.restoreWindowMs`, as the users page lists them for Restore. */
export const RemovedMember = named(
  'RemovedMember',
  z.strictObject({
    userId: id,
    name: z.string().nullable(),
    email: z.string(),
    permissions: z.array(z.string()),
    allPermissions: z.boolean().describe('"All permissions": also every permission the host adds later (not `manageusers`).'),
    accessUntil: date.nullable(),
    suspended: z.boolean(),
    removedAt: date,
    restorableUntil: date,
    loginExists: z.boolean(),
  }),
);

export const Delivery = named(
  'Delivery',
  z
    .strictObject({
      status: z.enum(['queued', 'sent', 'failing', 'not delivered']),
      attempts: z.number().int(),
      problem: z.strictObject({ code: z.enum(DELIVERY_PROBLEMS), message: z.string() }).nullable(),
      nextAttemptAt: date.nullable(),
    })
    .nullable(),
  "The invitation email's state; null in the answer of the POST that queued it (not read yet).",
);

export const Invitation = named(
  'Invitation',
  z.strictObject({
    id,
    email: z.string(),
    permissions: z.array(z.string()),
    allPermissions: z.boolean().describe('"All permissions": also every permission the host adds later (not `manageusers`).'),
    status: z.enum(['pending', 'expired', 'accepted', 'cancelled', 'declined']),
    invitedBy: id.nullable(),
    invitedBySystem: z.string().nullable(),
    accessUntil: date.nullable(),
    createdAt: date,
    sentAt: date.nullable(),
    expiresAt: date,
    delivery: Delivery,
  }),
);
const ListedInvitation = Invitation.extend({ inviterName: z.string().nullable() });

export const Membership = named(
  'Membership',
  z.strictObject({
    account: Account,
    userId: id,
    isOwner: z.boolean(),
    permissions: z.array(z.string()),
    allPermissions: z.boolean().describe('"All permissions": also every permission the host adds later (not `manageusers`).'),
    accessUntil: date.nullable(),
    accessEnded: z.boolean(),
    twoFactorEnabledAt: date.nullable(),
    twoFactorEnrolmentDue: z.boolean(),
    suspended: z.boolean(),
    suspendedReason: z.string().nullable(),
  }),
);

export const Transfer = named(
  'Transfer',
  z.strictObject({
    id,
    accountId: id,
    fromUserId: id,
    toUserId: id,
    status: z.enum(['pending', 'accepted', 'cancelled', 'declined', 'expired']),
    expiresAt: date,
    createdAt: date,
  }),
);
export const OwnershipOffer = named(
  'OwnershipOffer',
  z.strictObject({
    transfer: Transfer,
    account: AccountRef,
    from: z.strictObject({ name: z.string() }).nullable(),
    accessEnded: z.boolean(),
    accessUntil: date.nullable(),
  }),
);

export const User = named(
  'User',
  z.strictObject({
    id,
    email: z.string(),
    name: z.string(),
    lastLoginAt: date.nullable().optional(),
    previousLoginAt: date.nullable().optional().describe('The profile only: the sign-in before the latest (which is this session); null: none.'),
    emailVerified: z.boolean(),
  }),
);

export const ActivityEntry = named(
  'ActivityEntry',
  z.strictObject({
    id,
    accountId: id,
    action: z.enum([
      'invitation.sent',
      'invitation.resent',
      'invitation.updated',
      'invitation.cancelled',
      'invitation.accepted',
      'invitation.declined',
      'member.permissions_changed',
      'member.removed',
      'member.suspended',
      'member.reinstated',
      'member.restored',
      'member.left',
      'ownership.offered',
      'ownership.transferred',
      'ownership.cancelled',
      'ownership.declined',
      'roster.reconciled',
      'members.exported',
      'activity.exported',
    ]),
    actorUserId: id.nullable(),
    actorName: z.string().nullable(),
    actorEmail: z.string().nullable(),
    actorSystem: z.string().nullable(),
    subjectUserId: id.nullable(),
    subjectName: z.string().nullable(),
    subjectEmail: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    ip: z.string().nullable(),
    createdAt: date,
    changes: z.strictObject({
      granted: z.array(z.string()),
      removed: z.array(z.string()),
      permissions: z.array(z.string()).nullable(),
      accessUntil: date.nullable().optional(),
    }),
  }),
  'A user actor by `actorName` and `actorEmail`, a host job by `actorSystem`; `changes`, what the entry changed as differences.',
);

const InviteForm = z.strictObject({
  permissions: z.array(Permission),
  presets: z.array(Preset),
  checked: z.array(z.string()),
  allPermissions: z.boolean(),
  /** `applyPrevious` or `GET /invite?restore=<userId>`: whose removal `checked` comes from. */
  previous: RemovedMember.optional(),
  ...page,
});

// --- au.router's answers, one per route and status.
export const UsersPageAnswer = named(
  'UsersPageAnswer',
  z.strictObject({
    account: Account,
    members: z.array(Member),
    membersPage: z.strictObject({ next: cursor, previous: cursor }),
    invitations: z.array(ListedInvitation),
    invitationsPage: z.strictObject({ next: cursor, previous: cursor }),
    removedMembers: z.array(RemovedMember),
    filter: z.strictObject({
      q: z.string().optional(),
      permission: z.string().optional(),
      status: z.enum(['pending', 'expired', 'accepted', 'cancelled', 'declined', 'history', 'all']),
    }),
    membersSearched: z.boolean(),
    permissions: z.array(Permission),
    ...page,
  }),
);
export const InviteFormAnswer = named('InviteFormAnswer', InviteForm);
export const InviteAnswer = named(
  'InviteAnswer',
  z.strictObject({
    invitation: Invitation,
    outcome: z.enum(['sent', 'resent', 'updated', 'unchanged']),
    delivery: z.enum(['sent', 'failed', 'skipped', 'unchanged', 'not sent']),
    ...done,
  }),
);
export const InvitationDeliveryAnswer = named(
  'InvitationDeliveryAnswer',
  z.strictObject({ invitation: Invitation, delivery: z.enum(['sent', 'failed', 'skipped', 'not sent']), ...done }),
);
export const InvitationAnswer = named('InvitationAnswer', z.strictObject({ invitation: Invitation, ...done }));
export const MemberFormAnswer = named('MemberFormAnswer', z.strictObject({ member: Member, permissions: z.array(Permission), ...page }));
export const MemberAnswer = named('MemberAnswer', z.strictObject({ member: Member, ...done }));
export const PresetAppliedAnswer = named(
  'PresetAppliedAnswer',
  z.strictObject({ member: Member, checked: z.array(z.string()), allPermissions: z.boolean(), ...page }),
  'The answer to `applyPreset` (the no-JavaScript preset button): the keys the preset ticks; nothing saved.',
);
export const MemberRemoveFormAnswer = named('MemberRemoveFormAnswer', z.strictObject({ member: Member, ...page }));
export const MemberRemovedAnswer = named('MemberRemovedAnswer', z.strictObject({ removed: Member, ...done }));
export const AcceptPageAnswer = named(
  'AcceptPageAnswer',
  z.strictObject({
    invitation: z.strictObject({ email: z.string(), permissions: z.array(z.string()), expiresAt: date }),
    account: z.strictObject({ name: z.string() }),
    inviter: z.strictObject({ name: z.string() }).nullable(),
    signedIn: z.boolean(),
    emailMatches: z.boolean(),
    existingLogin: z.boolean(),
    ...page,
  }),
);
export const MembershipAnswer = named('MembershipAnswer', z.strictObject({ membership: Membership, ...done }));
export const RegisteredAnswer = named('RegisteredAnswer', z.strictObject({ user: User, membership: Membership, ...done }));
export const DeclinedByLinkAnswer = named(
  'DeclinedByLinkAnswer',
  z.strictObject({ invitation: Invitation, account: z.strictObject({ name: z.string() }), message: z.string(), ...page }),
);
export const SignedOutAnswer = named('SignedOutAnswer', z.strictObject({ signedOut: z.literal(true), ...done }));
export const AccountsAnswer = named(
  'AccountsAnswer',
  z.strictObject({
    accounts: z.array(
      z.strictObject({
        id,
        name: z.string(),
        isOwner: z.boolean(),
        active: z.boolean(),
        switchable: z.boolean(),
        accessUntil: date.nullable(),
        accessEnded: z.boolean(),
        suspended: z.boolean(),
        suspendedReason: z.string().nullable(),
        role: z.string(),
        permissionCount: z.number().int(),
        permissionLabels: z.array(z.string()).describe('What the account gives, by name in the request language ("All permissions" for the owner and for it).'),
        openUrl: z.string().nullable().describe('The active account only: where it is used (the `homeUrl` option); null for the others.'),
      }),
    ),
    activeAccountId: id.nullable(),
    invitations: z.array(
      z.strictObject({
        id,
        account: AccountRef,
        inviter: z.strictObject({ name: z.string() }).nullable(),
        permissions: z.array(z.string()),
        expiresAt: date,
      }),
    ),
    emailVerified: z.boolean(),
    ownershipOffers: z.array(OwnershipOffer),
    ...page,
  }),
);
export const DeclinedAnswer = named('DeclinedAnswer', z.strictObject({ invitation: Invitation, account: AccountRef, ...done }));
export const SwitchedAnswer = named('SwitchedAnswer', z.strictObject({ account: Account, ...done }));
export const LeftAnswer = named('LeftAnswer', z.strictObject({ left: AccountRef, ...done }));
export const ActivityAnswer = named('ActivityAnswer', z.strictObject({ entries: z.array(ActivityEntry), next: cursor, previous: cursor, ...page }));
export const TransferPageAnswer = named('TransferPageAnswer', z.strictObject({ pending: Transfer.nullable(), members: z.array(Member), ...page }));
export const TransferAnswer = named('TransferAnswer', z.strictObject({ transfer: Transfer, ...done }));
export const OwnershipOfferAnswer = named('OwnershipOfferAnswer', OwnershipOffer.extend(page));
export const OwnershipAcceptedAnswer = named('OwnershipAcceptedAnswer', z.strictObject({ account: Account, ...done }));

export const InvitationCancelFormAnswer = named('InvitationCancelFormAnswer', z.strictObject({ invitation: Invitation, ...page }));
export const DeclineLinkFormAnswer = named(
  'DeclineLinkFormAnswer',
  z.strictObject({
    invitation: z.strictObject({ email: z.string(), permissions: z.array(z.string()) }),
    account: z.strictObject({ name: z.string() }),
    ...page,
  }),
);
export const LeaveFormAnswer = named('LeaveFormAnswer', z.strictObject({ account: Account, ...page }));
export const InvitationDeclineFormAnswer = named(
  'InvitationDeclineFormAnswer',
  z.strictObject({
    invitation: z.strictObject({
      id,
      account: AccountRef,
      inviter: z.strictObject({ name: z.string() }).nullable(),
      permissions: z.array(z.string()),
      expiresAt: date,
    }),
    ...page,
  }),
);
export const TransferCancelFormAnswer = named('TransferCancelFormAnswer', z.strictObject({ pending: Transfer, ...page }));
export const OfferDeclinedAnswer = named('OfferDeclinedAnswer', z.strictObject({ transfer: Transfer, account: AccountRef, ...done }));

// Suspend, reinstate, restore (members/lifecycle).
export const MemberSuspendFormAnswer = named('MemberSuspendFormAnswer', z.strictObject({ member: Member, ...page }));
export const RestoreFormAnswer = named('RestoreFormAnswer', z.strictObject({ removed: RemovedMember, ...page }));

// Many invitations at once, the roster, the exports.
export const BulkInviteFormAnswer = named(
  'BulkInviteFormAnswer',
  z.strictObject({ max: z.number().int(), permissions: z.array(Permission), checked: z.array(z.string()), ...page }),
);
export const BulkInviteAnswer = named(
  'BulkInviteAnswer',
  z.strictObject({
    results: z.array(
      z.strictObject({
        email: z.string(),
        outcome: z.enum(['invited', 'already_member', 'already_invited', 'invalid', 'limited']),
        invitation: Invitation.optional(),
        delivery: z.enum(['sent', 'failed', 'skipped']).optional(),
      }),
    ),
    ...page,
  }),
  'One result per address, in the order given: `invitation` for `invited` and `already_invited`, `delivery` (the first attempt) for `invited`.',
);
export const RosterFormAnswer = named('RosterFormAnswer', z.strictObject({ maxRows: z.number().int(), maxBytes: z.number().int(), ...page }));
export const RosterChange = named(
  'RosterChange',
  z.strictObject({
    email: z.string(),
    kind: z.enum(['member', 'invitation']),
    row: z.number().int().optional(),
    userId: id.optional(),
    invitationId: id.optional(),
    permissions: z.array(z.string()).optional(),
    from: z.array(z.string()).optional(),
    to: z.array(z.string()).optional(),
    owner: z.boolean().optional(),
  }),
  'One line of the difference: `row`, the roster line it comes from (none for a removal); `from`/`to` for a change.',
);
const RosterChanges = z.strictObject({
  invite: z.array(RosterChange),
  change: z.array(RosterChange),
  suspend: z.array(RosterChange),
  reinstate: z.array(RosterChange),
  remove: z.array(RosterChange),
  unchanged: z.array(RosterChange),
});
const rosterDigest = z.string().describe('Names exactly the changes; send it back with `apply: true` to apply only what was shown.');
export const RosterDryRunAnswer = named(
  'RosterDryRunAnswer',
  z.strictObject({ changes: RosterChanges, applied: z.literal(false), digest: rosterDigest, ...page }),
);
export const RosterAppliedAnswer = named(
  'RosterAppliedAnswer',
  z.strictObject({ changes: RosterChanges, applied: z.literal(true), digest: rosterDigest, ...done }),
);
export const MemberExportRow = named(
  'MemberExportRow',
  z.strictObject({
    name: z.string(),
    email: z.string(),
    owner: z.boolean(),
    permissions: z.array(z.string()),
    lastSignIn: date.nullable(),
    accessUntil: date.nullable(),
    suspended: z.boolean(),
    twoFactor: z.boolean(),
  }),
);
export const MembersExport = named('MembersExport', z.strictObject({ members: z.array(MemberExportRow) }), 'The file `members.json`, streamed.');

// --- au.userRouter's answers.
const Features = z.strictObject({ password: z.boolean(), name: z.boolean(), email: z.boolean(), verify: z.boolean() });
export const ProfileAnswer = named('ProfileAnswer', z.strictObject({ user: User, features: Features, ...page }));
export const ProfileSavedAnswer = named('ProfileSavedAnswer', z.strictObject({ user: User, ...done }));
export const PasswordChangedAnswer = named(
  'PasswordChangedAnswer',
  z.strictObject({ passwordChanged: z.literal(true), otherSessionsSignedOut: z.literal(true), ...done }),
);
export const EmailChangeRequestedAnswer = named('EmailChangeRequestedAnswer', z.strictObject({ email: z.string(), confirmationSent: z.boolean(), ...done }));
export const LinkPageAnswer = named('LinkPageAnswer', z.strictObject({ email: z.string(), valid: z.literal(true), ...page }));
export const EmailConfirmedAnswer = named('EmailConfirmedAnswer', z.strictObject({ email: z.string(), confirmed: z.literal(true), ...page }));
export const VerificationAnswer = named(
  'VerificationAnswer',
  z.strictObject({ email: z.string(), emailVerified: z.boolean(), verificationSent: z.boolean(), ...done }),
);
export const VerifiedAnswer = named('VerifiedAnswer', z.strictObject({ email: z.string(), emailVerified: z.literal(true), ...done }));
export const CsrfTokenAnswer = named('CsrfTokenAnswer', z.strictObject({ ...page }));
export const ResetRequestedAnswer = named('ResetRequestedAnswer', z.strictObject({ requested: z.literal(true), ...done }));
export const ResetPageAnswer = named('ResetPageAnswer', z.strictObject({ valid: z.literal(true), ...page }));
export const PasswordResetAnswer = named('PasswordResetAnswer', z.strictObject({ passwordReset: z.literal(true), loginUrl: z.string(), ...done }));

// --- Two-factor sign-in (au.userRouter /two-factor…, au.router /security).
export const TwoFactorStatus = named(
  'TwoFactorStatus',
  z.strictObject({
    enabled: z.boolean(),
    methods: z.array(z.enum(['totp', 'passkey'])).describe('the kinds of factor the login has: an authenticator app, passkeys, both or none'),
    passkeys: z.number().int().describe('how many passkeys the login has'),
    recoveryCodesLeft: z.number().int(),
    pending: z.boolean(),
    enabledAt: date.nullable(),
  }),
);
const RememberedDevice = named(
  'RememberedDevice',
  z.strictObject({ id, label: z.string(), createdAt: date, lastUsedAt: date, expiresAt: date }),
  'A browser remembered for the second step (`twoFactor.rememberDeviceDays`).',
);
export const Passkey = named(
  'Passkey',
  z.strictObject({
    id,
    name: z.string(),
    createdAt: date,
    lastUsedAt: date.nullable(),
    backedUp: z.boolean().describe('synced by its provider (iCloud Keychain, Google Password Manager …) rather than bound to one device'),
  }),
  'A passkey (WebAuthn credential) of the login, as the person sees it (never its key).',
);
export const TwoFactorPageAnswer = named(
  'TwoFactorPageAnswer',
  z.strictObject({
    status: TwoFactorStatus,
    devices: z.array(RememberedDevice).optional().describe('only with `twoFactor.rememberDeviceDays`'),
    passkeys: z.array(Passkey).optional().describe('unless `twoFactor.passkeys` is false'),
    ...page,
  }),
);
export const TotpEnrolmentAnswer = named(
  'TotpEnrolmentAnswer',
  z.strictObject({ secret: z.string(), otpauthUrl: z.string(), qrSvg: z.string(), ...page }),
  'The secret (base32, for typing), its `otpauth://` URL and a QR code of it as SVG markup; shown during enrolment only.',
);
export const RecoveryCodesAnswer = named(
  'RecoveryCodesAnswer',
  z.strictObject({ recoveryCodes: z.array(z.string()), message: z.string().optional(), ...page }),
  'Shown this once. Empty, with `message`, when an authenticator app is added to a login that has passkeys: its codes still hold.',
);
export const TwoFactorRemovedAnswer = named('TwoFactorRemovedAnswer', z.strictObject({ removed: z.literal(true), ...done }));
export const VerifyPageAnswer = named(
  'VerifyPageAnswer',
  z.strictObject({ signingIn: z.boolean(), methods: z.array(z.enum(['totp', 'passkey'])).describe('the factors the login may give'), ...page }),
);
export const VerifiedSecondFactorAnswer = named(
  'VerifiedSecondFactorAnswer',
  z.strictObject({
    verified: z.literal(true),
    method: z.enum(['totp', 'recovery_code', 'passkey']),
    recoveryCodesLeft: z.number().int().optional(),
    returnTo: z.string(),
    ...done,
  }),
);
// Passkeys (au.userRouter /two-factor/passkeys…): the options @simplewebauthn/browser takes, as @simplewebauthn/server makes them.
const b64url = z.string().describe('base64url');
const CredentialDescriptor = z.strictObject({
  id: b64url,
  type: z.literal('public-key'),
  transports: z.array(z.enum(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'])).optional(),
});
const ExtensionInputs = z.strictObject({
  appid: z.string().optional(),
  credProps: z.boolean().optional(),
  hmacCreateSecret: z.boolean().optional(),
  minPinLength: z.boolean().optional(),
});
const Hints = z.array(z.enum(['hybrid', 'security-key', 'client-device']));
const UserVerification = z.enum(['required', 'preferred', 'discouraged']);
export const PasskeyRegistrationOptions = named(
  'PasskeyRegistrationOptions',
  z.strictObject({
    rp: z.strictObject({ id: z.string().optional(), name: z.string() }),
    user: z.strictObject({ id: b64url, name: z.string(), displayName: z.string() }),
    challenge: b64url,
    pubKeyCredParams: z.array(z.strictObject({ alg: z.number().int(), type: z.literal('public-key') })),
    timeout: z.number().int().optional(),
    excludeCredentials: z.array(CredentialDescriptor).optional(),
    authenticatorSelection: z
      .strictObject({
        authenticatorAttachment: z.enum(['cross-platform', 'platform']).optional(),
        requireResidentKey: z.boolean().optional(),
        residentKey: z.enum(['discouraged', 'preferred', 'required']).optional(),
        userVerification: UserVerification.optional(),
      })
      .optional(),
    hints: Hints.optional(),
    attestation: z.enum(['direct', 'enterprise', 'indirect', 'none']).optional(),
    attestationFormats: z.array(z.string()).optional(),
    extensions: ExtensionInputs.optional(),
  }),
  "`PublicKeyCredentialCreationOptionsJSON`: pass it to @simplewebauthn/browser's `startRegistration({ optionsJSON })`.",
);
export const PasskeyAuthenticationOptions = named(
  'PasskeyAuthenticationOptions',
  z.strictObject({
    challenge: b64url,
    timeout: z.number().int().optional(),
    rpId: z.string().optional(),
    allowCredentials: z.array(CredentialDescriptor).optional(),
    userVerification: UserVerification.optional(),
    hints: Hints.optional(),
    extensions: ExtensionInputs.optional(),
  }),
  "`PublicKeyCredentialRequestOptionsJSON`: pass it to @simplewebauthn/browser's `startAuthentication({ optionsJSON })`.",
);
export const PasskeyRegistrationOptionsAnswer = named(
  'PasskeyRegistrationOptionsAnswer',
  z.strictObject({ options: PasskeyRegistrationOptions }),
  "The challenge stays in this session (single use, 5 minutes); the next POST's CSRF token is the one the session already has.",
);
export const PasskeyAuthenticationOptionsAnswer = named(
  'PasskeyAuthenticationOptionsAnswer',
  z.strictObject({ options: PasskeyAuthenticationOptions }),
  "The challenge stays in this session (single use, 5 minutes); the next POST's CSRF token is the one the session already has.",
);
export const PasskeysAnswer = named('PasskeysAnswer', z.strictObject({ passkeys: z.array(Passkey), ...page }));
export const PasskeyRegisteredAnswer = named(
  'PasskeyRegisteredAnswer',
  z.union([z.strictObject({ passkey: Passkey, ...done }), z.strictObject({ passkey: Passkey, recoveryCodes: z.array(z.string()), ...page })]),
  "The passkey; with the login's first factor its recovery codes instead of a message, shown this once.",
);
export const PasskeyRenamedAnswer = named('PasskeyRenamedAnswer', z.strictObject({ passkey: Passkey, ...done }));
export const PasskeyRemovedAnswer = named(
  'PasskeyRemovedAnswer',
  z.strictObject({ removed: z.literal(true), twoFactorOff: z.boolean().describe('it was the login’s last factor: two-factor is off now'), ...done }),
);
export const PasskeySignInPageAnswer = named('PasskeySignInPageAnswer', z.strictObject({ returnTo: z.string().nullable(), ...page }));
export const PasskeySignedInAnswer = named(
  'PasskeySignedInAnswer',
  z.strictObject({ signedIn: z.literal(true), userId: id, returnTo: z.string(), ...done }),
  'Signed in as with password and second factor; the session has a new id.',
);

export const DevicesForgottenAnswer = named('DevicesForgottenAnswer', z.strictObject({ forgotten: z.number().int(), ...done }));
const AccountRule = z.strictObject({ required: z.boolean(), graceUntil: date.nullable() });
export const SecurityPageAnswer = named(
  'SecurityPageAnswer',
  z.strictObject({
    rule: AccountRule,
    members: z.array(z.strictObject({ userId: id, name: z.string(), email: z.string(), isOwner: z.boolean(), twoFactorEnabled: z.boolean() })),
    next: cursor,
    previous: cursor,
    ...page,
  }),
);
export const SecuritySavedAnswer = named('SecuritySavedAnswer', z.strictObject({ rule: AccountRule, ...done }));
