import type { z } from 'zod';
import type * as S from './schemas.js';

/**
 * The JSON API's answers as TypeScript types, inferred from the very schemas the OpenAPI document
 * is generated from: what `await (await fetch(…)).json()` holds, dates as ISO 8601 strings.
 */
export type JsonErrorAnswer = z.output<typeof S.ErrorAnswer>;
export type JsonPermission = z.output<typeof S.Permission>;
export type JsonPreset = z.output<typeof S.Preset>;
export type JsonAccount = z.output<typeof S.Account>;
export type JsonMember = z.output<typeof S.Member>;
export type JsonDelivery = z.output<typeof S.Delivery>;
export type JsonInvitation = z.output<typeof S.Invitation>;
export type JsonMembership = z.output<typeof S.Membership>;
export type JsonTransfer = z.output<typeof S.Transfer>;
export type JsonOwnershipOffer = z.output<typeof S.OwnershipOffer>;
export type JsonUser = z.output<typeof S.User>;
export type JsonActivityEntry = z.output<typeof S.ActivityEntry>;
export type JsonUsersPageAnswer = z.output<typeof S.UsersPageAnswer>;
export type JsonInviteFormAnswer = z.output<typeof S.InviteFormAnswer>;
export type JsonInviteAnswer = z.output<typeof S.InviteAnswer>;
export type JsonInvitationDeliveryAnswer = z.output<typeof S.InvitationDeliveryAnswer>;
export type JsonInvitationAnswer = z.output<typeof S.InvitationAnswer>;
export type JsonMemberFormAnswer = z.output<typeof S.MemberFormAnswer>;
export type JsonMemberAnswer = z.output<typeof S.MemberAnswer>;
export type JsonPresetAppliedAnswer = z.output<typeof S.PresetAppliedAnswer>;
export type JsonMemberRemoveFormAnswer = z.output<typeof S.MemberRemoveFormAnswer>;
export type JsonMemberRemovedAnswer = z.output<typeof S.MemberRemovedAnswer>;
export type JsonAcceptPageAnswer = z.output<typeof S.AcceptPageAnswer>;
export type JsonMembershipAnswer = z.output<typeof S.MembershipAnswer>;
export type JsonRegisteredAnswer = z.output<typeof S.RegisteredAnswer>;
export type JsonDeclinedByLinkAnswer = z.output<typeof S.DeclinedByLinkAnswer>;
export type JsonSignedOutAnswer = z.output<typeof S.SignedOutAnswer>;
export type JsonAccountsAnswer = z.output<typeof S.AccountsAnswer>;
export type JsonDeclinedAnswer = z.output<typeof S.DeclinedAnswer>;
export type JsonSwitchedAnswer = z.output<typeof S.SwitchedAnswer>;
export type JsonLeftAnswer = z.output<typeof S.LeftAnswer>;
export type JsonActivityAnswer = z.output<typeof S.ActivityAnswer>;
export type JsonTransferPageAnswer = z.output<typeof S.TransferPageAnswer>;
export type JsonTransferAnswer = z.output<typeof S.TransferAnswer>;
export type JsonOwnershipOfferAnswer = z.output<typeof S.OwnershipOfferAnswer>;
export type JsonOwnershipAcceptedAnswer = z.output<typeof S.OwnershipAcceptedAnswer>;
export type JsonProfileAnswer = z.output<typeof S.ProfileAnswer>;
export type JsonProfileSavedAnswer = z.output<typeof S.ProfileSavedAnswer>;
export type JsonPasswordChangedAnswer = z.output<typeof S.PasswordChangedAnswer>;
export type JsonEmailChangeRequestedAnswer = z.output<typeof S.EmailChangeRequestedAnswer>;
export type JsonLinkPageAnswer = z.output<typeof S.LinkPageAnswer>;
export type JsonEmailConfirmedAnswer = z.output<typeof S.EmailConfirmedAnswer>;
export type JsonVerificationAnswer = z.output<typeof S.VerificationAnswer>;
export type JsonVerifiedAnswer = z.output<typeof S.VerifiedAnswer>;
export type JsonCsrfTokenAnswer = z.output<typeof S.CsrfTokenAnswer>;
export type JsonResetRequestedAnswer = z.output<typeof S.ResetRequestedAnswer>;
export type JsonResetPageAnswer = z.output<typeof S.ResetPageAnswer>;
export type JsonPasswordResetAnswer = z.output<typeof S.PasswordResetAnswer>;
