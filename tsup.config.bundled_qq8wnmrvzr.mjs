// tsup.config.ts
import { readFile, writeFile } from "node:fs/promises";
import { defineConfig } from "tsup";

// lib/http/json-api/document.ts
import { z as z3 } from "zod";

// lib/http/json-api/schemas.ts
import { z } from "zod";

// lib/delivery-problem.ts
var DELIVERY_PROBLEMS = ["unreachable", "insecure", "refused_login", "refused_address", "refused_message", "try_later", "not_sent"];

// lib/http/json-api/schemas.ts
var contract = z.registry();
var named = (id3, schema, description) => {
  contract.add(schema, { id: id3, ...description ? { description } : {} });
  return schema;
};
var date = named("DateTime", z.iso.datetime(), "A moment in UTC, ISO 8601 (`2026-12-31T17:00:00.000Z`).");
var id = z.number().int().positive();
var cursor = id.nullable();
var ErrorAnswer = named(
  "Error",
  z.strictObject({
    error: z.strictObject({
      code: z.enum([
        "invalid_input",
        "unauthenticated",
        "forbidden",
        "not_found",
        "invitation_expired",
        "invitation_cancelled",
        "invitation_accepted",
        "invitation_declined",
        "link_expired",
        "link_used",
        "link_superseded",
        "link_cancelled",
        "email_mismatch",
        "email_unverified",
        "conflict",
        "too_many_requests",
        "csrf",
        "unavailable"
      ]),
      message: z.string(),
      /** invalid_input: each refused field, named as the request named it. */
      fields: z.array(z.strictObject({ field: z.string(), message: z.string() })).optional(),
      /** too_many_requests: seconds to wait (also the Retry-After header). */
      retryAfter: z.number().int().optional(),
      /** A link or invitation that no longer works: why. */
      reason: z.enum(["expired", "used", "superseded", "cancelled", "accepted", "declined"]).optional()
    }),
    /** A refused form's answer carries the session's token, as its page would. */
    csrfToken: z.string().optional()
  }),
  "Every refusal: `code` to branch on, `message` in the request language."
);
var done = { message: z.string(), csrfToken: z.string() };
var page = { csrfToken: z.string() };
var Permission = named("Permission", z.strictObject({ key: z.string(), label: z.string(), description: z.string(), warning: z.string().optional() }));
var Preset = named("Preset", z.strictObject({ key: z.string(), label: z.string(), permissions: z.array(z.string()) }));
var Account = named(
  "Account",
  z.strictObject({
    id,
    name: z.string(),
    ownerUserId: id,
    // The account's two-factor rule, where the answer carries the account row (an accepted transfer).
    twoFactorRequired: z.boolean().optional(),
    twoFactorGraceUntil: date.nullable().optional()
  })
);
var AccountRef = z.strictObject({ id, name: z.string() });
var Member = named(
  "Member",
  z.strictObject({
    userId: id,
    name: z.string(),
    email: z.string(),
    isOwner: z.boolean(),
    permissions: z.array(z.string()),
    lastLoginAt: date.nullable(),
    joinedAt: date,
    accessUntil: date.nullable(),
    accessEnded: z.boolean(),
    suspended: z.boolean(),
    suspendedAt: date.nullable(),
    suspendedReason: z.string().nullable()
  })
);
var RemovedMember = named(
  "RemovedMember",
  z.strictObject({
    userId: id,
    name: z.string().nullable(),
    email: z.string(),
    permissions: z.array(z.string()),
    accessUntil: date.nullable(),
    suspended: z.boolean(),
    removedAt: date,
    restorableUntil: date,
    loginExists: z.boolean()
  })
);
var Delivery = named(
  "Delivery",
  z.strictObject({
    status: z.enum(["queued", "sent", "failing", "not delivered"]),
    attempts: z.number().int(),
    problem: z.strictObject({ code: z.enum(DELIVERY_PROBLEMS), message: z.string() }).nullable(),
    nextAttemptAt: date.nullable()
  }).nullable(),
  "The invitation email's state; null in the answer of the POST that queued it (not read yet)."
);
var Invitation = named(
  "Invitation",
  z.strictObject({
    id,
    email: z.string(),
    permissions: z.array(z.string()),
    status: z.enum(["pending", "expired", "accepted", "cancelled", "declined"]),
    invitedBy: id.nullable(),
    invitedBySystem: z.string().nullable(),
    accessUntil: date.nullable(),
    createdAt: date,
    sentAt: date.nullable(),
    expiresAt: date,
    delivery: Delivery
  })
);
var ListedInvitation = Invitation.extend({ inviterName: z.string().nullable() });
var Membership = named(
  "Membership",
  z.strictObject({
    account: Account,
    userId: id,
    isOwner: z.boolean(),
    permissions: z.array(z.string()),
    accessUntil: date.nullable(),
    accessEnded: z.boolean(),
    twoFactorEnabledAt: date.nullable(),
    twoFactorEnrolmentDue: z.boolean(),
    suspended: z.boolean(),
    suspendedReason: z.string().nullable()
  })
);
var Transfer = named(
  "Transfer",
  z.strictObject({
    id,
    accountId: id,
    fromUserId: id,
    toUserId: id,
    status: z.enum(["pending", "accepted", "cancelled", "declined", "expired"]),
    expiresAt: date,
    createdAt: date
  })
);
var OwnershipOffer = named(
  "OwnershipOffer",
  z.strictObject({
    transfer: Transfer,
    account: AccountRef,
    from: z.strictObject({ name: z.string() }).nullable(),
    accessEnded: z.boolean(),
    accessUntil: date.nullable()
  })
);
var User = named(
  "User",
  z.strictObject({ id, email: z.string(), name: z.string(), lastLoginAt: date.nullable().optional(), emailVerified: z.boolean() })
);
var ActivityEntry = named(
  "ActivityEntry",
  z.strictObject({
    id,
    accountId: id,
    action: z.enum([
      "invitation.sent",
      "invitation.resent",
      "invitation.updated",
      "invitation.cancelled",
      "invitation.accepted",
      "invitation.declined",
      "member.permissions_changed",
      "member.removed",
      "member.suspended",
      "member.reinstated",
      "member.restored",
      "member.left",
      "ownership.offered",
      "ownership.transferred",
      "ownership.cancelled",
      "ownership.declined",
      "roster.reconciled"
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
      accessUntil: date.nullable().optional()
    })
  }),
  "A user actor by `actorName` and `actorEmail`, a host job by `actorSystem`; `changes`, what the entry changed as differences."
);
var InviteForm = z.strictObject({ permissions: z.array(Permission), presets: z.array(Preset), checked: z.array(z.string()), ...page });
var UsersPageAnswer = named(
  "UsersPageAnswer",
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
      status: z.enum(["pending", "expired", "accepted", "cancelled", "declined", "history", "all"])
    }),
    membersSearched: z.boolean(),
    permissions: z.array(Permission),
    ...page
  })
);
var InviteFormAnswer = named("InviteFormAnswer", InviteForm);
var InviteAnswer = named(
  "InviteAnswer",
  z.strictObject({
    invitation: Invitation,
    outcome: z.enum(["sent", "resent", "updated", "unchanged"]),
    delivery: z.enum(["sent", "failed", "skipped", "unchanged", "not sent"]),
    ...done
  })
);
var InvitationDeliveryAnswer = named(
  "InvitationDeliveryAnswer",
  z.strictObject({ invitation: Invitation, delivery: z.enum(["sent", "failed", "skipped", "not sent"]), ...done })
);
var InvitationAnswer = named("InvitationAnswer", z.strictObject({ invitation: Invitation, ...done }));
var MemberFormAnswer = named("MemberFormAnswer", z.strictObject({ member: Member, permissions: z.array(Permission), ...page }));
var MemberAnswer = named("MemberAnswer", z.strictObject({ member: Member, ...done }));
var PresetAppliedAnswer = named(
  "PresetAppliedAnswer",
  z.strictObject({ member: Member, checked: z.array(z.string()), ...page }),
  "The answer to `applyPreset` (the no-JavaScript preset button): the keys the preset ticks; nothing saved."
);
var MemberRemoveFormAnswer = named("MemberRemoveFormAnswer", z.strictObject({ member: Member, ...page }));
var MemberRemovedAnswer = named("MemberRemovedAnswer", z.strictObject({ removed: Member, ...done }));
var AcceptPageAnswer = named(
  "AcceptPageAnswer",
  z.strictObject({
    invitation: z.strictObject({ email: z.string(), permissions: z.array(z.string()), expiresAt: date }),
    account: z.strictObject({ name: z.string() }),
    inviter: z.strictObject({ name: z.string() }).nullable(),
    signedIn: z.boolean(),
    emailMatches: z.boolean(),
    existingLogin: z.boolean(),
    ...page
  })
);
var MembershipAnswer = named("MembershipAnswer", z.strictObject({ membership: Membership, ...done }));
var RegisteredAnswer = named("RegisteredAnswer", z.strictObject({ user: User, membership: Membership, ...done }));
var DeclinedByLinkAnswer = named(
  "DeclinedByLinkAnswer",
  z.strictObject({ invitation: Invitation, account: z.strictObject({ name: z.string() }), message: z.string(), ...page })
);
var SignedOutAnswer = named("SignedOutAnswer", z.strictObject({ signedOut: z.literal(true), ...done }));
var AccountsAnswer = named(
  "AccountsAnswer",
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
        permissionCount: z.number().int()
      })
    ),
    activeAccountId: id.nullable(),
    invitations: z.array(
      z.strictObject({
        id,
        account: AccountRef,
        inviter: z.strictObject({ name: z.string() }).nullable(),
        permissions: z.array(z.string()),
        expiresAt: date
      })
    ),
    emailVerified: z.boolean(),
    ownershipOffers: z.array(OwnershipOffer),
    ...page
  })
);
var DeclinedAnswer = named("DeclinedAnswer", z.strictObject({ invitation: Invitation, account: AccountRef, ...done }));
var SwitchedAnswer = named("SwitchedAnswer", z.strictObject({ account: Account, ...done }));
var LeftAnswer = named("LeftAnswer", z.strictObject({ left: AccountRef, ...done }));
var ActivityAnswer = named("ActivityAnswer", z.strictObject({ entries: z.array(ActivityEntry), next: cursor, previous: cursor, ...page }));
var TransferPageAnswer = named("TransferPageAnswer", z.strictObject({ pending: Transfer.nullable(), members: z.array(Member), ...page }));
var TransferAnswer = named("TransferAnswer", z.strictObject({ transfer: Transfer, ...done }));
var OwnershipOfferAnswer = named("OwnershipOfferAnswer", OwnershipOffer.extend(page));
var OwnershipAcceptedAnswer = named("OwnershipAcceptedAnswer", z.strictObject({ account: Account, ...done }));
var Features = z.strictObject({ password: z.boolean(), name: z.boolean(), email: z.boolean(), verify: z.boolean() });
var ProfileAnswer = named("ProfileAnswer", z.strictObject({ user: User, features: Features, ...page }));
var ProfileSavedAnswer = named("ProfileSavedAnswer", z.strictObject({ user: User, ...done }));
var PasswordChangedAnswer = named(
  "PasswordChangedAnswer",
  z.strictObject({ passwordChanged: z.literal(true), otherSessionsSignedOut: z.literal(true), ...done })
);
var EmailChangeRequestedAnswer = named("EmailChangeRequestedAnswer", z.strictObject({ email: z.string(), confirmationSent: z.boolean(), ...done }));
var LinkPageAnswer = named("LinkPageAnswer", z.strictObject({ email: z.string(), valid: z.literal(true), ...page }));
var EmailConfirmedAnswer = named("EmailConfirmedAnswer", z.strictObject({ email: z.string(), confirmed: z.literal(true), ...page }));
var VerificationAnswer = named(
  "VerificationAnswer",
  z.strictObject({ email: z.string(), emailVerified: z.boolean(), verificationSent: z.boolean(), ...done })
);
var VerifiedAnswer = named("VerifiedAnswer", z.strictObject({ email: z.string(), emailVerified: z.literal(true), ...done }));
var CsrfTokenAnswer = named("CsrfTokenAnswer", z.strictObject({ ...page }));
var ResetRequestedAnswer = named("ResetRequestedAnswer", z.strictObject({ requested: z.literal(true), ...done }));
var ResetPageAnswer = named("ResetPageAnswer", z.strictObject({ valid: z.literal(true), ...page }));
var PasswordResetAnswer = named("PasswordResetAnswer", z.strictObject({ passwordReset: z.literal(true), loginUrl: z.string(), ...done }));

// lib/http/json-api/routes.ts
import { z as z2 } from "zod";
var keys = z2.array(z2.string()).describe("permission keys of the catalogue");
var moment = z2.string().describe("ISO 8601 date-time with its zone, or a date alone (the end of that day in UTC)");
var ERRORS = [400, 401, 403, 404, 409, 410, 429, 503];
var ROUTER_ROUTES = [
  { method: "get", path: "/openapi.json", summary: "This document", answers: { 200: z2.object({}).passthrough() } },
  {
    method: "get",
    path: "/",
    summary: "User management: members (the owner first) and invitations, 50 at a time",
    query: { membersAfter: "cursor", membersBefore: "cursor", invitationsAfter: "cursor", invitationsBefore: "cursor" },
    answers: { 200: UsersPageAnswer }
  },
  { method: "get", path: "/invite", summary: "What the invite form offers", answers: { 200: InviteFormAnswer } },
  {
    method: "post",
    path: "/invite",
    summary: "Invite by email",
    body: z2.object({ email: z2.string(), permissions: keys.optional(), preset: z2.string().optional(), accessUntil: moment.optional() }),
    answers: { 201: InviteAnswer, 200: z2.union([InviteAnswer, InviteFormAnswer]) }
  },
  {
    method: "post",
    path: "/invitations/{id}/resend",
    summary: "Send a pending, expired or declined invitation again",
    answers: { 200: InvitationDeliveryAnswer }
  },
  { method: "post", path: "/invitations/{id}/cancel", summary: "Cancel a pending invitation", answers: { 200: InvitationAnswer } },
  { method: "get", path: "/users/{userId}", summary: "A member and the permissions the caller may grant", answers: { 200: MemberFormAnswer } },
  {
    method: "post",
    path: "/users/{userId}/permissions",
    summary: "Set a member's permissions and when their access ends",
    body: z2.object({ permissions: keys.optional(), preset: z2.string().optional(), accessUntil: moment.nullable().optional() }),
    answers: { 200: z2.union([MemberAnswer, PresetAppliedAnswer]) }
  },
  { method: "get", path: "/users/{userId}/remove", summary: "The member a removal would remove", answers: { 200: MemberRemoveFormAnswer } },
  { method: "post", path: "/users/{userId}/remove", summary: "Remove a member", answers: { 200: MemberRemovedAnswer } },
  { method: "get", path: "/accept/{token}", summary: "An invitation link's page; changes nothing", answers: { 200: AcceptPageAnswer } },
  { method: "post", path: "/accept/{token}", summary: "The signed-in user accepts", answers: { 200: MembershipAnswer } },
  {
    method: "post",
    path: "/accept/{token}/register",
    summary: "A visitor creates a login with the invited address and accepts (and is signed in)",
    body: z2.object({ name: z2.string(), password: z2.string() }),
    answers: { 201: RegisteredAnswer }
  },
  { method: "post", path: "/accept/{token}/decline", summary: "The invitee declines, signed in or not", answers: { 200: DeclinedByLinkAnswer } },
  { method: "post", path: "/accept/{token}/signout", summary: 'Sign out (from the "sent to another address" page)', answers: { 200: SignedOutAnswer } },
  { method: "get", path: "/accounts", summary: "The signed-in user's accounts, waiting invitations and ownership offers", answers: { 200: AccountsAnswer } },
  {
    method: "post",
    path: "/accounts/switch",
    summary: "Make another account the active one",
    body: z2.object({ accountId: z2.union([id2(), z2.string()]) }),
    answers: { 200: SwitchedAnswer }
  },
  { method: "post", path: "/accounts/{accountId}/leave", summary: "Leave an account", answers: { 200: LeftAnswer } },
  {
    method: "post",
    path: "/accounts/invitations/{invitationId}/accept",
    summary: "Accept an invitation to the own address in the app",
    answers: { 200: MembershipAnswer }
  },
  {
    method: "post",
    path: "/accounts/invitations/{invitationId}/decline",
    summary: "Decline an invitation to the own address in the app",
    answers: { 200: DeclinedAnswer }
  },
  {
    method: "get",
    path: "/activity",
    summary: "The account's activity, newest first, 50 at a time",
    query: { after: "cursor", before: "cursor" },
    answers: { 200: ActivityAnswer }
  },
  { method: "get", path: "/transfer", summary: "The standing ownership offer and the users it may be made to", answers: { 200: TransferPageAnswer } },
  {
    method: "post",
    path: "/transfer",
    summary: "Offer ownership to a user of the account",
    body: z2.object({ userId: z2.union([id2(), z2.string()]), currentPassword: z2.string() }),
    answers: { 201: TransferAnswer }
  },
  { method: "post", path: "/transfer/cancel", summary: "Withdraw the standing offer", answers: { 200: TransferAnswer } },
  { method: "get", path: "/transfer/{token}", summary: "An ownership offer, for the user it was made to", answers: { 200: OwnershipOfferAnswer } },
  { method: "post", path: "/transfer/{token}", summary: "Accept an ownership offer", answers: { 200: OwnershipAcceptedAnswer } }
];
var USER_ROUTER_ROUTES = [
  { method: "get", path: "/openapi.json", summary: "This document", answers: { 200: z2.object({}).passthrough() } },
  { method: "get", path: "/profile", summary: "The signed-in login and what it may change", answers: { 200: ProfileAnswer } },
  { method: "post", path: "/profile", summary: "Change the name", body: z2.object({ name: z2.string() }), answers: { 200: ProfileSavedAnswer } },
  {
    method: "post",
    path: "/password",
    summary: "Change the password; other sessions are signed out",
    body: z2.object({ currentPassword: z2.string(), newPassword: z2.string() }),
    answers: { 200: PasswordChangedAnswer }
  },
  {
    method: "post",
    path: "/email",
    summary: "Ask to move the login to another address (a link goes there)",
    body: z2.object({ email: z2.string(), currentPassword: z2.string() }),
    answers: { 202: EmailChangeRequestedAnswer }
  },
  { method: "get", path: "/email/confirm/{token}", summary: "The address a confirmation link would move the login to", answers: { 200: LinkPageAnswer } },
  { method: "post", path: "/email/confirm/{token}", summary: "Confirm the new address", answers: { 200: EmailConfirmedAnswer } },
  {
    method: "post",
    path: "/email/verify",
    summary: "Send a verification link to the login's own address",
    body: z2.object({ returnTo: z2.string().optional() }),
    answers: { 202: VerificationAnswer, 200: VerificationAnswer }
  },
  { method: "get", path: "/email/verify/{token}", summary: "A verification link's page", answers: { 200: LinkPageAnswer } },
  { method: "post", path: "/email/verify/{token}", summary: "Verify the address", answers: { 200: VerifiedAnswer } },
  { method: "get", path: "/password/forgot", summary: "A CSRF token for the form", answers: { 200: CsrfTokenAnswer } },
  {
    method: "post",
    path: "/password/forgot",
    summary: "Ask for a reset link (the same answer for every address)",
    body: z2.object({ email: z2.string() }),
    answers: { 202: ResetRequestedAnswer }
  },
  { method: "get", path: "/password/reset/{token}", summary: "A reset link's page", answers: { 200: ResetPageAnswer } },
  {
    method: "post",
    path: "/password/reset/{token}",
    summary: "Set a new password",
    body: z2.object({ password: z2.string() }),
    answers: { 200: PasswordResetAnswer }
  }
];
function id2() {
  return z2.number().int().positive();
}

// lib/http/json-api/document.ts
var REF = (id3) => `#/components/schemas/${id3}`;
function componentSchemas() {
  const { schemas } = z3.toJSONSchema(contract, { uri: REF, io: "output", unrepresentable: "any" });
  const out = {};
  for (const [id3, schema] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, ...rest } = schema;
    out[id3] = rest;
  }
  return out;
}
function answerSchema(schema) {
  const id3 = contract.get(schema)?.id;
  if (id3) return { $ref: REF(id3) };
  if (schema instanceof z3.ZodUnion) return { anyOf: schema.options.map(answerSchema) };
  const { $schema: _s, ...rest } = z3.toJSONSchema(schema, { io: "output", unrepresentable: "any" });
  return rest;
}
function inline(schema) {
  const { $schema: _s, ...rest } = z3.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  return rest;
}
function operation(route, tag) {
  const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
  const query = Object.keys(route.query ?? {}).map((name) => ({ name, in: "query", required: false, schema: { type: "integer", minimum: 1 } }));
  const responses = {};
  for (const [status, schema] of Object.entries(route.answers)) {
    responses[status] = { description: status.startsWith("2") ? "Done" : "Refused", content: { "application/json": { schema: answerSchema(schema) } } };
  }
  for (const status of ERRORS) {
    responses[String(status)] ??= { $ref: "#/components/responses/Refused" };
  }
  return {
    tags: [tag],
    summary: route.summary,
    operationId: `${route.method}${tag}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c) => c ? c.toUpperCase() : "")}`,
    ...params.length || query.length ? { parameters: [...params, ...query] } : {},
    ...route.body ? { requestBody: { required: true, content: { "application/json": { schema: inline(route.body) } } } } : {},
    ...route.method === "post" ? { security: [{ session: [], csrf: [] }] } : { security: [{ session: [] }, {}] },
    responses
  };
}
function openApiDocument(mounts, version) {
  const paths = {};
  const add = (mount, routes, tag) => {
    for (const route of routes) {
      const path = `${mount}${route.path === "/" ? "/" : route.path}`;
      (paths[path] ??= {})[route.method] = operation(route, tag);
    }
  };
  add(mounts.mountPath, ROUTER_ROUTES, "Router");
  add(mounts.userMountPath, USER_ROUTER_ROUTES, "UserRouter");
  return {
    openapi: "3.1.0",
    info: {
      title: "express-account-users JSON API",
      version,
      description: "The JSON routes of au.router and au.userRouter (docs/json-api.md). A request gets JSON when it sends a JSON body or `Accept: application/json`. Every POST sends the session's CSRF token in `x-csrf-token`; every answer of a page and of a POST that succeeded carries the current one in `csrfToken`."
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    tags: [
      { name: "Router", description: `au.router, mounted at ${mounts.mountPath}` },
      { name: "UserRouter", description: `au.userRouter, mounted at ${mounts.userMountPath}` }
    ],
    paths,
    components: {
      schemas: componentSchemas(),
      responses: {
        Refused: {
          description: "Refused: see the error table of docs/json-api.md",
          content: { "application/json": { schema: { $ref: REF(contract.get(ErrorAnswer).id) } } }
        }
      },
      securitySchemes: {
        session: {
          type: "apiKey",
          in: "cookie",
          name: "connect.sid",
          description: "The host's session cookie (its name is the host's express-session `name`)."
        },
        csrf: { type: "apiKey", in: "header", name: "x-csrf-token", description: "The `csrfToken` of the latest answer." }
      }
    }
  };
}

// tsup.config.ts
var tsup_config_default = defineConfig({
  entry: { index: "lib/index.ts", migrations: "lib/migrations.ts" },
  format: ["esm", "cjs"],
  dts: true,
  // The CommonJS build gets a shim for import.meta.url (used to find the views folder).
  shims: true,
  target: "node20",
  platform: "node",
  outDir: "dist",
  clean: true,
  // Not shipped: the sources are not in the package, and the bundle is readable as it is.
  sourcemap: false,
  // One shared chunk: the two entries share the error classes, so `instanceof OptionsError` holds across them.
  splitting: true,
  treeshake: false,
  // The JSON API's OpenAPI document, shipped as `express-account-users/openapi.json`, its paths
  // under the default mounts (a host's routers serve it with their own at GET <mount>/openapi.json).
  onSuccess: async () => {
    const { version } = JSON.parse(await readFile("package.json", "utf8"));
    await writeFile("dist/openapi.json", `${JSON.stringify(openApiDocument({ mountPath: "/account/users", userMountPath: "/user" }, version), null, 2)}
`);
  }
});
export {
  tsup_config_default as default
};
//# sourceMappingURL=data:application/json;base64,ewogICJ2ZXJzaW9uIjogMywKICAic291cmNlcyI6IFsidHN1cC5jb25maWcudHMiLCAibGliL2h0dHAvanNvbi1hcGkvZG9jdW1lbnQudHMiLCAibGliL2h0dHAvanNvbi1hcGkvc2NoZW1hcy50cyIsICJsaWIvZGVsaXZlcnktcHJvYmxlbS50cyIsICJsaWIvaHR0cC9qc29uLWFwaS9yb3V0ZXMudHMiXSwKICAic291cmNlc0NvbnRlbnQiOiBbImNvbnN0IF9faW5qZWN0ZWRfZmlsZW5hbWVfXyA9IFwiL3dvcmsvd3QtaG91c2UvdHN1cC5jb25maWcudHNcIjtjb25zdCBfX2luamVjdGVkX2Rpcm5hbWVfXyA9IFwiL3dvcmsvd3QtaG91c2VcIjtjb25zdCBfX2luamVjdGVkX2ltcG9ydF9tZXRhX3VybF9fID0gXCJmaWxlOi8vL3dvcmsvd3QtaG91c2UvdHN1cC5jb25maWcudHNcIjtpbXBvcnQgeyByZWFkRmlsZSwgd3JpdGVGaWxlIH0gZnJvbSAnbm9kZTpmcy9wcm9taXNlcyc7XG5pbXBvcnQgeyBkZWZpbmVDb25maWcgfSBmcm9tICd0c3VwJztcbmltcG9ydCB7IG9wZW5BcGlEb2N1bWVudCB9IGZyb20gJy4vbGliL2h0dHAvanNvbi1hcGkvZG9jdW1lbnQuanMnO1xuXG4vLyBPbmUgRVNNIGFuZCBvbmUgQ29tbW9uSlMgYnVpbGQgb2YgZWFjaCBwdWJsaWMgZW50cnksIGVhY2ggd2l0aCBpdHMgb3duIGRlY2xhcmF0aW9uc1xuLy8gKC5kLnRzIGZvciBpbXBvcnQsIC5kLmN0cyBmb3IgcmVxdWlyZSksIHNvIHRoYXQgYGltcG9ydGAgYW5kIGByZXF1aXJlKClgIGJvdGggbG9hZCB0aGVcbi8vIGtpdCB3aXRoIGNvcnJlY3QgdHlwZXMgdW5kZXIgZXZlcnkgbW9kdWxlUmVzb2x1dGlvbiBhIGhvc3QgbWF5IHVzZS5cbmV4cG9ydCBkZWZhdWx0IGRlZmluZUNvbmZpZyh7XG4gIGVudHJ5OiB7IGluZGV4OiAnbGliL2luZGV4LnRzJywgbWlncmF0aW9uczogJ2xpYi9taWdyYXRpb25zLnRzJyB9LFxuICBmb3JtYXQ6IFsnZXNtJywgJ2NqcyddLFxuICBkdHM6IHRydWUsXG4gIC8vIFRoZSBDb21tb25KUyBidWlsZCBnZXRzIGEgc2hpbSBmb3IgaW1wb3J0Lm1ldGEudXJsICh1c2VkIHRvIGZpbmQgdGhlIHZpZXdzIGZvbGRlcikuXG4gIHNoaW1zOiB0cnVlLFxuICB0YXJnZXQ6ICdub2RlMjAnLFxuICBwbGF0Zm9ybTogJ25vZGUnLFxuICBvdXREaXI6ICdkaXN0JyxcbiAgY2xlYW46IHRydWUsXG4gIC8vIE5vdCBzaGlwcGVkOiB0aGUgc291cmNlcyBhcmUgbm90IGluIHRoZSBwYWNrYWdlLCBhbmQgdGhlIGJ1bmRsZSBpcyByZWFkYWJsZSBhcyBpdCBpcy5cbiAgc291cmNlbWFwOiBmYWxzZSxcbiAgLy8gT25lIHNoYXJlZCBjaHVuazogdGhlIHR3byBlbnRyaWVzIHNoYXJlIHRoZSBlcnJvciBjbGFzc2VzLCBzbyBgaW5zdGFuY2VvZiBPcHRpb25zRXJyb3JgIGhvbGRzIGFjcm9zcyB0aGVtLlxuICBzcGxpdHRpbmc6IHRydWUsXG4gIHRyZWVzaGFrZTogZmFsc2UsXG4gIC8vIFRoZSBKU09OIEFQSSdzIE9wZW5BUEkgZG9jdW1lbnQsIHNoaXBwZWQgYXMgYGV4cHJlc3MtYWNjb3VudC11c2Vycy9vcGVuYXBpLmpzb25gLCBpdHMgcGF0aHNcbiAgLy8gdW5kZXIgdGhlIGRlZmF1bHQgbW91bnRzIChhIGhvc3QncyByb3V0ZXJzIHNlcnZlIGl0IHdpdGggdGhlaXIgb3duIGF0IEdFVCA8bW91bnQ+L29wZW5hcGkuanNvbikuXG4gIG9uU3VjY2VzczogYXN5bmMgKCkgPT4ge1xuICAgIGNvbnN0IHsgdmVyc2lvbiB9ID0gSlNPTi5wYXJzZShhd2FpdCByZWFkRmlsZSgncGFja2FnZS5qc29uJywgJ3V0ZjgnKSkgYXMgeyB2ZXJzaW9uOiBzdHJpbmcgfTtcbiAgICBhd2FpdCB3cml0ZUZpbGUoJ2Rpc3Qvb3BlbmFwaS5qc29uJywgYCR7SlNPTi5zdHJpbmdpZnkob3BlbkFwaURvY3VtZW50KHsgbW91bnRQYXRoOiAnL2FjY291bnQvdXNlcnMnLCB1c2VyTW91bnRQYXRoOiAnL3VzZXInIH0sIHZlcnNpb24pLCBudWxsLCAyKX1cXG5gKTtcbiAgfSxcbn0pO1xuIiwgImNvbnN0IF9faW5qZWN0ZWRfZmlsZW5hbWVfXyA9IFwiL3dvcmsvd3QtaG91c2UvbGliL2h0dHAvanNvbi1hcGkvZG9jdW1lbnQudHNcIjtjb25zdCBfX2luamVjdGVkX2Rpcm5hbWVfXyA9IFwiL3dvcmsvd3QtaG91c2UvbGliL2h0dHAvanNvbi1hcGlcIjtjb25zdCBfX2luamVjdGVkX2ltcG9ydF9tZXRhX3VybF9fID0gXCJmaWxlOi8vL3dvcmsvd3QtaG91c2UvbGliL2h0dHAvanNvbi1hcGkvZG9jdW1lbnQudHNcIjtpbXBvcnQgeyB6IH0gZnJvbSAnem9kJztcbmltcG9ydCB7IGNvbnRyYWN0LCBFcnJvckFuc3dlciB9IGZyb20gJy4vc2NoZW1hcy5qcyc7XG5pbXBvcnQgeyBFUlJPUlMsIFJPVVRFUl9ST1VURVMsIFVTRVJfUk9VVEVSX1JPVVRFUywgdHlwZSBKc29uUm91dGUgfSBmcm9tICcuL3JvdXRlcy5qcyc7XG5cbmV4cG9ydCBpbnRlcmZhY2UgT3BlbkFwaURvY3VtZW50IHtcbiAgb3BlbmFwaTogJzMuMS4wJztcbiAgaW5mbzogeyB0aXRsZTogc3RyaW5nOyB2ZXJzaW9uOiBzdHJpbmc7IGRlc2NyaXB0aW9uOiBzdHJpbmcgfTtcbiAgcGF0aHM6IFJlY29yZDxzdHJpbmcsIFJlY29yZDxzdHJpbmcsIHVua25vd24+PjtcbiAgY29tcG9uZW50czogeyBzY2hlbWFzOiBSZWNvcmQ8c3RyaW5nLCB1bmtub3duPjsgcmVzcG9uc2VzOiBSZWNvcmQ8c3RyaW5nLCB1bmtub3duPjsgc2VjdXJpdHlTY2hlbWVzOiBSZWNvcmQ8c3RyaW5nLCB1bmtub3duPiB9O1xuICBba2V5OiBzdHJpbmddOiB1bmtub3duO1xufVxuXG5jb25zdCBSRUYgPSAoaWQ6IHN0cmluZykgPT4gYCMvY29tcG9uZW50cy9zY2hlbWFzLyR7aWR9YDtcblxuLyoqIFRoZSBjb21wb25lbnQgc2NoZW1hcywgZWFjaCB3aXRob3V0IHRoZSBgJHNjaGVtYWAvYCRpZGAgem9kIHB1dHMgb24gYSBzdGFuZGFsb25lIHNjaGVtYS4gKi9cbmZ1bmN0aW9uIGNvbXBvbmVudFNjaGVtYXMoKTogUmVjb3JkPHN0cmluZywgdW5rbm93bj4ge1xuICBjb25zdCB7IHNjaGVtYXMgfSA9IHoudG9KU09OU2NoZW1hKGNvbnRyYWN0LCB7IHVyaTogUkVGLCBpbzogJ291dHB1dCcsIHVucmVwcmVzZW50YWJsZTogJ2FueScgfSk7XG4gIGNvbnN0IG91dDogUmVjb3JkPHN0cmluZywgdW5rbm93bj4gPSB7fTtcbiAgZm9yIChjb25zdCBbaWQsIHNjaGVtYV0gb2YgT2JqZWN0LmVudHJpZXMoc2NoZW1hcykpIHtcbiAgICBjb25zdCB7ICRzY2hlbWE6IF9zLCAkaWQ6IF9pLCAuLi5yZXN0IH0gPSBzY2hlbWEgYXMgUmVjb3JkPHN0cmluZywgdW5rbm93bj47XG4gICAgb3V0W2lkXSA9IHJlc3Q7XG4gIH1cbiAgcmV0dXJuIG91dDtcbn1cblxuLyoqIEFuIGFuc3dlcidzIHNjaGVtYTogYSByZWZlcmVuY2UgdG8gaXRzIGNvbXBvbmVudCwgb3IgYGFueU9mYCByZWZlcmVuY2VzIGZvciBhIHVuaW9uIG9mIHRoZW0uICovXG5mdW5jdGlvbiBhbnN3ZXJTY2hlbWEoc2NoZW1hOiB6LlpvZFR5cGUpOiB1bmtub3duIHtcbiAgY29uc3QgaWQgPSBjb250cmFjdC5nZXQoc2NoZW1hKT8uaWQ7XG4gIGlmIChpZCkgcmV0dXJuIHsgJHJlZjogUkVGKGlkKSB9O1xuICBpZiAoc2NoZW1hIGluc3RhbmNlb2Ygei5ab2RVbmlvbikgcmV0dXJuIHsgYW55T2Y6IChzY2hlbWEub3B0aW9ucyBhcyB6LlpvZFR5cGVbXSkubWFwKGFuc3dlclNjaGVtYSkgfTtcbiAgY29uc3QgeyAkc2NoZW1hOiBfcywgLi4ucmVzdCB9ID0gei50b0pTT05TY2hlbWEoc2NoZW1hLCB7IGlvOiAnb3V0cHV0JywgdW5yZXByZXNlbnRhYmxlOiAnYW55JyB9KSBhcyBSZWNvcmQ8c3RyaW5nLCB1bmtub3duPjtcbiAgcmV0dXJuIHJlc3Q7XG59XG5cbmZ1bmN0aW9uIGlubGluZShzY2hlbWE6IHouWm9kVHlwZSk6IHVua25vd24ge1xuICBjb25zdCB7ICRzY2hlbWE6IF9zLCAuLi5yZXN0IH0gPSB6LnRvSlNPTlNjaGVtYShzY2hlbWEsIHsgaW86ICdpbnB1dCcsIHVucmVwcmVzZW50YWJsZTogJ2FueScgfSkgYXMgUmVjb3JkPHN0cmluZywgdW5rbm93bj47XG4gIHJldHVybiByZXN0O1xufVxuXG5mdW5jdGlvbiBvcGVyYXRpb24ocm91dGU6IEpzb25Sb3V0ZSwgdGFnOiBzdHJpbmcpOiBSZWNvcmQ8c3RyaW5nLCB1bmtub3duPiB7XG4gIGNvbnN0IHBhcmFtcyA9IFsuLi5yb3V0ZS5wYXRoLm1hdGNoQWxsKC9cXHsoXFx3KylcXH0vZyldLm1hcCgobSkgPT4gKHsgbmFtZTogbVsxXSwgaW46ICdwYXRoJywgcmVxdWlyZWQ6IHRydWUsIHNjaGVtYTogeyB0eXBlOiAnc3RyaW5nJyB9IH0pKTtcbiAgY29uc3QgcXVlcnkgPSBPYmplY3Qua2V5cyhyb3V0ZS5xdWVyeSA/PyB7fSkubWFwKChuYW1lKSA9PiAoeyBuYW1lLCBpbjogJ3F1ZXJ5JywgcmVxdWlyZWQ6IGZhbHNlLCBzY2hlbWE6IHsgdHlwZTogJ2ludGVnZXInLCBtaW5pbXVtOiAxIH0gfSkpO1xuICBjb25zdCByZXNwb25zZXM6IFJlY29yZDxzdHJpbmcsIHVua25vd24+ID0ge307XG4gIGZvciAoY29uc3QgW3N0YXR1cywgc2NoZW1hXSBvZiBPYmplY3QuZW50cmllcyhyb3V0ZS5hbnN3ZXJzKSkge1xuICAgIHJlc3BvbnNlc1tzdGF0dXNdID0geyBkZXNjcmlwdGlvbjogc3RhdHVzLnN0YXJ0c1dpdGgoJzInKSA/ICdEb25lJyA6ICdSZWZ1c2VkJywgY29udGVudDogeyAnYXBwbGljYXRpb24vanNvbic6IHsgc2NoZW1hOiBhbnN3ZXJTY2hlbWEoc2NoZW1hKSB9IH0gfTtcbiAgfVxuICBmb3IgKGNvbnN0IHN0YXR1cyBvZiBFUlJPUlMpIHtcbiAgICByZXNwb25zZXNbU3RyaW5nKHN0YXR1cyldID8/PSB7ICRyZWY6ICcjL2NvbXBvbmVudHMvcmVzcG9uc2VzL1JlZnVzZWQnIH07XG4gIH1cbiAgcmV0dXJuIHtcbiAgICB0YWdzOiBbdGFnXSxcbiAgICBzdW1tYXJ5OiByb3V0ZS5zdW1tYXJ5LFxuICAgIG9wZXJhdGlvbklkOiBgJHtyb3V0ZS5tZXRob2R9JHt0YWd9JHtyb3V0ZS5wYXRoLnJlcGxhY2UoL1teQS1aYS16MC05XSsoLik/L2csIChfbSwgYzogc3RyaW5nIHwgdW5kZWZpbmVkKSA9PiAoYyA/IGMudG9VcHBlckNhc2UoKSA6ICcnKSl9YCxcbiAgICAuLi4ocGFyYW1zLmxlbmd0aCB8fCBxdWVyeS5sZW5ndGggPyB7IHBhcmFtZXRlcnM6IFsuLi5wYXJhbXMsIC4uLnF1ZXJ5XSB9IDoge30pLFxuICAgIC4uLihyb3V0ZS5ib2R5ID8geyByZXF1ZXN0Qm9keTogeyByZXF1aXJlZDogdHJ1ZSwgY29udGVudDogeyAnYXBwbGljYXRpb24vanNvbic6IHsgc2NoZW1hOiBpbmxpbmUocm91dGUuYm9keSkgfSB9IH0gfSA6IHt9KSxcbiAgICAuLi4ocm91dGUubWV0aG9kID09PSAncG9zdCcgPyB7IHNlY3VyaXR5OiBbeyBzZXNzaW9uOiBbXSwgY3NyZjogW10gfV0gfSA6IHsgc2VjdXJpdHk6IFt7IHNlc3Npb246IFtdIH0sIHt9XSB9KSxcbiAgICByZXNwb25zZXMsXG4gIH07XG59XG5cbi8qKlxuICogVGhlIE9wZW5BUEkgMy4xIGRvY3VtZW50IG9mIGJvdGggcm91dGVycycgSlNPTiByb3V0ZXMsIHRoZWlyIHBhdGhzIHVuZGVyIGBtb3VudFBhdGhgIGFuZFxuICogYHVzZXJNb3VudFBhdGhgLiBCdWlsdCBmcm9tIHRoZSBzYW1lIHpvZCBzY2hlbWFzIHRoZSBleHBvcnRlZCByZXNwb25zZSB0eXBlcyBjb21lIGZyb20uXG4gKi9cbmV4cG9ydCBmdW5jdGlvbiBvcGVuQXBpRG9jdW1lbnQobW91bnRzOiB7IG1vdW50UGF0aDogc3RyaW5nOyB1c2VyTW91bnRQYXRoOiBzdHJpbmcgfSwgdmVyc2lvbjogc3RyaW5nKTogT3BlbkFwaURvY3VtZW50IHtcbiAgY29uc3QgcGF0aHM6IFJlY29yZDxzdHJpbmcsIFJlY29yZDxzdHJpbmcsIHVua25vd24+PiA9IHt9O1xuICBjb25zdCBhZGQgPSAobW91bnQ6IHN0cmluZywgcm91dGVzOiBKc29uUm91dGVbXSwgdGFnOiBzdHJpbmcpID0+IHtcbiAgICBmb3IgKGNvbnN0IHJvdXRlIG9mIHJvdXRlcykge1xuICAgICAgY29uc3QgcGF0aCA9IGAke21vdW50fSR7cm91dGUucGF0aCA9PT0gJy8nID8gJy8nIDogcm91dGUucGF0aH1gO1xuICAgICAgKHBhdGhzW3BhdGhdID8/PSB7fSlbcm91dGUubWV0aG9kXSA9IG9wZXJhdGlvbihyb3V0ZSwgdGFnKTtcbiAgICB9XG4gIH07XG4gIGFkZChtb3VudHMubW91bnRQYXRoLCBST1VURVJfUk9VVEVTLCAnUm91dGVyJyk7XG4gIGFkZChtb3VudHMudXNlck1vdW50UGF0aCwgVVNFUl9ST1VURVJfUk9VVEVTLCAnVXNlclJvdXRlcicpO1xuICByZXR1cm4ge1xuICAgIG9wZW5hcGk6ICczLjEuMCcsXG4gICAgaW5mbzoge1xuICAgICAgdGl0bGU6ICdleHByZXNzLWFjY291bnQtdXNlcnMgSlNPTiBBUEknLFxuICAgICAgdmVyc2lvbixcbiAgICAgIGRlc2NyaXB0aW9uOlxuICAgICAgICBcIlRoZSBKU09OIHJvdXRlcyBvZiBhdS5yb3V0ZXIgYW5kIGF1LnVzZXJSb3V0ZXIgKGRvY3MvanNvbi1hcGkubWQpLiBBIHJlcXVlc3QgZ2V0cyBKU09OIHdoZW4gaXQgc2VuZHMgYSBKU09OIGJvZHkgb3IgYEFjY2VwdDogYXBwbGljYXRpb24vanNvbmAuIEV2ZXJ5IFBPU1Qgc2VuZHMgdGhlIHNlc3Npb24ncyBDU1JGIHRva2VuIGluIGB4LWNzcmYtdG9rZW5gOyBldmVyeSBhbnN3ZXIgb2YgYSBwYWdlIGFuZCBvZiBhIFBPU1QgdGhhdCBzdWNjZWVkZWQgY2FycmllcyB0aGUgY3VycmVudCBvbmUgaW4gYGNzcmZUb2tlbmAuXCIsXG4gICAgfSxcbiAgICBqc29uU2NoZW1hRGlhbGVjdDogJ2h0dHBzOi8vanNvbi1zY2hlbWEub3JnL2RyYWZ0LzIwMjAtMTIvc2NoZW1hJyxcbiAgICB0YWdzOiBbXG4gICAgICB7IG5hbWU6ICdSb3V0ZXInLCBkZXNjcmlwdGlvbjogYGF1LnJvdXRlciwgbW91bnRlZCBhdCAke21vdW50cy5tb3VudFBhdGh9YCB9LFxuICAgICAgeyBuYW1lOiAnVXNlclJvdXRlcicsIGRlc2NyaXB0aW9uOiBgYXUudXNlclJvdXRlciwgbW91bnRlZCBhdCAke21vdW50cy51c2VyTW91bnRQYXRofWAgfSxcbiAgICBdLFxuICAgIHBhdGhzLFxuICAgIGNvbXBvbmVudHM6IHtcbiAgICAgIHNjaGVtYXM6IGNvbXBvbmVudFNjaGVtYXMoKSxcbiAgICAgIHJlc3BvbnNlczoge1xuICAgICAgICBSZWZ1c2VkOiB7XG4gICAgICAgICAgZGVzY3JpcHRpb246ICdSZWZ1c2VkOiBzZWUgdGhlIGVycm9yIHRhYmxlIG9mIGRvY3MvanNvbi1hcGkubWQnLFxuICAgICAgICAgIGNvbnRlbnQ6IHsgJ2FwcGxpY2F0aW9uL2pzb24nOiB7IHNjaGVtYTogeyAkcmVmOiBSRUYoY29udHJhY3QuZ2V0KEVycm9yQW5zd2VyKSEuaWQpIH0gfSB9LFxuICAgICAgICB9LFxuICAgICAgfSxcbiAgICAgIHNlY3VyaXR5U2NoZW1lczoge1xuICAgICAgICBzZXNzaW9uOiB7XG4gICAgICAgICAgdHlwZTogJ2FwaUtleScsXG4gICAgICAgICAgaW46ICdjb29raWUnLFxuICAgICAgICAgIG5hbWU6ICdjb25uZWN0LnNpZCcsXG4gICAgICAgICAgZGVzY3JpcHRpb246IFwiVGhlIGhvc3QncyBzZXNzaW9uIGNvb2tpZSAoaXRzIG5hbWUgaXMgdGhlIGhvc3QncyBleHByZXNzLXNlc3Npb24gYG5hbWVgKS5cIixcbiAgICAgICAgfSxcbiAgICAgICAgY3NyZjogeyB0eXBlOiAnYXBpS2V5JywgaW46ICdoZWFkZXInLCBuYW1lOiAneC1jc3JmLXRva2VuJywgZGVzY3JpcHRpb246ICdUaGUgYGNzcmZUb2tlbmAgb2YgdGhlIGxhdGVzdCBhbnN3ZXIuJyB9LFxuICAgICAgfSxcbiAgICB9LFxuICB9O1xufVxuIiwgImNvbnN0IF9faW5qZWN0ZWRfZmlsZW5hbWVfXyA9IFwiL3dvcmsvd3QtaG91c2UvbGliL2h0dHAvanNvbi1hcGkvc2NoZW1hcy50c1wiO2NvbnN0IF9faW5qZWN0ZWRfZGlybmFtZV9fID0gXCIvd29yay93dC1ob3VzZS9saWIvaHR0cC9qc29uLWFwaVwiO2NvbnN0IF9faW5qZWN0ZWRfaW1wb3J0X21ldGFfdXJsX18gPSBcImZpbGU6Ly8vd29yay93dC1ob3VzZS9saWIvaHR0cC9qc29uLWFwaS9zY2hlbWFzLnRzXCI7LyoqXG4gKiBUaGUgSlNPTiBBUEkncyBjb250cmFjdDogd2hhdCBldmVyeSBKU09OIHJvdXRlIG9mIGBhdS5yb3V0ZXJgIGFuZCBgYXUudXNlclJvdXRlcmAgYW5zd2VycywgYXNcbiAqIHpvZCBzY2hlbWFzIG9mIHRoZSB3aXJlIGZvcm1hdCAoZGF0ZXMgYXMgSVNPIDg2MDEgc3RyaW5ncykuIEZyb20gdGhlc2Ugb25lIHNvdXJjZSBjb21lIHRoZVxuICogZXhwb3J0ZWQgcmVzcG9uc2UgdHlwZXMgKGB6LmluZmVyYCksIHRoZSBPcGVuQVBJIDMuMSBkb2N1bWVudCAoZG9jdW1lbnQudHMsIHNlcnZlZCBhdFxuICogYEdFVCA8bW91bnQ+L29wZW5hcGkuanNvbmAgYW5kIHNoaXBwZWQgYXMgYGV4cHJlc3MtYWNjb3VudC11c2Vycy9vcGVuYXBpLmpzb25gKSBhbmQgdGhlIHRlc3QgdGhhdFxuICogZHJpdmVzIGV2ZXJ5IHJvdXRlIGFuZCB2YWxpZGF0ZXMgZXZlcnkgYW5zd2VyIGFnYWluc3QgdGhhdCBkb2N1bWVudC4gT2JqZWN0cyBhcmUgc3RyaWN0OiBhIGZpZWxkXG4gKiB0aGUgaGFuZGxlcnMgYWRkIHdpdGhvdXQgYWRkaW5nIGl0IGhlcmUgZmFpbHMgdGhhdCB0ZXN0LlxuICovXG5pbXBvcnQgeyB6IH0gZnJvbSAnem9kJztcbmltcG9ydCB7IERFTElWRVJZX1BST0JMRU1TIH0gZnJvbSAnLi4vLi4vZGVsaXZlcnktcHJvYmxlbS5qcyc7XG5cbi8qKiBUaGUgc2NoZW1hcyB0aGUgZG9jdW1lbnQgbGlzdHMgdW5kZXIgY29tcG9uZW50cywgZWFjaCB1bmRlciBpdHMgaWQuICovXG5leHBvcnQgY29uc3QgY29udHJhY3QgPSB6LnJlZ2lzdHJ5PHsgaWQ6IHN0cmluZzsgZGVzY3JpcHRpb24/OiBzdHJpbmcgfT4oKTtcblxuY29uc3QgbmFtZWQgPSA8VCBleHRlbmRzIHouWm9kVHlwZT4oaWQ6IHN0cmluZywgc2NoZW1hOiBULCBkZXNjcmlwdGlvbj86IHN0cmluZyk6IFQgPT4ge1xuICBjb250cmFjdC5hZGQoc2NoZW1hLCB7IGlkLCAuLi4oZGVzY3JpcHRpb24gPyB7IGRlc2NyaXB0aW9uIH0gOiB7fSkgfSk7XG4gIHJldHVybiBzY2hlbWE7XG59O1xuXG5jb25zdCBkYXRlID0gbmFtZWQoJ0RhdGVUaW1lJywgei5pc28uZGF0ZXRpbWUoKSwgJ0EgbW9tZW50IGluIFVUQywgSVNPIDg2MDEgKGAyMDI2LTEyLTMxVDE3OjAwOjAwLjAwMFpgKS4nKTtcbmNvbnN0IGlkID0gei5udW1iZXIoKS5pbnQoKS5wb3NpdGl2ZSgpO1xuY29uc3QgY3Vyc29yID0gaWQubnVsbGFibGUoKTtcblxuZXhwb3J0IGNvbnN0IEVycm9yQW5zd2VyID0gbmFtZWQoXG4gICdFcnJvcicsXG4gIHouc3RyaWN0T2JqZWN0KHtcbiAgICBlcnJvcjogei5zdHJpY3RPYmplY3Qoe1xuICAgICAgY29kZTogei5lbnVtKFtcbiAgICAgICAgJ2ludmFsaWRfaW5wdXQnLFxuICAgICAgICAndW5hdXRoZW50aWNhdGVkJyxcbiAgICAgICAgJ2ZvcmJpZGRlbicsXG4gICAgICAgICdub3RfZm91bmQnLFxuICAgICAgICAnaW52aXRhdGlvbl9leHBpcmVkJyxcbiAgICAgICAgJ2ludml0YXRpb25fY2FuY2VsbGVkJyxcbiAgICAgICAgJ2ludml0YXRpb25fYWNjZXB0ZWQnLFxuICAgICAgICAnaW52aXRhdGlvbl9kZWNsaW5lZCcsXG4gICAgICAgICdsaW5rX2V4cGlyZWQnLFxuICAgICAgICAnbGlua191c2VkJyxcbiAgICAgICAgJ2xpbmtfc3VwZXJzZWRlZCcsXG4gICAgICAgICdsaW5rX2NhbmNlbGxlZCcsXG4gICAgICAgICdlbWFpbF9taXNtYXRjaCcsXG4gICAgICAgICdlbWFpbF91bnZlcmlmaWVkJyxcbiAgICAgICAgJ2NvbmZsaWN0JyxcbiAgICAgICAgJ3Rvb19tYW55X3JlcXVlc3RzJyxcbiAgICAgICAgJ2NzcmYnLFxuICAgICAgICAndW5hdmFpbGFibGUnLFxuICAgICAgXSksXG4gICAgICBtZXNzYWdlOiB6LnN0cmluZygpLFxuICAgICAgLyoqIGludmFsaWRfaW5wdXQ6IGVhY2ggcmVmdXNlZCBmaWVsZCwgbmFtZWQgYXMgdGhlIHJlcXVlc3QgbmFtZWQgaXQuICovXG4gICAgICBmaWVsZHM6IHouYXJyYXkoei5zdHJpY3RPYmplY3QoeyBmaWVsZDogei5zdHJpbmcoKSwgbWVzc2FnZTogei5zdHJpbmcoKSB9KSkub3B0aW9uYWwoKSxcbiAgICAgIC8qKiB0b29fbWFueV9yZXF1ZXN0czogc2Vjb25kcyB0byB3YWl0IChhbHNvIHRoZSBSZXRyeS1BZnRlciBoZWFkZXIpLiAqL1xuICAgICAgcmV0cnlBZnRlcjogei5udW1iZXIoKS5pbnQoKS5vcHRpb25hbCgpLFxuICAgICAgLyoqIEEgbGluayBvciBpbnZpdGF0aW9uIHRoYXQgbm8gbG9uZ2VyIHdvcmtzOiB3aHkuICovXG4gICAgICByZWFzb246IHouZW51bShbJ2V4cGlyZWQnLCAndXNlZCcsICdzdXBlcnNlZGVkJywgJ2NhbmNlbGxlZCcsICdhY2NlcHRlZCcsICdkZWNsaW5lZCddKS5vcHRpb25hbCgpLFxuICAgIH0pLFxuICAgIC8qKiBBIHJlZnVzZWQgZm9ybSdzIGFuc3dlciBjYXJyaWVzIHRoZSBzZXNzaW9uJ3MgdG9rZW4sIGFzIGl0cyBwYWdlIHdvdWxkLiAqL1xuICAgIGNzcmZUb2tlbjogei5zdHJpbmcoKS5vcHRpb25hbCgpLFxuICB9KSxcbiAgJ0V2ZXJ5IHJlZnVzYWw6IGBjb2RlYCB0byBicmFuY2ggb24sIGBtZXNzYWdlYCBpbiB0aGUgcmVxdWVzdCBsYW5ndWFnZS4nLFxuKTtcblxuLyoqIFdoYXQgZXZlcnkgYW5zd2VyIG9mIGEgUE9TVCB0aGF0IHN1Y2NlZWRlZCBjYXJyaWVzIGJlc2lkZXMgaXRzIHJlc3VsdC4gKi9cbmNvbnN0IGRvbmUgPSB7IG1lc3NhZ2U6IHouc3RyaW5nKCksIGNzcmZUb2tlbjogei5zdHJpbmcoKSB9O1xuY29uc3QgcGFnZSA9IHsgY3NyZlRva2VuOiB6LnN0cmluZygpIH07XG5cbmV4cG9ydCBjb25zdCBQZXJtaXNzaW9uID0gbmFtZWQoJ1Blcm1pc3Npb24nLCB6LnN0cmljdE9iamVjdCh7IGtleTogei5zdHJpbmcoKSwgbGFiZWw6IHouc3RyaW5nKCksIGRlc2NyaXB0aW9uOiB6LnN0cmluZygpLCB3YXJuaW5nOiB6LnN0cmluZygpLm9wdGlvbmFsKCkgfSkpO1xuZXhwb3J0IGNvbnN0IFByZXNldCA9IG5hbWVkKCdQcmVzZXQnLCB6LnN0cmljdE9iamVjdCh7IGtleTogei5zdHJpbmcoKSwgbGFiZWw6IHouc3RyaW5nKCksIHBlcm1pc3Npb25zOiB6LmFycmF5KHouc3RyaW5nKCkpIH0pKTtcbmV4cG9ydCBjb25zdCBBY2NvdW50ID0gbmFtZWQoXG4gICdBY2NvdW50JyxcbiAgei5zdHJpY3RPYmplY3Qoe1xuICAgIGlkLFxuICAgIG5hbWU6IHouc3RyaW5nKCksXG4gICAgb3duZXJVc2VySWQ6IGlkLFxuICAgIC8vIFRoZSBhY2NvdW50J3MgdHdvLWZhY3RvciBydWxlLCB3aGVyZSB0aGUgYW5zd2VyIGNhcnJpZXMgdGhlIGFjY291bnQgcm93IChhbiBhY2NlcHRlZCB0cmFuc2ZlcikuXG4gICAgdHdvRmFjdG9yUmVxdWlyZWQ6IHouYm9vbGVhbigpLm9wdGlvbmFsKCksXG4gICAgdHdvRmFjdG9yR3JhY2VVbnRpbDogZGF0ZS5udWxsYWJsZSgpLm9wdGlvbmFsKCksXG4gIH0pLFxuKTtcbmNvbnN0IEFjY291bnRSZWYgPSB6LnN0cmljdE9iamVjdCh7IGlkLCBuYW1lOiB6LnN0cmluZygpIH0pO1xuXG5leHBvcnQgY29uc3QgTWVtYmVyID0gbmFtZWQoXG4gICdNZW1iZXInLFxuICB6LnN0cmljdE9iamVjdCh7XG4gICAgdXNlcklkOiBpZCxcbiAgICBuYW1lOiB6LnN0cmluZygpLFxuICAgIGVtYWlsOiB6LnN0cmluZygpLFxuICAgIGlzT3duZXI6IHouYm9vbGVhbigpLFxuICAgIHBlcm1pc3Npb25zOiB6LmFycmF5KHouc3RyaW5nKCkpLFxuICAgIGxhc3RMb2dpbkF0OiBkYXRlLm51bGxhYmxlKCksXG4gICAgam9pbmVkQXQ6IGRhdGUsXG4gICAgYWNjZXNzVW50aWw6IGRhdGUubnVsbGFibGUoKSxcbiAgICBhY2Nlc3NFbmRlZDogei5ib29sZWFuKCksXG4gICAgc3VzcGVuZGVkOiB6LmJvb2xlYW4oKSxcbiAgICBzdXNwZW5kZWRBdDogZGF0ZS5udWxsYWJsZSgpLFxuICAgIHN1c3BlbmRlZFJlYXNvbjogei5zdHJpbmcoKS5udWxsYWJsZSgpLFxuICB9KSxcbik7XG5cbi8qKiBBIG1lbWJlciByZW1vdmVkIHdpdGhpbiBgbGltaXRzLnJlc3RvcmVXaW5kb3dNc2AsIGFzIHRoZSB1c2VycyBwYWdlIGxpc3RzIHRoZW0gZm9yIFJlc3RvcmUuICovXG5leHBvcnQgY29uc3QgUmVtb3ZlZE1lbWJlciA9IG5hbWVkKFxuICAnUmVtb3ZlZE1lbWJlcicsXG4gIHouc3RyaWN0T2JqZWN0KHtcbiAgICB1c2VySWQ6IGlkLFxuICAgIG5hbWU6IHouc3RyaW5nKCkubnVsbGFibGUoKSxcbiAgICBlbWFpbDogei5zdHJpbmcoKSxcbiAgICBwZXJtaXNzaW9uczogei5hcnJheSh6LnN0cmluZygpKSxcbiAgICBhY2Nlc3NVbnRpbDogZGF0ZS5udWxsYWJsZSgpLFxuICAgIHN1c3BlbmRlZDogei5ib29sZWFuKCksXG4gICAgcmVtb3ZlZEF0OiBkYXRlLFxuICAgIHJlc3RvcmFibGVVbnRpbDogZGF0ZSxcbiAgICBsb2dpbkV4aXN0czogei5ib29sZWFuKCksXG4gIH0pLFxuKTtcblxuZXhwb3J0IGNvbnN0IERlbGl2ZXJ5ID0gbmFtZWQoXG4gICdEZWxpdmVyeScsXG4gIHpcbiAgICAuc3RyaWN0T2JqZWN0KHtcbiAgICAgIHN0YXR1czogei5lbnVtKFsncXVldWVkJywgJ3NlbnQnLCAnZmFpbGluZycsICdub3QgZGVsaXZlcmVkJ10pLFxuICAgICAgYXR0ZW1wdHM6IHoubnVtYmVyKCkuaW50KCksXG4gICAgICBwcm9ibGVtOiB6LnN0cmljdE9iamVjdCh7IGNvZGU6IHouZW51bShERUxJVkVSWV9QUk9CTEVNUyksIG1lc3NhZ2U6IHouc3RyaW5nKCkgfSkubnVsbGFibGUoKSxcbiAgICAgIG5leHRBdHRlbXB0QXQ6IGRhdGUubnVsbGFibGUoKSxcbiAgICB9KVxuICAgIC5udWxsYWJsZSgpLFxuICBcIlRoZSBpbnZpdGF0aW9uIGVtYWlsJ3Mgc3RhdGU7IG51bGwgaW4gdGhlIGFuc3dlciBvZiB0aGUgUE9TVCB0aGF0IHF1ZXVlZCBpdCAobm90IHJlYWQgeWV0KS5cIixcbik7XG5cbmV4cG9ydCBjb25zdCBJbnZpdGF0aW9uID0gbmFtZWQoXG4gICdJbnZpdGF0aW9uJyxcbiAgei5zdHJpY3RPYmplY3Qoe1xuICAgIGlkLFxuICAgIGVtYWlsOiB6LnN0cmluZygpLFxuICAgIHBlcm1pc3Npb25zOiB6LmFycmF5KHouc3RyaW5nKCkpLFxuICAgIHN0YXR1czogei5lbnVtKFsncGVuZGluZycsICdleHBpcmVkJywgJ2FjY2VwdGVkJywgJ2NhbmNlbGxlZCcsICdkZWNsaW5lZCddKSxcbiAgICBpbnZpdGVkQnk6IGlkLm51bGxhYmxlKCksXG4gICAgaW52aXRlZEJ5U3lzdGVtOiB6LnN0cmluZygpLm51bGxhYmxlKCksXG4gICAgYWNjZXNzVW50aWw6IGRhdGUubnVsbGFibGUoKSxcbiAgICBjcmVhdGVkQXQ6IGRhdGUsXG4gICAgc2VudEF0OiBkYXRlLm51bGxhYmxlKCksXG4gICAgZXhwaXJlc0F0OiBkYXRlLFxuICAgIGRlbGl2ZXJ5OiBEZWxpdmVyeSxcbiAgfSksXG4pO1xuY29uc3QgTGlzdGVkSW52aXRhdGlvbiA9IEludml0YXRpb24uZXh0ZW5kKHsgaW52aXRlck5hbWU6IHouc3RyaW5nKCkubnVsbGFibGUoKSB9KTtcblxuZXhwb3J0IGNvbnN0IE1lbWJlcnNoaXAgPSBuYW1lZChcbiAgJ01lbWJlcnNoaXAnLFxuICB6LnN0cmljdE9iamVjdCh7XG4gICAgYWNjb3VudDogQWNjb3VudCxcbiAgICB1c2VySWQ6IGlkLFxuICAgIGlzT3duZXI6IHouYm9vbGVhbigpLFxuICAgIHBlcm1pc3Npb25zOiB6LmFycmF5KHouc3RyaW5nKCkpLFxuICAgIGFjY2Vzc1VudGlsOiBkYXRlLm51bGxhYmxlKCksXG4gICAgYWNjZXNzRW5kZWQ6IHouYm9vbGVhbigpLFxuICAgIHR3b0ZhY3RvckVuYWJsZWRBdDogZGF0ZS5udWxsYWJsZSgpLFxuICAgIHR3b0ZhY3RvckVucm9sbWVudER1ZTogei5ib29sZWFuKCksXG4gICAgc3VzcGVuZGVkOiB6LmJvb2xlYW4oKSxcbiAgICBzdXNwZW5kZWRSZWFzb246IHouc3RyaW5nKCkubnVsbGFibGUoKSxcbiAgfSksXG4pO1xuXG5leHBvcnQgY29uc3QgVHJhbnNmZXIgPSBuYW1lZChcbiAgJ1RyYW5zZmVyJyxcbiAgei5zdHJpY3RPYmplY3Qoe1xuICAgIGlkLFxuICAgIGFjY291bnRJZDogaWQsXG4gICAgZnJvbVVzZXJJZDogaWQsXG4gICAgdG9Vc2VySWQ6IGlkLFxuICAgIHN0YXR1czogei5lbnVtKFsncGVuZGluZycsICdhY2NlcHRlZCcsICdjYW5jZWxsZWQnLCAnZGVjbGluZWQnLCAnZXhwaXJlZCddKSxcbiAgICBleHBpcmVzQXQ6IGRhdGUsXG4gICAgY3JlYXRlZEF0OiBkYXRlLFxuICB9KSxcbik7XG5leHBvcnQgY29uc3QgT3duZXJzaGlwT2ZmZXIgPSBuYW1lZChcbiAgJ093bmVyc2hpcE9mZmVyJyxcbiAgei5zdHJpY3RPYmplY3Qoe1xuICAgIHRyYW5zZmVyOiBUcmFuc2ZlcixcbiAgICBhY2NvdW50OiBBY2NvdW50UmVmLFxuICAgIGZyb206IHouc3RyaWN0T2JqZWN0KHsgbmFtZTogei5zdHJpbmcoKSB9KS5udWxsYWJsZSgpLFxuICAgIGFjY2Vzc0VuZGVkOiB6LmJvb2xlYW4oKSxcbiAgICBhY2Nlc3NVbnRpbDogZGF0ZS5udWxsYWJsZSgpLFxuICB9KSxcbik7XG5cbmV4cG9ydCBjb25zdCBVc2VyID0gbmFtZWQoXG4gICdVc2VyJyxcbiAgei5zdHJpY3RPYmplY3QoeyBpZCwgZW1haWw6IHouc3RyaW5nKCksIG5hbWU6IHouc3RyaW5nKCksIGxhc3RMb2dpbkF0OiBkYXRlLm51bGxhYmxlKCkub3B0aW9uYWwoKSwgZW1haWxWZXJpZmllZDogei5ib29sZWFuKCkgfSksXG4pO1xuXG5leHBvcnQgY29uc3QgQWN0aXZpdHlFbnRyeSA9IG5hbWVkKFxuICAnQWN0aXZpdHlFbnRyeScsXG4gIHouc3RyaWN0T2JqZWN0KHtcbiAgICBpZCxcbiAgICBhY2NvdW50SWQ6IGlkLFxuICAgIGFjdGlvbjogei5lbnVtKFtcbiAgICAgICdpbnZpdGF0aW9uLnNlbnQnLFxuICAgICAgJ2ludml0YXRpb24ucmVzZW50JyxcbiAgICAgICdpbnZpdGF0aW9uLnVwZGF0ZWQnLFxuICAgICAgJ2ludml0YXRpb24uY2FuY2VsbGVkJyxcbiAgICAgICdpbnZpdGF0aW9uLmFjY2VwdGVkJyxcbiAgICAgICdpbnZpdGF0aW9uLmRlY2xpbmVkJyxcbiAgICAgICdtZW1iZXIucGVybWlzc2lvbnNfY2hhbmdlZCcsXG4gICAgICAnbWVtYmVyLnJlbW92ZWQnLFxuICAgICAgJ21lbWJlci5zdXNwZW5kZWQnLFxuICAgICAgJ21lbWJlci5yZWluc3RhdGVkJyxcbiAgICAgICdtZW1iZXIucmVzdG9yZWQnLFxuICAgICAgJ21lbWJlci5sZWZ0JyxcbiAgICAgICdvd25lcnNoaXAub2ZmZXJlZCcsXG4gICAgICAnb3duZXJzaGlwLnRyYW5zZmVycmVkJyxcbiAgICAgICdvd25lcnNoaXAuY2FuY2VsbGVkJyxcbiAgICAgICdvd25lcnNoaXAuZGVjbGluZWQnLFxuICAgICAgJ3Jvc3Rlci5yZWNvbmNpbGVkJyxcbiAgICBdKSxcbiAgICBhY3RvclVzZXJJZDogaWQubnVsbGFibGUoKSxcbiAgICBhY3Rvck5hbWU6IHouc3RyaW5nKCkubnVsbGFibGUoKSxcbiAgICBhY3RvckVtYWlsOiB6LnN0cmluZygpLm51bGxhYmxlKCksXG4gICAgYWN0b3JTeXN0ZW06IHouc3RyaW5nKCkubnVsbGFibGUoKSxcbiAgICBzdWJqZWN0VXNlcklkOiBpZC5udWxsYWJsZSgpLFxuICAgIHN1YmplY3ROYW1lOiB6LnN0cmluZygpLm51bGxhYmxlKCksXG4gICAgc3ViamVjdEVtYWlsOiB6LnN0cmluZygpLm51bGxhYmxlKCksXG4gICAgZGV0YWlsczogei5yZWNvcmQoei5zdHJpbmcoKSwgei51bmtub3duKCkpLFxuICAgIGlwOiB6LnN0cmluZygpLm51bGxhYmxlKCksXG4gICAgY3JlYXRlZEF0OiBkYXRlLFxuICAgIGNoYW5nZXM6IHouc3RyaWN0T2JqZWN0KHtcbiAgICAgIGdyYW50ZWQ6IHouYXJyYXkoei5zdHJpbmcoKSksXG4gICAgICByZW1vdmVkOiB6LmFycmF5KHouc3RyaW5nKCkpLFxuICAgICAgcGVybWlzc2lvbnM6IHouYXJyYXkoei5zdHJpbmcoKSkubnVsbGFibGUoKSxcbiAgICAgIGFjY2Vzc1VudGlsOiBkYXRlLm51bGxhYmxlKCkub3B0aW9uYWwoKSxcbiAgICB9KSxcbiAgfSksXG4gICdBIHVzZXIgYWN0b3IgYnkgYGFjdG9yTmFtZWAgYW5kIGBhY3RvckVtYWlsYCwgYSBob3N0IGpvYiBieSBgYWN0b3JTeXN0ZW1gOyBgY2hhbmdlc2AsIHdoYXQgdGhlIGVudHJ5IGNoYW5nZWQgYXMgZGlmZmVyZW5jZXMuJyxcbik7XG5cbmNvbnN0IEludml0ZUZvcm0gPSB6LnN0cmljdE9iamVjdCh7IHBlcm1pc3Npb25zOiB6LmFycmF5KFBlcm1pc3Npb24pLCBwcmVzZXRzOiB6LmFycmF5KFByZXNldCksIGNoZWNrZWQ6IHouYXJyYXkoei5zdHJpbmcoKSksIC4uLnBhZ2UgfSk7XG5cbi8vIC0tLSBhdS5yb3V0ZXIncyBhbnN3ZXJzLCBvbmUgcGVyIHJvdXRlIGFuZCBzdGF0dXMuXG5leHBvcnQgY29uc3QgVXNlcnNQYWdlQW5zd2VyID0gbmFtZWQoXG4gICdVc2Vyc1BhZ2VBbnN3ZXInLFxuICB6LnN0cmljdE9iamVjdCh7XG4gICAgYWNjb3VudDogQWNjb3VudCxcbiAgICBtZW1iZXJzOiB6LmFycmF5KE1lbWJlciksXG4gICAgbWVtYmVyc1BhZ2U6IHouc3RyaWN0T2JqZWN0KHsgbmV4dDogY3Vyc29yLCBwcmV2aW91czogY3Vyc29yIH0pLFxuICAgIGludml0YXRpb25zOiB6LmFycmF5KExpc3RlZEludml0YXRpb24pLFxuICAgIGludml0YXRpb25zUGFnZTogei5zdHJpY3RPYmplY3QoeyBuZXh0OiBjdXJzb3IsIHByZXZpb3VzOiBjdXJzb3IgfSksXG4gICAgcmVtb3ZlZE1lbWJlcnM6IHouYXJyYXkoUmVtb3ZlZE1lbWJlciksXG4gICAgZmlsdGVyOiB6LnN0cmljdE9iamVjdCh7XG4gICAgICBxOiB6LnN0cmluZygpLm9wdGlvbmFsKCksXG4gICAgICBwZXJtaXNzaW9uOiB6LnN0cmluZygpLm9wdGlvbmFsKCksXG4gICAgICBzdGF0dXM6IHouZW51bShbJ3BlbmRpbmcnLCAnZXhwaXJlZCcsICdhY2NlcHRlZCcsICdjYW5jZWxsZWQnLCAnZGVjbGluZWQnLCAnaGlzdG9yeScsICdhbGwnXSksXG4gICAgfSksXG4gICAgbWVtYmVyc1NlYXJjaGVkOiB6LmJvb2xlYW4oKSxcbiAgICBwZXJtaXNzaW9uczogei5hcnJheShQZXJtaXNzaW9uKSxcbiAgICAuLi5wYWdlLFxuICB9KSxcbik7XG5leHBvcnQgY29uc3QgSW52aXRlRm9ybUFuc3dlciA9IG5hbWVkKCdJbnZpdGVGb3JtQW5zd2VyJywgSW52aXRlRm9ybSk7XG5leHBvcnQgY29uc3QgSW52aXRlQW5zd2VyID0gbmFtZWQoXG4gICdJbnZpdGVBbnN3ZXInLFxuICB6LnN0cmljdE9iamVjdCh7XG4gICAgaW52aXRhdGlvbjogSW52aXRhdGlvbixcbiAgICBvdXRjb21lOiB6LmVudW0oWydzZW50JywgJ3Jlc2VudCcsICd1cGRhdGVkJywgJ3VuY2hhbmdlZCddKSxcbiAgICBkZWxpdmVyeTogei5lbnVtKFsnc2VudCcsICdmYWlsZWQnLCAnc2tpcHBlZCcsICd1bmNoYW5nZWQnLCAnbm90IHNlbnQnXSksXG4gICAgLi4uZG9uZSxcbiAgfSksXG4pO1xuZXhwb3J0IGNvbnN0IEludml0YXRpb25EZWxpdmVyeUFuc3dlciA9IG5hbWVkKFxuICAnSW52aXRhdGlvbkRlbGl2ZXJ5QW5zd2VyJyxcbiAgei5zdHJpY3RPYmplY3QoeyBpbnZpdGF0aW9uOiBJbnZpdGF0aW9uLCBkZWxpdmVyeTogei5lbnVtKFsnc2VudCcsICdmYWlsZWQnLCAnc2tpcHBlZCcsICdub3Qgc2VudCddKSwgLi4uZG9uZSB9KSxcbik7XG5leHBvcnQgY29uc3QgSW52aXRhdGlvbkFuc3dlciA9IG5hbWVkKCdJbnZpdGF0aW9uQW5zd2VyJywgei5zdHJpY3RPYmplY3QoeyBpbnZpdGF0aW9uOiBJbnZpdGF0aW9uLCAuLi5kb25lIH0pKTtcbmV4cG9ydCBjb25zdCBNZW1iZXJGb3JtQW5zd2VyID0gbmFtZWQoJ01lbWJlckZvcm1BbnN3ZXInLCB6LnN0cmljdE9iamVjdCh7IG1lbWJlcjogTWVtYmVyLCBwZXJtaXNzaW9uczogei5hcnJheShQZXJtaXNzaW9uKSwgLi4ucGFnZSB9KSk7XG5leHBvcnQgY29uc3QgTWVtYmVyQW5zd2VyID0gbmFtZWQoJ01lbWJlckFuc3dlcicsIHouc3RyaWN0T2JqZWN0KHsgbWVtYmVyOiBNZW1iZXIsIC4uLmRvbmUgfSkpO1xuZXhwb3J0IGNvbnN0IFByZXNldEFwcGxpZWRBbnN3ZXIgPSBuYW1lZChcbiAgJ1ByZXNldEFwcGxpZWRBbnN3ZXInLFxuICB6LnN0cmljdE9iamVjdCh7IG1lbWJlcjogTWVtYmVyLCBjaGVja2VkOiB6LmFycmF5KHouc3RyaW5nKCkpLCAuLi5wYWdlIH0pLFxuICAnVGhlIGFuc3dlciB0byBgYXBwbHlQcmVzZXRgICh0aGUgbm8tSmF2YVNjcmlwdCBwcmVzZXQgYnV0dG9uKTogdGhlIGtleXMgdGhlIHByZXNldCB0aWNrczsgbm90aGluZyBzYXZlZC4nLFxuKTtcbmV4cG9ydCBjb25zdCBNZW1iZXJSZW1vdmVGb3JtQW5zd2VyID0gbmFtZWQoJ01lbWJlclJlbW92ZUZvcm1BbnN3ZXInLCB6LnN0cmljdE9iamVjdCh7IG1lbWJlcjogTWVtYmVyLCAuLi5wYWdlIH0pKTtcbmV4cG9ydCBjb25zdCBNZW1iZXJSZW1vdmVkQW5zd2VyID0gbmFtZWQoJ01lbWJlclJlbW92ZWRBbnN3ZXInLCB6LnN0cmljdE9iamVjdCh7IHJlbW92ZWQ6IE1lbWJlciwgLi4uZG9uZSB9KSk7XG5leHBvcnQgY29uc3QgQWNjZXB0UGFnZUFuc3dlciA9IG5hbWVkKFxuICAnQWNjZXB0UGFnZUFuc3dlcicsXG4gIHouc3RyaWN0T2JqZWN0KHtcbiAgICBpbnZpdGF0aW9uOiB6LnN0cmljdE9iamVjdCh7IGVtYWlsOiB6LnN0cmluZygpLCBwZXJtaXNzaW9uczogei5hcnJheSh6LnN0cmluZygpKSwgZXhwaXJlc0F0OiBkYXRlIH0pLFxuICAgIGFjY291bnQ6IHouc3RyaWN0T2JqZWN0KHsgbmFtZTogei5zdHJpbmcoKSB9KSxcbiAgICBpbnZpdGVyOiB6LnN0cmljdE9iamVjdCh7IG5hbWU6IHouc3RyaW5nKCkgfSkubnVsbGFibGUoKSxcbiAgICBzaWduZWRJbjogei5ib29sZWFuKCksXG4gICAgZW1haWxNYXRjaGVzOiB6LmJvb2xlYW4oKSxcbiAgICBleGlzdGluZ0xvZ2luOiB6LmJvb2xlYW4oKSxcbiAgICAuLi5wYWdlLFxuICB9KSxcbik7XG5leHBvcnQgY29uc3QgTWVtYmVyc2hpcEFuc3dlciA9IG5hbWVkKCdNZW1iZXJzaGlwQW5zd2VyJywgei5zdHJpY3RPYmplY3QoeyBtZW1iZXJzaGlwOiBNZW1iZXJzaGlwLCAuLi5kb25lIH0pKTtcbmV4cG9ydCBjb25zdCBSZWdpc3RlcmVkQW5zd2VyID0gbmFtZWQoJ1JlZ2lzdGVyZWRBbnN3ZXInLCB6LnN0cmljdE9iamVjdCh7IHVzZXI6IFVzZXIsIG1lbWJlcnNoaXA6IE1lbWJlcnNoaXAsIC4uLmRvbmUgfSkpO1xuZXhwb3J0IGNvbnN0IERlY2xpbmVkQnlMaW5rQW5zd2VyID0gbmFtZWQoXG4gICdEZWNsaW5lZEJ5TGlua0Fuc3dlcicsXG4gIHouc3RyaWN0T2JqZWN0KHsgaW52aXRhdGlvbjogSW52aXRhdGlvbiwgYWNjb3VudDogei5zdHJpY3RPYmplY3QoeyBuYW1lOiB6LnN0cmluZygpIH0pLCBtZXNzYWdlOiB6LnN0cmluZygpLCAuLi5wYWdlIH0pLFxuKTtcbmV4cG9ydCBjb25zdCBTaWduZWRPdXRBbnN3ZXIgPSBuYW1lZCgnU2lnbmVkT3V0QW5zd2VyJywgei5zdHJpY3RPYmplY3QoeyBzaWduZWRPdXQ6IHoubGl0ZXJhbCh0cnVlKSwgLi4uZG9uZSB9KSk7XG5leHBvcnQgY29uc3QgQWNjb3VudHNBbnN3ZXIgPSBuYW1lZChcbiAgJ0FjY291bnRzQW5zd2VyJyxcbiAgei5zdHJpY3RPYmplY3Qoe1xuICAgIGFjY291bnRzOiB6LmFycmF5KFxuICAgICAgei5zdHJpY3RPYmplY3Qoe1xuICAgICAgICBpZCxcbiAgICAgICAgbmFtZTogei5zdHJpbmcoKSxcbiAgICAgICAgaXNPd25lcjogei5ib29sZWFuKCksXG4gICAgICAgIGFjdGl2ZTogei5ib29sZWFuKCksXG4gICAgICAgIHN3aXRjaGFibGU6IHouYm9vbGVhbigpLFxuICAgICAgICBhY2Nlc3NVbnRpbDogZGF0ZS5udWxsYWJsZSgpLFxuICAgICAgICBhY2Nlc3NFbmRlZDogei5ib29sZWFuKCksXG4gICAgICAgIHN1c3BlbmRlZDogei5ib29sZWFuKCksXG4gICAgICAgIHN1c3BlbmRlZFJlYXNvbjogei5zdHJpbmcoKS5udWxsYWJsZSgpLFxuICAgICAgICByb2xlOiB6LnN0cmluZygpLFxuICAgICAgICBwZXJtaXNzaW9uQ291bnQ6IHoubnVtYmVyKCkuaW50KCksXG4gICAgICB9KSxcbiAgICApLFxuICAgIGFjdGl2ZUFjY291bnRJZDogaWQubnVsbGFibGUoKSxcbiAgICBpbnZpdGF0aW9uczogei5hcnJheShcbiAgICAgIHouc3RyaWN0T2JqZWN0KHtcbiAgICAgICAgaWQsXG4gICAgICAgIGFjY291bnQ6IEFjY291bnRSZWYsXG4gICAgICAgIGludml0ZXI6IHouc3RyaWN0T2JqZWN0KHsgbmFtZTogei5zdHJpbmcoKSB9KS5udWxsYWJsZSgpLFxuICAgICAgICBwZXJtaXNzaW9uczogei5hcnJheSh6LnN0cmluZygpKSxcbiAgICAgICAgZXhwaXJlc0F0OiBkYXRlLFxuICAgICAgfSksXG4gICAgKSxcbiAgICBlbWFpbFZlcmlmaWVkOiB6LmJvb2xlYW4oKSxcbiAgICBvd25lcnNoaXBPZmZlcnM6IHouYXJyYXkoT3duZXJzaGlwT2ZmZXIpLFxuICAgIC4uLnBhZ2UsXG4gIH0pLFxuKTtcbmV4cG9ydCBjb25zdCBEZWNsaW5lZEFuc3dlciA9IG5hbWVkKCdEZWNsaW5lZEFuc3dlcicsIHouc3RyaWN0T2JqZWN0KHsgaW52aXRhdGlvbjogSW52aXRhdGlvbiwgYWNjb3VudDogQWNjb3VudFJlZiwgLi4uZG9uZSB9KSk7XG5leHBvcnQgY29uc3QgU3dpdGNoZWRBbnN3ZXIgPSBuYW1lZCgnU3dpdGNoZWRBbnN3ZXInLCB6LnN0cmljdE9iamVjdCh7IGFjY291bnQ6IEFjY291bnQsIC4uLmRvbmUgfSkpO1xuZXhwb3J0IGNvbnN0IExlZnRBbnN3ZXIgPSBuYW1lZCgnTGVmdEFuc3dlcicsIHouc3RyaWN0T2JqZWN0KHsgbGVmdDogQWNjb3VudFJlZiwgLi4uZG9uZSB9KSk7XG5leHBvcnQgY29uc3QgQWN0aXZpdHlBbnN3ZXIgPSBuYW1lZCgnQWN0aXZpdHlBbnN3ZXInLCB6LnN0cmljdE9iamVjdCh7IGVudHJpZXM6IHouYXJyYXkoQWN0aXZpdHlFbnRyeSksIG5leHQ6IGN1cnNvciwgcHJldmlvdXM6IGN1cnNvciwgLi4ucGFnZSB9KSk7XG5leHBvcnQgY29uc3QgVHJhbnNmZXJQYWdlQW5zd2VyID0gbmFtZWQoJ1RyYW5zZmVyUGFnZUFuc3dlcicsIHouc3RyaWN0T2JqZWN0KHsgcGVuZGluZzogVHJhbnNmZXIubnVsbGFibGUoKSwgbWVtYmVyczogei5hcnJheShNZW1iZXIpLCAuLi5wYWdlIH0pKTtcbmV4cG9ydCBjb25zdCBUcmFuc2ZlckFuc3dlciA9IG5hbWVkKCdUcmFuc2ZlckFuc3dlcicsIHouc3RyaWN0T2JqZWN0KHsgdHJhbnNmZXI6IFRyYW5zZmVyLCAuLi5kb25lIH0pKTtcbmV4cG9ydCBjb25zdCBPd25lcnNoaXBPZmZlckFuc3dlciA9IG5hbWVkKCdPd25lcnNoaXBPZmZlckFuc3dlcicsIE93bmVyc2hpcE9mZmVyLmV4dGVuZChwYWdlKSk7XG5leHBvcnQgY29uc3QgT3duZXJzaGlwQWNjZXB0ZWRBbnN3ZXIgPSBuYW1lZCgnT3duZXJzaGlwQWNjZXB0ZWRBbnN3ZXInLCB6LnN0cmljdE9iamVjdCh7IGFjY291bnQ6IEFjY291bnQsIC4uLmRvbmUgfSkpO1xuXG4vLyAtLS0gYXUudXNlclJvdXRlcidzIGFuc3dlcnMuXG5jb25zdCBGZWF0dXJlcyA9IHouc3RyaWN0T2JqZWN0KHsgcGFzc3dvcmQ6IHouYm9vbGVhbigpLCBuYW1lOiB6LmJvb2xlYW4oKSwgZW1haWw6IHouYm9vbGVhbigpLCB2ZXJpZnk6IHouYm9vbGVhbigpIH0pO1xuZXhwb3J0IGNvbnN0IFByb2ZpbGVBbnN3ZXIgPSBuYW1lZCgnUHJvZmlsZUFuc3dlcicsIHouc3RyaWN0T2JqZWN0KHsgdXNlcjogVXNlciwgZmVhdHVyZXM6IEZlYXR1cmVzLCAuLi5wYWdlIH0pKTtcbmV4cG9ydCBjb25zdCBQcm9maWxlU2F2ZWRBbnN3ZXIgPSBuYW1lZCgnUHJvZmlsZVNhdmVkQW5zd2VyJywgei5zdHJpY3RPYmplY3QoeyB1c2VyOiBVc2VyLCAuLi5kb25lIH0pKTtcbmV4cG9ydCBjb25zdCBQYXNzd29yZENoYW5nZWRBbnN3ZXIgPSBuYW1lZChcbiAgJ1Bhc3N3b3JkQ2hhbmdlZEFuc3dlcicsXG4gIHouc3RyaWN0T2JqZWN0KHsgcGFzc3dvcmRDaGFuZ2VkOiB6LmxpdGVyYWwodHJ1ZSksIG90aGVyU2Vzc2lvbnNTaWduZWRPdXQ6IHoubGl0ZXJhbCh0cnVlKSwgLi4uZG9uZSB9KSxcbik7XG5leHBvcnQgY29uc3QgRW1haWxDaGFuZ2VSZXF1ZXN0ZWRBbnN3ZXIgPSBuYW1lZCgnRW1haWxDaGFuZ2VSZXF1ZXN0ZWRBbnN3ZXInLCB6LnN0cmljdE9iamVjdCh7IGVtYWlsOiB6LnN0cmluZygpLCBjb25maXJtYXRpb25TZW50OiB6LmJvb2xlYW4oKSwgLi4uZG9uZSB9KSk7XG5leHBvcnQgY29uc3QgTGlua1BhZ2VBbnN3ZXIgPSBuYW1lZCgnTGlua1BhZ2VBbnN3ZXInLCB6LnN0cmljdE9iamVjdCh7IGVtYWlsOiB6LnN0cmluZygpLCB2YWxpZDogei5saXRlcmFsKHRydWUpLCAuLi5wYWdlIH0pKTtcbmV4cG9ydCBjb25zdCBFbWFpbENvbmZpcm1lZEFuc3dlciA9IG5hbWVkKCdFbWFpbENvbmZpcm1lZEFuc3dlcicsIHouc3RyaWN0T2JqZWN0KHsgZW1haWw6IHouc3RyaW5nKCksIGNvbmZpcm1lZDogei5saXRlcmFsKHRydWUpLCAuLi5wYWdlIH0pKTtcbmV4cG9ydCBjb25zdCBWZXJpZmljYXRpb25BbnN3ZXIgPSBuYW1lZChcbiAgJ1ZlcmlmaWNhdGlvbkFuc3dlcicsXG4gIHouc3RyaWN0T2JqZWN0KHsgZW1haWw6IHouc3RyaW5nKCksIGVtYWlsVmVyaWZpZWQ6IHouYm9vbGVhbigpLCB2ZXJpZmljYXRpb25TZW50OiB6LmJvb2xlYW4oKSwgLi4uZG9uZSB9KSxcbik7XG5leHBvcnQgY29uc3QgVmVyaWZpZWRBbnN3ZXIgPSBuYW1lZCgnVmVyaWZpZWRBbnN3ZXInLCB6LnN0cmljdE9iamVjdCh7IGVtYWlsOiB6LnN0cmluZygpLCBlbWFpbFZlcmlmaWVkOiB6LmxpdGVyYWwodHJ1ZSksIC4uLmRvbmUgfSkpO1xuZXhwb3J0IGNvbnN0IENzcmZUb2tlbkFuc3dlciA9IG5hbWVkKCdDc3JmVG9rZW5BbnN3ZXInLCB6LnN0cmljdE9iamVjdCh7IC4uLnBhZ2UgfSkpO1xuZXhwb3J0IGNvbnN0IFJlc2V0UmVxdWVzdGVkQW5zd2VyID0gbmFtZWQoJ1Jlc2V0UmVxdWVzdGVkQW5zd2VyJywgei5zdHJpY3RPYmplY3QoeyByZXF1ZXN0ZWQ6IHoubGl0ZXJhbCh0cnVlKSwgLi4uZG9uZSB9KSk7XG5leHBvcnQgY29uc3QgUmVzZXRQYWdlQW5zd2VyID0gbmFtZWQoJ1Jlc2V0UGFnZUFuc3dlcicsIHouc3RyaWN0T2JqZWN0KHsgdmFsaWQ6IHoubGl0ZXJhbCh0cnVlKSwgLi4ucGFnZSB9KSk7XG5leHBvcnQgY29uc3QgUGFzc3dvcmRSZXNldEFuc3dlciA9IG5hbWVkKCdQYXNzd29yZFJlc2V0QW5zd2VyJywgei5zdHJpY3RPYmplY3QoeyBwYXNzd29yZFJlc2V0OiB6LmxpdGVyYWwodHJ1ZSksIGxvZ2luVXJsOiB6LnN0cmluZygpLCAuLi5kb25lIH0pKTtcbiIsICJjb25zdCBfX2luamVjdGVkX2ZpbGVuYW1lX18gPSBcIi93b3JrL3d0LWhvdXNlL2xpYi9kZWxpdmVyeS1wcm9ibGVtLnRzXCI7Y29uc3QgX19pbmplY3RlZF9kaXJuYW1lX18gPSBcIi93b3JrL3d0LWhvdXNlL2xpYlwiO2NvbnN0IF9faW5qZWN0ZWRfaW1wb3J0X21ldGFfdXJsX18gPSBcImZpbGU6Ly8vd29yay93dC1ob3VzZS9saWIvZGVsaXZlcnktcHJvYmxlbS50c1wiO2ltcG9ydCB0eXBlIHsgTWVzc2FnZUtleSB9IGZyb20gJy4vbWVzc2FnZXMuanMnO1xuXG4vKipcbiAqIFdoeSBhbiBpbnZpdGF0aW9uIGVtYWlsIGRpZCBub3QgZ28gb3V0LCBhcyBhbiBvd25lciBjYW4gYmUgdG9sZCBpdC4gVGhlIG93bmVyIGlzIGEgY3VzdG9tZXI6XG4gKiB0aGUgdHJhbnNwb3J0J3Mgb3duIGVycm9yIChob3N0IG5hbWVzLCBwb3J0cywgdGhlIHNlcnZlcidzIHJlcGx5LCBhbiBhdXRoIGZhaWx1cmUpIGlzIHdyaXR0ZW5cbiAqIHRvIHRoZSBsb2cgb25seSwgYW5kIG9ubHkgdGhpcyB3b3JkIHJlYWNoZXMgdGhlIGRhdGFiYXNlLCB0aGUgcGFnZSBhbmQgdGhlIEpTT04uXG4gKi9cbmV4cG9ydCBjb25zdCBERUxJVkVSWV9QUk9CTEVNUyA9IFsndW5yZWFjaGFibGUnLCAnaW5zZWN1cmUnLCAncmVmdXNlZF9sb2dpbicsICdyZWZ1c2VkX2FkZHJlc3MnLCAncmVmdXNlZF9tZXNzYWdlJywgJ3RyeV9sYXRlcicsICdub3Rfc2VudCddIGFzIGNvbnN0O1xuZXhwb3J0IHR5cGUgRGVsaXZlcnlQcm9ibGVtID0gKHR5cGVvZiBERUxJVkVSWV9QUk9CTEVNUylbbnVtYmVyXTtcblxuY29uc3QgVU5SRUFDSEFCTEUgPSBuZXcgU2V0KFtcbiAgJ0VDT05ORUNUSU9OJyxcbiAgJ0VUSU1FRE9VVCcsXG4gICdFU09DS0VUJyxcbiAgJ0VETlMnLFxuICAnRUNPTk5SRUZVU0VEJyxcbiAgJ0VDT05OUkVTRVQnLFxuICAnRU5PVEZPVU5EJyxcbiAgJ0VIT1NUVU5SRUFDSCcsXG4gICdFTkVUVU5SRUFDSCcsXG4gICdFQUlfQUdBSU4nLFxuICAnRVBJUEUnLFxuICAnRVBST1RPQ09MJyxcbl0pO1xuXG4vKiogUmVhZHMgYSBub2RlbWFpbGVyIGVycm9yOiBpdHMgYGNvZGVgLCB0aGVuIHRoZSBTTVRQIHJlcGx5IGNvZGUgKGByZXNwb25zZUNvZGVgLCBvciB0aGUgb25lIGl0cyBtZXNzYWdlIHN0YXJ0cyB3aXRoKS4gKi9cbmV4cG9ydCBmdW5jdGlvbiBkZWxpdmVyeVByb2JsZW1PZihlcnI6IHVua25vd24pOiBEZWxpdmVyeVByb2JsZW0ge1xuICBjb25zdCBlID0gKHR5cGVvZiBlcnIgPT09ICdvYmplY3QnICYmIGVyciAhPT0gbnVsbCA/IGVyciA6IHt9KSBhcyB7IGNvZGU/OiB1bmtub3duOyByZXNwb25zZUNvZGU/OiB1bmtub3duOyBtZXNzYWdlPzogdW5rbm93biB9O1xuICBjb25zdCBjb2RlID0gdHlwZW9mIGUuY29kZSA9PT0gJ3N0cmluZycgPyBlLmNvZGUgOiAnJztcbiAgaWYgKGNvZGUgPT09ICdFVExTJykgcmV0dXJuICdpbnNlY3VyZSc7XG4gIGlmIChjb2RlID09PSAnRUFVVEgnIHx8IGNvZGUgPT09ICdFTk9BVVRIJykgcmV0dXJuICdyZWZ1c2VkX2xvZ2luJztcbiAgY29uc3QgcmVwbHkgPVxuICAgIHR5cGVvZiBlLnJlc3BvbnNlQ29kZSA9PT0gJ251bWJlcicgPyBlLnJlc3BvbnNlQ29kZSA6IE51bWJlcigvXlxccyooWzQ1XVxcZFxcZClcXGIvLmV4ZWModHlwZW9mIGUubWVzc2FnZSA9PT0gJ3N0cmluZycgPyBlLm1lc3NhZ2UgOiAnJyk/LlsxXSA/PyBOYU4pO1xuICBpZiAocmVwbHkgPj0gNDAwICYmIHJlcGx5IDwgNTAwKSByZXR1cm4gJ3RyeV9sYXRlcic7XG4gIGlmIChyZXBseSA+PSA1MDAgJiYgcmVwbHkgPCA2MDApIHJldHVybiBjb2RlID09PSAnRUVOVkVMT1BFJyB8fCByZXBseSA9PT0gNTUwIHx8IHJlcGx5ID09PSA1NTEgfHwgcmVwbHkgPT09IDU1MyA/ICdyZWZ1c2VkX2FkZHJlc3MnIDogJ3JlZnVzZWRfbWVzc2FnZSc7XG4gIGlmIChVTlJFQUNIQUJMRS5oYXMoY29kZSkpIHJldHVybiAndW5yZWFjaGFibGUnO1xuICByZXR1cm4gJ25vdF9zZW50Jztcbn1cblxuLyoqIEEgc3RvcmVkIHZhbHVlIHJlYWQgYmFjazogYW55dGhpbmcgYnV0IGEga25vd24gd29yZCAoYW4gb2xkZXIgcm93J3MgcmF3IGVycm9yIHRleHQpIHNheXMgb25seSBcImNvdWxkIG5vdCBiZSBzZW50XCIuICovXG5leHBvcnQgZnVuY3Rpb24gdG9EZWxpdmVyeVByb2JsZW0oc3RvcmVkOiB1bmtub3duKTogRGVsaXZlcnlQcm9ibGVtIHwgbnVsbCB7XG4gIGlmIChzdG9yZWQgPT09IG51bGwgfHwgc3RvcmVkID09PSB1bmRlZmluZWQgfHwgc3RvcmVkID09PSAnJykgcmV0dXJuIG51bGw7XG4gIHJldHVybiB0eXBlb2Ygc3RvcmVkID09PSAnc3RyaW5nJyAmJiAoREVMSVZFUllfUFJPQkxFTVMgYXMgcmVhZG9ubHkgc3RyaW5nW10pLmluY2x1ZGVzKHN0b3JlZCkgPyAoc3RvcmVkIGFzIERlbGl2ZXJ5UHJvYmxlbSkgOiAnbm90X3NlbnQnO1xufVxuXG5leHBvcnQgZnVuY3Rpb24gZGVsaXZlcnlQcm9ibGVtS2V5KHByb2JsZW06IERlbGl2ZXJ5UHJvYmxlbSk6IE1lc3NhZ2VLZXkge1xuICByZXR1cm4gYGRlbGl2ZXJ5LiR7cHJvYmxlbX1gIGFzIE1lc3NhZ2VLZXk7XG59XG4iLCAiY29uc3QgX19pbmplY3RlZF9maWxlbmFtZV9fID0gXCIvd29yay93dC1ob3VzZS9saWIvaHR0cC9qc29uLWFwaS9yb3V0ZXMudHNcIjtjb25zdCBfX2luamVjdGVkX2Rpcm5hbWVfXyA9IFwiL3dvcmsvd3QtaG91c2UvbGliL2h0dHAvanNvbi1hcGlcIjtjb25zdCBfX2luamVjdGVkX2ltcG9ydF9tZXRhX3VybF9fID0gXCJmaWxlOi8vL3dvcmsvd3QtaG91c2UvbGliL2h0dHAvanNvbi1hcGkvcm91dGVzLnRzXCI7aW1wb3J0IHsgeiB9IGZyb20gJ3pvZCc7XG5pbXBvcnQgKiBhcyBTIGZyb20gJy4vc2NoZW1hcy5qcyc7XG5cbi8qKiBPbmUgSlNPTiByb3V0ZTogaXRzIHJlcXVlc3QgYm9keSAod2hlbiBpdCB0YWtlcyBvbmUpIGFuZCBpdHMgYW5zd2VycyBieSBzdGF0dXM7IGV2ZXJ5IHJvdXRlIG1heSBhbHNvIGFuc3dlciB0aGUgZXJyb3JzIG9mIGBFUlJPUlNgLiAqL1xuZXhwb3J0IGludGVyZmFjZSBKc29uUm91dGUge1xuICBtZXRob2Q6ICdnZXQnIHwgJ3Bvc3QnO1xuICAvKiogVGhlIHBhdGggdW5kZXIgdGhlIHJvdXRlcidzIG1vdW50LCB3aXRoIGB7cGFyYW1zfWAuICovXG4gIHBhdGg6IHN0cmluZztcbiAgc3VtbWFyeTogc3RyaW5nO1xuICBib2R5Pzogei5ab2RUeXBlO1xuICBxdWVyeT86IFJlY29yZDxzdHJpbmcsIHN0cmluZz47XG4gIGFuc3dlcnM6IFJlY29yZDxudW1iZXIsIHouWm9kVHlwZT47XG59XG5cbmNvbnN0IGtleXMgPSB6LmFycmF5KHouc3RyaW5nKCkpLmRlc2NyaWJlKCdwZXJtaXNzaW9uIGtleXMgb2YgdGhlIGNhdGFsb2d1ZScpO1xuY29uc3QgbW9tZW50ID0gei5zdHJpbmcoKS5kZXNjcmliZSgnSVNPIDg2MDEgZGF0ZS10aW1lIHdpdGggaXRzIHpvbmUsIG9yIGEgZGF0ZSBhbG9uZSAodGhlIGVuZCBvZiB0aGF0IGRheSBpbiBVVEMpJyk7XG5cbi8qKlxuICogVGhlIHJlZnVzYWxzIGFueSByb3V0ZSBtYXkgZ2l2ZSAodGhlIGVycm9yIHRhYmxlIG9mIGRvY3MvanNvbi1hcGkubWQpLiBOb3QgZXZlcnkgcm91dGUgY2FuIGdpdmVcbiAqIGV2ZXJ5IG9uZTsgZWFjaCBzdGF0dXMgaXMgbGlzdGVkIG9uY2UsIHdpdGggaXRzIG9uZSBzaGFwZS5cbiAqL1xuZXhwb3J0IGNvbnN0IEVSUk9SUyA9IFs0MDAsIDQwMSwgNDAzLCA0MDQsIDQwOSwgNDEwLCA0MjksIDUwM10gYXMgY29uc3Q7XG5cbi8qKiBhdS5yb3V0ZXIsIGluIHRoZSBvcmRlciBvZiBpdHMgcm91dGUgdGFibGUuICovXG5leHBvcnQgY29uc3QgUk9VVEVSX1JPVVRFUzogSnNvblJvdXRlW10gPSBbXG4gIHsgbWV0aG9kOiAnZ2V0JywgcGF0aDogJy9vcGVuYXBpLmpzb24nLCBzdW1tYXJ5OiAnVGhpcyBkb2N1bWVudCcsIGFuc3dlcnM6IHsgMjAwOiB6Lm9iamVjdCh7fSkucGFzc3Rocm91Z2goKSB9IH0sXG4gIHtcbiAgICBtZXRob2Q6ICdnZXQnLFxuICAgIHBhdGg6ICcvJyxcbiAgICBzdW1tYXJ5OiAnVXNlciBtYW5hZ2VtZW50OiBtZW1iZXJzICh0aGUgb3duZXIgZmlyc3QpIGFuZCBpbnZpdGF0aW9ucywgNTAgYXQgYSB0aW1lJyxcbiAgICBxdWVyeTogeyBtZW1iZXJzQWZ0ZXI6ICdjdXJzb3InLCBtZW1iZXJzQmVmb3JlOiAnY3Vyc29yJywgaW52aXRhdGlvbnNBZnRlcjogJ2N1cnNvcicsIGludml0YXRpb25zQmVmb3JlOiAnY3Vyc29yJyB9LFxuICAgIGFuc3dlcnM6IHsgMjAwOiBTLlVzZXJzUGFnZUFuc3dlciB9LFxuICB9LFxuICB7IG1ldGhvZDogJ2dldCcsIHBhdGg6ICcvaW52aXRlJywgc3VtbWFyeTogJ1doYXQgdGhlIGludml0ZSBmb3JtIG9mZmVycycsIGFuc3dlcnM6IHsgMjAwOiBTLkludml0ZUZvcm1BbnN3ZXIgfSB9LFxuICB7XG4gICAgbWV0aG9kOiAncG9zdCcsXG4gICAgcGF0aDogJy9pbnZpdGUnLFxuICAgIHN1bW1hcnk6ICdJbnZpdGUgYnkgZW1haWwnLFxuICAgIGJvZHk6IHoub2JqZWN0KHsgZW1haWw6IHouc3RyaW5nKCksIHBlcm1pc3Npb25zOiBrZXlzLm9wdGlvbmFsKCksIHByZXNldDogei5zdHJpbmcoKS5vcHRpb25hbCgpLCBhY2Nlc3NVbnRpbDogbW9tZW50Lm9wdGlvbmFsKCkgfSksXG4gICAgYW5zd2VyczogeyAyMDE6IFMuSW52aXRlQW5zd2VyLCAyMDA6IHoudW5pb24oW1MuSW52aXRlQW5zd2VyLCBTLkludml0ZUZvcm1BbnN3ZXJdKSB9LFxuICB9LFxuICB7XG4gICAgbWV0aG9kOiAncG9zdCcsXG4gICAgcGF0aDogJy9pbnZpdGF0aW9ucy97aWR9L3Jlc2VuZCcsXG4gICAgc3VtbWFyeTogJ1NlbmQgYSBwZW5kaW5nLCBleHBpcmVkIG9yIGRlY2xpbmVkIGludml0YXRpb24gYWdhaW4nLFxuICAgIGFuc3dlcnM6IHsgMjAwOiBTLkludml0YXRpb25EZWxpdmVyeUFuc3dlciB9LFxuICB9LFxuICB7IG1ldGhvZDogJ3Bvc3QnLCBwYXRoOiAnL2ludml0YXRpb25zL3tpZH0vY2FuY2VsJywgc3VtbWFyeTogJ0NhbmNlbCBhIHBlbmRpbmcgaW52aXRhdGlvbicsIGFuc3dlcnM6IHsgMjAwOiBTLkludml0YXRpb25BbnN3ZXIgfSB9LFxuICB7IG1ldGhvZDogJ2dldCcsIHBhdGg6ICcvdXNlcnMve3VzZXJJZH0nLCBzdW1tYXJ5OiAnQSBtZW1iZXIgYW5kIHRoZSBwZXJtaXNzaW9ucyB0aGUgY2FsbGVyIG1heSBncmFudCcsIGFuc3dlcnM6IHsgMjAwOiBTLk1lbWJlckZvcm1BbnN3ZXIgfSB9LFxuICB7XG4gICAgbWV0aG9kOiAncG9zdCcsXG4gICAgcGF0aDogJy91c2Vycy97dXNlcklkfS9wZXJtaXNzaW9ucycsXG4gICAgc3VtbWFyeTogXCJTZXQgYSBtZW1iZXIncyBwZXJtaXNzaW9ucyBhbmQgd2hlbiB0aGVpciBhY2Nlc3MgZW5kc1wiLFxuICAgIGJvZHk6IHoub2JqZWN0KHsgcGVybWlzc2lvbnM6IGtleXMub3B0aW9uYWwoKSwgcHJlc2V0OiB6LnN0cmluZygpLm9wdGlvbmFsKCksIGFjY2Vzc1VudGlsOiBtb21lbnQubnVsbGFibGUoKS5vcHRpb25hbCgpIH0pLFxuICAgIGFuc3dlcnM6IHsgMjAwOiB6LnVuaW9uKFtTLk1lbWJlckFuc3dlciwgUy5QcmVzZXRBcHBsaWVkQW5zd2VyXSkgfSxcbiAgfSxcbiAgeyBtZXRob2Q6ICdnZXQnLCBwYXRoOiAnL3VzZXJzL3t1c2VySWR9L3JlbW92ZScsIHN1bW1hcnk6ICdUaGUgbWVtYmVyIGEgcmVtb3ZhbCB3b3VsZCByZW1vdmUnLCBhbnN3ZXJzOiB7IDIwMDogUy5NZW1iZXJSZW1vdmVGb3JtQW5zd2VyIH0gfSxcbiAgeyBtZXRob2Q6ICdwb3N0JywgcGF0aDogJy91c2Vycy97dXNlcklkfS9yZW1vdmUnLCBzdW1tYXJ5OiAnUmVtb3ZlIGEgbWVtYmVyJywgYW5zd2VyczogeyAyMDA6IFMuTWVtYmVyUmVtb3ZlZEFuc3dlciB9IH0sXG4gIHsgbWV0aG9kOiAnZ2V0JywgcGF0aDogJy9hY2NlcHQve3Rva2VufScsIHN1bW1hcnk6IFwiQW4gaW52aXRhdGlvbiBsaW5rJ3MgcGFnZTsgY2hhbmdlcyBub3RoaW5nXCIsIGFuc3dlcnM6IHsgMjAwOiBTLkFjY2VwdFBhZ2VBbnN3ZXIgfSB9LFxuICB7IG1ldGhvZDogJ3Bvc3QnLCBwYXRoOiAnL2FjY2VwdC97dG9rZW59Jywgc3VtbWFyeTogJ1RoZSBzaWduZWQtaW4gdXNlciBhY2NlcHRzJywgYW5zd2VyczogeyAyMDA6IFMuTWVtYmVyc2hpcEFuc3dlciB9IH0sXG4gIHtcbiAgICBtZXRob2Q6ICdwb3N0JyxcbiAgICBwYXRoOiAnL2FjY2VwdC97dG9rZW59L3JlZ2lzdGVyJyxcbiAgICBzdW1tYXJ5OiAnQSB2aXNpdG9yIGNyZWF0ZXMgYSBsb2dpbiB3aXRoIHRoZSBpbnZpdGVkIGFkZHJlc3MgYW5kIGFjY2VwdHMgKGFuZCBpcyBzaWduZWQgaW4pJyxcbiAgICBib2R5OiB6Lm9iamVjdCh7IG5hbWU6IHouc3RyaW5nKCksIHBhc3N3b3JkOiB6LnN0cmluZygpIH0pLFxuICAgIGFuc3dlcnM6IHsgMjAxOiBTLlJlZ2lzdGVyZWRBbnN3ZXIgfSxcbiAgfSxcbiAgeyBtZXRob2Q6ICdwb3N0JywgcGF0aDogJy9hY2NlcHQve3Rva2VufS9kZWNsaW5lJywgc3VtbWFyeTogJ1RoZSBpbnZpdGVlIGRlY2xpbmVzLCBzaWduZWQgaW4gb3Igbm90JywgYW5zd2VyczogeyAyMDA6IFMuRGVjbGluZWRCeUxpbmtBbnN3ZXIgfSB9LFxuICB7IG1ldGhvZDogJ3Bvc3QnLCBwYXRoOiAnL2FjY2VwdC97dG9rZW59L3NpZ25vdXQnLCBzdW1tYXJ5OiAnU2lnbiBvdXQgKGZyb20gdGhlIFwic2VudCB0byBhbm90aGVyIGFkZHJlc3NcIiBwYWdlKScsIGFuc3dlcnM6IHsgMjAwOiBTLlNpZ25lZE91dEFuc3dlciB9IH0sXG4gIHsgbWV0aG9kOiAnZ2V0JywgcGF0aDogJy9hY2NvdW50cycsIHN1bW1hcnk6IFwiVGhlIHNpZ25lZC1pbiB1c2VyJ3MgYWNjb3VudHMsIHdhaXRpbmcgaW52aXRhdGlvbnMgYW5kIG93bmVyc2hpcCBvZmZlcnNcIiwgYW5zd2VyczogeyAyMDA6IFMuQWNjb3VudHNBbnN3ZXIgfSB9LFxuICB7XG4gICAgbWV0aG9kOiAncG9zdCcsXG4gICAgcGF0aDogJy9hY2NvdW50cy9zd2l0Y2gnLFxuICAgIHN1bW1hcnk6ICdNYWtlIGFub3RoZXIgYWNjb3VudCB0aGUgYWN0aXZlIG9uZScsXG4gICAgYm9keTogei5vYmplY3QoeyBhY2NvdW50SWQ6IHoudW5pb24oW2lkKCksIHouc3RyaW5nKCldKSB9KSxcbiAgICBhbnN3ZXJzOiB7IDIwMDogUy5Td2l0Y2hlZEFuc3dlciB9LFxuICB9LFxuICB7IG1ldGhvZDogJ3Bvc3QnLCBwYXRoOiAnL2FjY291bnRzL3thY2NvdW50SWR9L2xlYXZlJywgc3VtbWFyeTogJ0xlYXZlIGFuIGFjY291bnQnLCBhbnN3ZXJzOiB7IDIwMDogUy5MZWZ0QW5zd2VyIH0gfSxcbiAge1xuICAgIG1ldGhvZDogJ3Bvc3QnLFxuICAgIHBhdGg6ICcvYWNjb3VudHMvaW52aXRhdGlvbnMve2ludml0YXRpb25JZH0vYWNjZXB0JyxcbiAgICBzdW1tYXJ5OiAnQWNjZXB0IGFuIGludml0YXRpb24gdG8gdGhlIG93biBhZGRyZXNzIGluIHRoZSBhcHAnLFxuICAgIGFuc3dlcnM6IHsgMjAwOiBTLk1lbWJlcnNoaXBBbnN3ZXIgfSxcbiAgfSxcbiAge1xuICAgIG1ldGhvZDogJ3Bvc3QnLFxuICAgIHBhdGg6ICcvYWNjb3VudHMvaW52aXRhdGlvbnMve2ludml0YXRpb25JZH0vZGVjbGluZScsXG4gICAgc3VtbWFyeTogJ0RlY2xpbmUgYW4gaW52aXRhdGlvbiB0byB0aGUgb3duIGFkZHJlc3MgaW4gdGhlIGFwcCcsXG4gICAgYW5zd2VyczogeyAyMDA6IFMuRGVjbGluZWRBbnN3ZXIgfSxcbiAgfSxcbiAge1xuICAgIG1ldGhvZDogJ2dldCcsXG4gICAgcGF0aDogJy9hY3Rpdml0eScsXG4gICAgc3VtbWFyeTogXCJUaGUgYWNjb3VudCdzIGFjdGl2aXR5LCBuZXdlc3QgZmlyc3QsIDUwIGF0IGEgdGltZVwiLFxuICAgIHF1ZXJ5OiB7IGFmdGVyOiAnY3Vyc29yJywgYmVmb3JlOiAnY3Vyc29yJyB9LFxuICAgIGFuc3dlcnM6IHsgMjAwOiBTLkFjdGl2aXR5QW5zd2VyIH0sXG4gIH0sXG4gIHsgbWV0aG9kOiAnZ2V0JywgcGF0aDogJy90cmFuc2ZlcicsIHN1bW1hcnk6ICdUaGUgc3RhbmRpbmcgb3duZXJzaGlwIG9mZmVyIGFuZCB0aGUgdXNlcnMgaXQgbWF5IGJlIG1hZGUgdG8nLCBhbnN3ZXJzOiB7IDIwMDogUy5UcmFuc2ZlclBhZ2VBbnN3ZXIgfSB9LFxuICB7XG4gICAgbWV0aG9kOiAncG9zdCcsXG4gICAgcGF0aDogJy90cmFuc2ZlcicsXG4gICAgc3VtbWFyeTogJ09mZmVyIG93bmVyc2hpcCB0byBhIHVzZXIgb2YgdGhlIGFjY291bnQnLFxuICAgIGJvZHk6IHoub2JqZWN0KHsgdXNlcklkOiB6LnVuaW9uKFtpZCgpLCB6LnN0cmluZygpXSksIGN1cnJlbnRQYXNzd29yZDogei5zdHJpbmcoKSB9KSxcbiAgICBhbnN3ZXJzOiB7IDIwMTogUy5UcmFuc2ZlckFuc3dlciB9LFxuICB9LFxuICB7IG1ldGhvZDogJ3Bvc3QnLCBwYXRoOiAnL3RyYW5zZmVyL2NhbmNlbCcsIHN1bW1hcnk6ICdXaXRoZHJhdyB0aGUgc3RhbmRpbmcgb2ZmZXInLCBhbnN3ZXJzOiB7IDIwMDogUy5UcmFuc2ZlckFuc3dlciB9IH0sXG4gIHsgbWV0aG9kOiAnZ2V0JywgcGF0aDogJy90cmFuc2Zlci97dG9rZW59Jywgc3VtbWFyeTogJ0FuIG93bmVyc2hpcCBvZmZlciwgZm9yIHRoZSB1c2VyIGl0IHdhcyBtYWRlIHRvJywgYW5zd2VyczogeyAyMDA6IFMuT3duZXJzaGlwT2ZmZXJBbnN3ZXIgfSB9LFxuICB7IG1ldGhvZDogJ3Bvc3QnLCBwYXRoOiAnL3RyYW5zZmVyL3t0b2tlbn0nLCBzdW1tYXJ5OiAnQWNjZXB0IGFuIG93bmVyc2hpcCBvZmZlcicsIGFuc3dlcnM6IHsgMjAwOiBTLk93bmVyc2hpcEFjY2VwdGVkQW5zd2VyIH0gfSxcbl07XG5cbi8qKiBhdS51c2VyUm91dGVyLiAqL1xuZXhwb3J0IGNvbnN0IFVTRVJfUk9VVEVSX1JPVVRFUzogSnNvblJvdXRlW10gPSBbXG4gIHsgbWV0aG9kOiAnZ2V0JywgcGF0aDogJy9vcGVuYXBpLmpzb24nLCBzdW1tYXJ5OiAnVGhpcyBkb2N1bWVudCcsIGFuc3dlcnM6IHsgMjAwOiB6Lm9iamVjdCh7fSkucGFzc3Rocm91Z2goKSB9IH0sXG4gIHsgbWV0aG9kOiAnZ2V0JywgcGF0aDogJy9wcm9maWxlJywgc3VtbWFyeTogJ1RoZSBzaWduZWQtaW4gbG9naW4gYW5kIHdoYXQgaXQgbWF5IGNoYW5nZScsIGFuc3dlcnM6IHsgMjAwOiBTLlByb2ZpbGVBbnN3ZXIgfSB9LFxuICB7IG1ldGhvZDogJ3Bvc3QnLCBwYXRoOiAnL3Byb2ZpbGUnLCBzdW1tYXJ5OiAnQ2hhbmdlIHRoZSBuYW1lJywgYm9keTogei5vYmplY3QoeyBuYW1lOiB6LnN0cmluZygpIH0pLCBhbnN3ZXJzOiB7IDIwMDogUy5Qcm9maWxlU2F2ZWRBbnN3ZXIgfSB9LFxuICB7XG4gICAgbWV0aG9kOiAncG9zdCcsXG4gICAgcGF0aDogJy9wYXNzd29yZCcsXG4gICAgc3VtbWFyeTogJ0NoYW5nZSB0aGUgcGFzc3dvcmQ7IG90aGVyIHNlc3Npb25zIGFyZSBzaWduZWQgb3V0JyxcbiAgICBib2R5OiB6Lm9iamVjdCh7IGN1cnJlbnRQYXNzd29yZDogei5zdHJpbmcoKSwgbmV3UGFzc3dvcmQ6IHouc3RyaW5nKCkgfSksXG4gICAgYW5zd2VyczogeyAyMDA6IFMuUGFzc3dvcmRDaGFuZ2VkQW5zd2VyIH0sXG4gIH0sXG4gIHtcbiAgICBtZXRob2Q6ICdwb3N0JyxcbiAgICBwYXRoOiAnL2VtYWlsJyxcbiAgICBzdW1tYXJ5OiAnQXNrIHRvIG1vdmUgdGhlIGxvZ2luIHRvIGFub3RoZXIgYWRkcmVzcyAoYSBsaW5rIGdvZXMgdGhlcmUpJyxcbiAgICBib2R5OiB6Lm9iamVjdCh7IGVtYWlsOiB6LnN0cmluZygpLCBjdXJyZW50UGFzc3dvcmQ6IHouc3RyaW5nKCkgfSksXG4gICAgYW5zd2VyczogeyAyMDI6IFMuRW1haWxDaGFuZ2VSZXF1ZXN0ZWRBbnN3ZXIgfSxcbiAgfSxcbiAgeyBtZXRob2Q6ICdnZXQnLCBwYXRoOiAnL2VtYWlsL2NvbmZpcm0ve3Rva2VufScsIHN1bW1hcnk6ICdUaGUgYWRkcmVzcyBhIGNvbmZpcm1hdGlvbiBsaW5rIHdvdWxkIG1vdmUgdGhlIGxvZ2luIHRvJywgYW5zd2VyczogeyAyMDA6IFMuTGlua1BhZ2VBbnN3ZXIgfSB9LFxuICB7IG1ldGhvZDogJ3Bvc3QnLCBwYXRoOiAnL2VtYWlsL2NvbmZpcm0ve3Rva2VufScsIHN1bW1hcnk6ICdDb25maXJtIHRoZSBuZXcgYWRkcmVzcycsIGFuc3dlcnM6IHsgMjAwOiBTLkVtYWlsQ29uZmlybWVkQW5zd2VyIH0gfSxcbiAge1xuICAgIG1ldGhvZDogJ3Bvc3QnLFxuICAgIHBhdGg6ICcvZW1haWwvdmVyaWZ5JyxcbiAgICBzdW1tYXJ5OiBcIlNlbmQgYSB2ZXJpZmljYXRpb24gbGluayB0byB0aGUgbG9naW4ncyBvd24gYWRkcmVzc1wiLFxuICAgIGJvZHk6IHoub2JqZWN0KHsgcmV0dXJuVG86IHouc3RyaW5nKCkub3B0aW9uYWwoKSB9KSxcbiAgICBhbnN3ZXJzOiB7IDIwMjogUy5WZXJpZmljYXRpb25BbnN3ZXIsIDIwMDogUy5WZXJpZmljYXRpb25BbnN3ZXIgfSxcbiAgfSxcbiAgeyBtZXRob2Q6ICdnZXQnLCBwYXRoOiAnL2VtYWlsL3ZlcmlmeS97dG9rZW59Jywgc3VtbWFyeTogXCJBIHZlcmlmaWNhdGlvbiBsaW5rJ3MgcGFnZVwiLCBhbnN3ZXJzOiB7IDIwMDogUy5MaW5rUGFnZUFuc3dlciB9IH0sXG4gIHsgbWV0aG9kOiAncG9zdCcsIHBhdGg6ICcvZW1haWwvdmVyaWZ5L3t0b2tlbn0nLCBzdW1tYXJ5OiAnVmVyaWZ5IHRoZSBhZGRyZXNzJywgYW5zd2VyczogeyAyMDA6IFMuVmVyaWZpZWRBbnN3ZXIgfSB9LFxuICB7IG1ldGhvZDogJ2dldCcsIHBhdGg6ICcvcGFzc3dvcmQvZm9yZ290Jywgc3VtbWFyeTogJ0EgQ1NSRiB0b2tlbiBmb3IgdGhlIGZvcm0nLCBhbnN3ZXJzOiB7IDIwMDogUy5Dc3JmVG9rZW5BbnN3ZXIgfSB9LFxuICB7XG4gICAgbWV0aG9kOiAncG9zdCcsXG4gICAgcGF0aDogJy9wYXNzd29yZC9mb3Jnb3QnLFxuICAgIHN1bW1hcnk6ICdBc2sgZm9yIGEgcmVzZXQgbGluayAodGhlIHNhbWUgYW5zd2VyIGZvciBldmVyeSBhZGRyZXNzKScsXG4gICAgYm9keTogei5vYmplY3QoeyBlbWFpbDogei5zdHJpbmcoKSB9KSxcbiAgICBhbnN3ZXJzOiB7IDIwMjogUy5SZXNldFJlcXVlc3RlZEFuc3dlciB9LFxuICB9LFxuICB7IG1ldGhvZDogJ2dldCcsIHBhdGg6ICcvcGFzc3dvcmQvcmVzZXQve3Rva2VufScsIHN1bW1hcnk6IFwiQSByZXNldCBsaW5rJ3MgcGFnZVwiLCBhbnN3ZXJzOiB7IDIwMDogUy5SZXNldFBhZ2VBbnN3ZXIgfSB9LFxuICB7XG4gICAgbWV0aG9kOiAncG9zdCcsXG4gICAgcGF0aDogJy9wYXNzd29yZC9yZXNldC97dG9rZW59JyxcbiAgICBzdW1tYXJ5OiAnU2V0IGEgbmV3IHBhc3N3b3JkJyxcbiAgICBib2R5OiB6Lm9iamVjdCh7IHBhc3N3b3JkOiB6LnN0cmluZygpIH0pLFxuICAgIGFuc3dlcnM6IHsgMjAwOiBTLlBhc3N3b3JkUmVzZXRBbnN3ZXIgfSxcbiAgfSxcbl07XG5cbmZ1bmN0aW9uIGlkKCkge1xuICByZXR1cm4gei5udW1iZXIoKS5pbnQoKS5wb3NpdGl2ZSgpO1xufVxuIl0sCiAgIm1hcHBpbmdzIjogIjtBQUF3TCxTQUFTLFVBQVUsaUJBQWlCO0FBQzVOLFNBQVMsb0JBQW9COzs7QUNEMk0sU0FBUyxLQUFBQSxVQUFTOzs7QUNRMVAsU0FBUyxTQUFTOzs7QUNEWCxJQUFNLG9CQUFvQixDQUFDLGVBQWUsWUFBWSxpQkFBaUIsbUJBQW1CLG1CQUFtQixhQUFhLFVBQVU7OztBREtwSSxJQUFNLFdBQVcsRUFBRSxTQUErQztBQUV6RSxJQUFNLFFBQVEsQ0FBc0JDLEtBQVksUUFBVyxnQkFBNEI7QUFDckYsV0FBUyxJQUFJLFFBQVEsRUFBRSxJQUFBQSxLQUFJLEdBQUksY0FBYyxFQUFFLFlBQVksSUFBSSxDQUFDLEVBQUcsQ0FBQztBQUNwRSxTQUFPO0FBQ1Q7QUFFQSxJQUFNLE9BQU8sTUFBTSxZQUFZLEVBQUUsSUFBSSxTQUFTLEdBQUcseURBQXlEO0FBQzFHLElBQU0sS0FBSyxFQUFFLE9BQU8sRUFBRSxJQUFJLEVBQUUsU0FBUztBQUNyQyxJQUFNLFNBQVMsR0FBRyxTQUFTO0FBRXBCLElBQU0sY0FBYztBQUFBLEVBQ3pCO0FBQUEsRUFDQSxFQUFFLGFBQWE7QUFBQSxJQUNiLE9BQU8sRUFBRSxhQUFhO0FBQUEsTUFDcEIsTUFBTSxFQUFFLEtBQUs7QUFBQSxRQUNYO0FBQUEsUUFDQTtBQUFBLFFBQ0E7QUFBQSxRQUNBO0FBQUEsUUFDQTtBQUFBLFFBQ0E7QUFBQSxRQUNBO0FBQUEsUUFDQTtBQUFBLFFBQ0E7QUFBQSxRQUNBO0FBQUEsUUFDQTtBQUFBLFFBQ0E7QUFBQSxRQUNBO0FBQUEsUUFDQTtBQUFBLFFBQ0E7QUFBQSxRQUNBO0FBQUEsUUFDQTtBQUFBLFFBQ0E7QUFBQSxNQUNGLENBQUM7QUFBQSxNQUNELFNBQVMsRUFBRSxPQUFPO0FBQUE7QUFBQSxNQUVsQixRQUFRLEVBQUUsTUFBTSxFQUFFLGFBQWEsRUFBRSxPQUFPLEVBQUUsT0FBTyxHQUFHLFNBQVMsRUFBRSxPQUFPLEVBQUUsQ0FBQyxDQUFDLEVBQUUsU0FBUztBQUFBO0FBQUEsTUFFckYsWUFBWSxFQUFFLE9BQU8sRUFBRSxJQUFJLEVBQUUsU0FBUztBQUFBO0FBQUEsTUFFdEMsUUFBUSxFQUFFLEtBQUssQ0FBQyxXQUFXLFFBQVEsY0FBYyxhQUFhLFlBQVksVUFBVSxDQUFDLEVBQUUsU0FBUztBQUFBLElBQ2xHLENBQUM7QUFBQTtBQUFBLElBRUQsV0FBVyxFQUFFLE9BQU8sRUFBRSxTQUFTO0FBQUEsRUFDakMsQ0FBQztBQUFBLEVBQ0Q7QUFDRjtBQUdBLElBQU0sT0FBTyxFQUFFLFNBQVMsRUFBRSxPQUFPLEdBQUcsV0FBVyxFQUFFLE9BQU8sRUFBRTtBQUMxRCxJQUFNLE9BQU8sRUFBRSxXQUFXLEVBQUUsT0FBTyxFQUFFO0FBRTlCLElBQU0sYUFBYSxNQUFNLGNBQWMsRUFBRSxhQUFhLEVBQUUsS0FBSyxFQUFFLE9BQU8sR0FBRyxPQUFPLEVBQUUsT0FBTyxHQUFHLGFBQWEsRUFBRSxPQUFPLEdBQUcsU0FBUyxFQUFFLE9BQU8sRUFBRSxTQUFTLEVBQUUsQ0FBQyxDQUFDO0FBQ3RKLElBQU0sU0FBUyxNQUFNLFVBQVUsRUFBRSxhQUFhLEVBQUUsS0FBSyxFQUFFLE9BQU8sR0FBRyxPQUFPLEVBQUUsT0FBTyxHQUFHLGFBQWEsRUFBRSxNQUFNLEVBQUUsT0FBTyxDQUFDLEVBQUUsQ0FBQyxDQUFDO0FBQ3ZILElBQU0sVUFBVTtBQUFBLEVBQ3JCO0FBQUEsRUFDQSxFQUFFLGFBQWE7QUFBQSxJQUNiO0FBQUEsSUFDQSxNQUFNLEVBQUUsT0FBTztBQUFBLElBQ2YsYUFBYTtBQUFBO0FBQUEsSUFFYixtQkFBbUIsRUFBRSxRQUFRLEVBQUUsU0FBUztBQUFBLElBQ3hDLHFCQUFxQixLQUFLLFNBQVMsRUFBRSxTQUFTO0FBQUEsRUFDaEQsQ0FBQztBQUNIO0FBQ0EsSUFBTSxhQUFhLEVBQUUsYUFBYSxFQUFFLElBQUksTUFBTSxFQUFFLE9BQU8sRUFBRSxDQUFDO0FBRW5ELElBQU0sU0FBUztBQUFBLEVBQ3BCO0FBQUEsRUFDQSxFQUFFLGFBQWE7QUFBQSxJQUNiLFFBQVE7QUFBQSxJQUNSLE1BQU0sRUFBRSxPQUFPO0FBQUEsSUFDZixPQUFPLEVBQUUsT0FBTztBQUFBLElBQ2hCLFNBQVMsRUFBRSxRQUFRO0FBQUEsSUFDbkIsYUFBYSxFQUFFLE1BQU0sRUFBRSxPQUFPLENBQUM7QUFBQSxJQUMvQixhQUFhLEtBQUssU0FBUztBQUFBLElBQzNCLFVBQVU7QUFBQSxJQUNWLGFBQWEsS0FBSyxTQUFTO0FBQUEsSUFDM0IsYUFBYSxFQUFFLFFBQVE7QUFBQSxJQUN2QixXQUFXLEVBQUUsUUFBUTtBQUFBLElBQ3JCLGFBQWEsS0FBSyxTQUFTO0FBQUEsSUFDM0IsaUJBQWlCLEVBQUUsT0FBTyxFQUFFLFNBQVM7QUFBQSxFQUN2QyxDQUFDO0FBQ0g7QUFHTyxJQUFNLGdCQUFnQjtBQUFBLEVBQzNCO0FBQUEsRUFDQSxFQUFFLGFBQWE7QUFBQSxJQUNiLFFBQVE7QUFBQSxJQUNSLE1BQU0sRUFBRSxPQUFPLEVBQUUsU0FBUztBQUFBLElBQzFCLE9BQU8sRUFBRSxPQUFPO0FBQUEsSUFDaEIsYUFBYSxFQUFFLE1BQU0sRUFBRSxPQUFPLENBQUM7QUFBQSxJQUMvQixhQUFhLEtBQUssU0FBUztBQUFBLElBQzNCLFdBQVcsRUFBRSxRQUFRO0FBQUEsSUFDckIsV0FBVztBQUFBLElBQ1gsaUJBQWlCO0FBQUEsSUFDakIsYUFBYSxFQUFFLFFBQVE7QUFBQSxFQUN6QixDQUFDO0FBQ0g7QUFFTyxJQUFNLFdBQVc7QUFBQSxFQUN0QjtBQUFBLEVBQ0EsRUFDRyxhQUFhO0FBQUEsSUFDWixRQUFRLEVBQUUsS0FBSyxDQUFDLFVBQVUsUUFBUSxXQUFXLGVBQWUsQ0FBQztBQUFBLElBQzdELFVBQVUsRUFBRSxPQUFPLEVBQUUsSUFBSTtBQUFBLElBQ3pCLFNBQVMsRUFBRSxhQUFhLEVBQUUsTUFBTSxFQUFFLEtBQUssaUJBQWlCLEdBQUcsU0FBUyxFQUFFLE9BQU8sRUFBRSxDQUFDLEVBQUUsU0FBUztBQUFBLElBQzNGLGVBQWUsS0FBSyxTQUFTO0FBQUEsRUFDL0IsQ0FBQyxFQUNBLFNBQVM7QUFBQSxFQUNaO0FBQ0Y7QUFFTyxJQUFNLGFBQWE7QUFBQSxFQUN4QjtBQUFBLEVBQ0EsRUFBRSxhQUFhO0FBQUEsSUFDYjtBQUFBLElBQ0EsT0FBTyxFQUFFLE9BQU87QUFBQSxJQUNoQixhQUFhLEVBQUUsTUFBTSxFQUFFLE9BQU8sQ0FBQztBQUFBLElBQy9CLFFBQVEsRUFBRSxLQUFLLENBQUMsV0FBVyxXQUFXLFlBQVksYUFBYSxVQUFVLENBQUM7QUFBQSxJQUMxRSxXQUFXLEdBQUcsU0FBUztBQUFBLElBQ3ZCLGlCQUFpQixFQUFFLE9BQU8sRUFBRSxTQUFTO0FBQUEsSUFDckMsYUFBYSxLQUFLLFNBQVM7QUFBQSxJQUMzQixXQUFXO0FBQUEsSUFDWCxRQUFRLEtBQUssU0FBUztBQUFBLElBQ3RCLFdBQVc7QUFBQSxJQUNYLFVBQVU7QUFBQSxFQUNaLENBQUM7QUFDSDtBQUNBLElBQU0sbUJBQW1CLFdBQVcsT0FBTyxFQUFFLGFBQWEsRUFBRSxPQUFPLEVBQUUsU0FBUyxFQUFFLENBQUM7QUFFMUUsSUFBTSxhQUFhO0FBQUEsRUFDeEI7QUFBQSxFQUNBLEVBQUUsYUFBYTtBQUFBLElBQ2IsU0FBUztBQUFBLElBQ1QsUUFBUTtBQUFBLElBQ1IsU0FBUyxFQUFFLFFBQVE7QUFBQSxJQUNuQixhQUFhLEVBQUUsTUFBTSxFQUFFLE9BQU8sQ0FBQztBQUFBLElBQy9CLGFBQWEsS0FBSyxTQUFTO0FBQUEsSUFDM0IsYUFBYSxFQUFFLFFBQVE7QUFBQSxJQUN2QixvQkFBb0IsS0FBSyxTQUFTO0FBQUEsSUFDbEMsdUJBQXVCLEVBQUUsUUFBUTtBQUFBLElBQ2pDLFdBQVcsRUFBRSxRQUFRO0FBQUEsSUFDckIsaUJBQWlCLEVBQUUsT0FBTyxFQUFFLFNBQVM7QUFBQSxFQUN2QyxDQUFDO0FBQ0g7QUFFTyxJQUFNLFdBQVc7QUFBQSxFQUN0QjtBQUFBLEVBQ0EsRUFBRSxhQUFhO0FBQUEsSUFDYjtBQUFBLElBQ0EsV0FBVztBQUFBLElBQ1gsWUFBWTtBQUFBLElBQ1osVUFBVTtBQUFBLElBQ1YsUUFBUSxFQUFFLEtBQUssQ0FBQyxXQUFXLFlBQVksYUFBYSxZQUFZLFNBQVMsQ0FBQztBQUFBLElBQzFFLFdBQVc7QUFBQSxJQUNYLFdBQVc7QUFBQSxFQUNiLENBQUM7QUFDSDtBQUNPLElBQU0saUJBQWlCO0FBQUEsRUFDNUI7QUFBQSxFQUNBLEVBQUUsYUFBYTtBQUFBLElBQ2IsVUFBVTtBQUFBLElBQ1YsU0FBUztBQUFBLElBQ1QsTUFBTSxFQUFFLGFBQWEsRUFBRSxNQUFNLEVBQUUsT0FBTyxFQUFFLENBQUMsRUFBRSxTQUFTO0FBQUEsSUFDcEQsYUFBYSxFQUFFLFFBQVE7QUFBQSxJQUN2QixhQUFhLEtBQUssU0FBUztBQUFBLEVBQzdCLENBQUM7QUFDSDtBQUVPLElBQU0sT0FBTztBQUFBLEVBQ2xCO0FBQUEsRUFDQSxFQUFFLGFBQWEsRUFBRSxJQUFJLE9BQU8sRUFBRSxPQUFPLEdBQUcsTUFBTSxFQUFFLE9BQU8sR0FBRyxhQUFhLEtBQUssU0FBUyxFQUFFLFNBQVMsR0FBRyxlQUFlLEVBQUUsUUFBUSxFQUFFLENBQUM7QUFDakk7QUFFTyxJQUFNLGdCQUFnQjtBQUFBLEVBQzNCO0FBQUEsRUFDQSxFQUFFLGFBQWE7QUFBQSxJQUNiO0FBQUEsSUFDQSxXQUFXO0FBQUEsSUFDWCxRQUFRLEVBQUUsS0FBSztBQUFBLE1BQ2I7QUFBQSxNQUNBO0FBQUEsTUFDQTtBQUFBLE1BQ0E7QUFBQSxNQUNBO0FBQUEsTUFDQTtBQUFBLE1BQ0E7QUFBQSxNQUNBO0FBQUEsTUFDQTtBQUFBLE1BQ0E7QUFBQSxNQUNBO0FBQUEsTUFDQTtBQUFBLE1BQ0E7QUFBQSxNQUNBO0FBQUEsTUFDQTtBQUFBLE1BQ0E7QUFBQSxNQUNBO0FBQUEsSUFDRixDQUFDO0FBQUEsSUFDRCxhQUFhLEdBQUcsU0FBUztBQUFBLElBQ3pCLFdBQVcsRUFBRSxPQUFPLEVBQUUsU0FBUztBQUFBLElBQy9CLFlBQVksRUFBRSxPQUFPLEVBQUUsU0FBUztBQUFBLElBQ2hDLGFBQWEsRUFBRSxPQUFPLEVBQUUsU0FBUztBQUFBLElBQ2pDLGVBQWUsR0FBRyxTQUFTO0FBQUEsSUFDM0IsYUFBYSxFQUFFLE9BQU8sRUFBRSxTQUFTO0FBQUEsSUFDakMsY0FBYyxFQUFFLE9BQU8sRUFBRSxTQUFTO0FBQUEsSUFDbEMsU0FBUyxFQUFFLE9BQU8sRUFBRSxPQUFPLEdBQUcsRUFBRSxRQUFRLENBQUM7QUFBQSxJQUN6QyxJQUFJLEVBQUUsT0FBTyxFQUFFLFNBQVM7QUFBQSxJQUN4QixXQUFXO0FBQUEsSUFDWCxTQUFTLEVBQUUsYUFBYTtBQUFBLE1BQ3RCLFNBQVMsRUFBRSxNQUFNLEVBQUUsT0FBTyxDQUFDO0FBQUEsTUFDM0IsU0FBUyxFQUFFLE1BQU0sRUFBRSxPQUFPLENBQUM7QUFBQSxNQUMzQixhQUFhLEVBQUUsTUFBTSxFQUFFLE9BQU8sQ0FBQyxFQUFFLFNBQVM7QUFBQSxNQUMxQyxhQUFhLEtBQUssU0FBUyxFQUFFLFNBQVM7QUFBQSxJQUN4QyxDQUFDO0FBQUEsRUFDSCxDQUFDO0FBQUEsRUFDRDtBQUNGO0FBRUEsSUFBTSxhQUFhLEVBQUUsYUFBYSxFQUFFLGFBQWEsRUFBRSxNQUFNLFVBQVUsR0FBRyxTQUFTLEVBQUUsTUFBTSxNQUFNLEdBQUcsU0FBUyxFQUFFLE1BQU0sRUFBRSxPQUFPLENBQUMsR0FBRyxHQUFHLEtBQUssQ0FBQztBQUdoSSxJQUFNLGtCQUFrQjtBQUFBLEVBQzdCO0FBQUEsRUFDQSxFQUFFLGFBQWE7QUFBQSxJQUNiLFNBQVM7QUFBQSxJQUNULFNBQVMsRUFBRSxNQUFNLE1BQU07QUFBQSxJQUN2QixhQUFhLEVBQUUsYUFBYSxFQUFFLE1BQU0sUUFBUSxVQUFVLE9BQU8sQ0FBQztBQUFBLElBQzlELGFBQWEsRUFBRSxNQUFNLGdCQUFnQjtBQUFBLElBQ3JDLGlCQUFpQixFQUFFLGFBQWEsRUFBRSxNQUFNLFFBQVEsVUFBVSxPQUFPLENBQUM7QUFBQSxJQUNsRSxnQkFBZ0IsRUFBRSxNQUFNLGFBQWE7QUFBQSxJQUNyQyxRQUFRLEVBQUUsYUFBYTtBQUFBLE1BQ3JCLEdBQUcsRUFBRSxPQUFPLEVBQUUsU0FBUztBQUFBLE1BQ3ZCLFlBQVksRUFBRSxPQUFPLEVBQUUsU0FBUztBQUFBLE1BQ2hDLFFBQVEsRUFBRSxLQUFLLENBQUMsV0FBVyxXQUFXLFlBQVksYUFBYSxZQUFZLFdBQVcsS0FBSyxDQUFDO0FBQUEsSUFDOUYsQ0FBQztBQUFBLElBQ0QsaUJBQWlCLEVBQUUsUUFBUTtBQUFBLElBQzNCLGFBQWEsRUFBRSxNQUFNLFVBQVU7QUFBQSxJQUMvQixHQUFHO0FBQUEsRUFDTCxDQUFDO0FBQ0g7QUFDTyxJQUFNLG1CQUFtQixNQUFNLG9CQUFvQixVQUFVO0FBQzdELElBQU0sZUFBZTtBQUFBLEVBQzFCO0FBQUEsRUFDQSxFQUFFLGFBQWE7QUFBQSxJQUNiLFlBQVk7QUFBQSxJQUNaLFNBQVMsRUFBRSxLQUFLLENBQUMsUUFBUSxVQUFVLFdBQVcsV0FBVyxDQUFDO0FBQUEsSUFDMUQsVUFBVSxFQUFFLEtBQUssQ0FBQyxRQUFRLFVBQVUsV0FBVyxhQUFhLFVBQVUsQ0FBQztBQUFBLElBQ3ZFLEdBQUc7QUFBQSxFQUNMLENBQUM7QUFDSDtBQUNPLElBQU0sMkJBQTJCO0FBQUEsRUFDdEM7QUFBQSxFQUNBLEVBQUUsYUFBYSxFQUFFLFlBQVksWUFBWSxVQUFVLEVBQUUsS0FBSyxDQUFDLFFBQVEsVUFBVSxXQUFXLFVBQVUsQ0FBQyxHQUFHLEdBQUcsS0FBSyxDQUFDO0FBQ2pIO0FBQ08sSUFBTSxtQkFBbUIsTUFBTSxvQkFBb0IsRUFBRSxhQUFhLEVBQUUsWUFBWSxZQUFZLEdBQUcsS0FBSyxDQUFDLENBQUM7QUFDdEcsSUFBTSxtQkFBbUIsTUFBTSxvQkFBb0IsRUFBRSxhQUFhLEVBQUUsUUFBUSxRQUFRLGFBQWEsRUFBRSxNQUFNLFVBQVUsR0FBRyxHQUFHLEtBQUssQ0FBQyxDQUFDO0FBQ2hJLElBQU0sZUFBZSxNQUFNLGdCQUFnQixFQUFFLGFBQWEsRUFBRSxRQUFRLFFBQVEsR0FBRyxLQUFLLENBQUMsQ0FBQztBQUN0RixJQUFNLHNCQUFzQjtBQUFBLEVBQ2pDO0FBQUEsRUFDQSxFQUFFLGFBQWEsRUFBRSxRQUFRLFFBQVEsU0FBUyxFQUFFLE1BQU0sRUFBRSxPQUFPLENBQUMsR0FBRyxHQUFHLEtBQUssQ0FBQztBQUFBLEVBQ3hFO0FBQ0Y7QUFDTyxJQUFNLHlCQUF5QixNQUFNLDBCQUEwQixFQUFFLGFBQWEsRUFBRSxRQUFRLFFBQVEsR0FBRyxLQUFLLENBQUMsQ0FBQztBQUMxRyxJQUFNLHNCQUFzQixNQUFNLHVCQUF1QixFQUFFLGFBQWEsRUFBRSxTQUFTLFFBQVEsR0FBRyxLQUFLLENBQUMsQ0FBQztBQUNyRyxJQUFNLG1CQUFtQjtBQUFBLEVBQzlCO0FBQUEsRUFDQSxFQUFFLGFBQWE7QUFBQSxJQUNiLFlBQVksRUFBRSxhQUFhLEVBQUUsT0FBTyxFQUFFLE9BQU8sR0FBRyxhQUFhLEVBQUUsTUFBTSxFQUFFLE9BQU8sQ0FBQyxHQUFHLFdBQVcsS0FBSyxDQUFDO0FBQUEsSUFDbkcsU0FBUyxFQUFFLGFBQWEsRUFBRSxNQUFNLEVBQUUsT0FBTyxFQUFFLENBQUM7QUFBQSxJQUM1QyxTQUFTLEVBQUUsYUFBYSxFQUFFLE1BQU0sRUFBRSxPQUFPLEVBQUUsQ0FBQyxFQUFFLFNBQVM7QUFBQSxJQUN2RCxVQUFVLEVBQUUsUUFBUTtBQUFBLElBQ3BCLGNBQWMsRUFBRSxRQUFRO0FBQUEsSUFDeEIsZUFBZSxFQUFFLFFBQVE7QUFBQSxJQUN6QixHQUFHO0FBQUEsRUFDTCxDQUFDO0FBQ0g7QUFDTyxJQUFNLG1CQUFtQixNQUFNLG9CQUFvQixFQUFFLGFBQWEsRUFBRSxZQUFZLFlBQVksR0FBRyxLQUFLLENBQUMsQ0FBQztBQUN0RyxJQUFNLG1CQUFtQixNQUFNLG9CQUFvQixFQUFFLGFBQWEsRUFBRSxNQUFNLE1BQU0sWUFBWSxZQUFZLEdBQUcsS0FBSyxDQUFDLENBQUM7QUFDbEgsSUFBTSx1QkFBdUI7QUFBQSxFQUNsQztBQUFBLEVBQ0EsRUFBRSxhQUFhLEVBQUUsWUFBWSxZQUFZLFNBQVMsRUFBRSxhQUFhLEVBQUUsTUFBTSxFQUFFLE9BQU8sRUFBRSxDQUFDLEdBQUcsU0FBUyxFQUFFLE9BQU8sR0FBRyxHQUFHLEtBQUssQ0FBQztBQUN4SDtBQUNPLElBQU0sa0JBQWtCLE1BQU0sbUJBQW1CLEVBQUUsYUFBYSxFQUFFLFdBQVcsRUFBRSxRQUFRLElBQUksR0FBRyxHQUFHLEtBQUssQ0FBQyxDQUFDO0FBQ3hHLElBQU0saUJBQWlCO0FBQUEsRUFDNUI7QUFBQSxFQUNBLEVBQUUsYUFBYTtBQUFBLElBQ2IsVUFBVSxFQUFFO0FBQUEsTUFDVixFQUFFLGFBQWE7QUFBQSxRQUNiO0FBQUEsUUFDQSxNQUFNLEVBQUUsT0FBTztBQUFBLFFBQ2YsU0FBUyxFQUFFLFFBQVE7QUFBQSxRQUNuQixRQUFRLEVBQUUsUUFBUTtBQUFBLFFBQ2xCLFlBQVksRUFBRSxRQUFRO0FBQUEsUUFDdEIsYUFBYSxLQUFLLFNBQVM7QUFBQSxRQUMzQixhQUFhLEVBQUUsUUFBUTtBQUFBLFFBQ3ZCLFdBQVcsRUFBRSxRQUFRO0FBQUEsUUFDckIsaUJBQWlCLEVBQUUsT0FBTyxFQUFFLFNBQVM7QUFBQSxRQUNyQyxNQUFNLEVBQUUsT0FBTztBQUFBLFFBQ2YsaUJBQWlCLEVBQUUsT0FBTyxFQUFFLElBQUk7QUFBQSxNQUNsQyxDQUFDO0FBQUEsSUFDSDtBQUFBLElBQ0EsaUJBQWlCLEdBQUcsU0FBUztBQUFBLElBQzdCLGFBQWEsRUFBRTtBQUFBLE1BQ2IsRUFBRSxhQUFhO0FBQUEsUUFDYjtBQUFBLFFBQ0EsU0FBUztBQUFBLFFBQ1QsU0FBUyxFQUFFLGFBQWEsRUFBRSxNQUFNLEVBQUUsT0FBTyxFQUFFLENBQUMsRUFBRSxTQUFTO0FBQUEsUUFDdkQsYUFBYSxFQUFFLE1BQU0sRUFBRSxPQUFPLENBQUM7QUFBQSxRQUMvQixXQUFXO0FBQUEsTUFDYixDQUFDO0FBQUEsSUFDSDtBQUFBLElBQ0EsZUFBZSxFQUFFLFFBQVE7QUFBQSxJQUN6QixpQkFBaUIsRUFBRSxNQUFNLGNBQWM7QUFBQSxJQUN2QyxHQUFHO0FBQUEsRUFDTCxDQUFDO0FBQ0g7QUFDTyxJQUFNLGlCQUFpQixNQUFNLGtCQUFrQixFQUFFLGFBQWEsRUFBRSxZQUFZLFlBQVksU0FBUyxZQUFZLEdBQUcsS0FBSyxDQUFDLENBQUM7QUFDdkgsSUFBTSxpQkFBaUIsTUFBTSxrQkFBa0IsRUFBRSxhQUFhLEVBQUUsU0FBUyxTQUFTLEdBQUcsS0FBSyxDQUFDLENBQUM7QUFDNUYsSUFBTSxhQUFhLE1BQU0sY0FBYyxFQUFFLGFBQWEsRUFBRSxNQUFNLFlBQVksR0FBRyxLQUFLLENBQUMsQ0FBQztBQUNwRixJQUFNLGlCQUFpQixNQUFNLGtCQUFrQixFQUFFLGFBQWEsRUFBRSxTQUFTLEVBQUUsTUFBTSxhQUFhLEdBQUcsTUFBTSxRQUFRLFVBQVUsUUFBUSxHQUFHLEtBQUssQ0FBQyxDQUFDO0FBQzNJLElBQU0scUJBQXFCLE1BQU0sc0JBQXNCLEVBQUUsYUFBYSxFQUFFLFNBQVMsU0FBUyxTQUFTLEdBQUcsU0FBUyxFQUFFLE1BQU0sTUFBTSxHQUFHLEdBQUcsS0FBSyxDQUFDLENBQUM7QUFDMUksSUFBTSxpQkFBaUIsTUFBTSxrQkFBa0IsRUFBRSxhQUFhLEVBQUUsVUFBVSxVQUFVLEdBQUcsS0FBSyxDQUFDLENBQUM7QUFDOUYsSUFBTSx1QkFBdUIsTUFBTSx3QkFBd0IsZUFBZSxPQUFPLElBQUksQ0FBQztBQUN0RixJQUFNLDBCQUEwQixNQUFNLDJCQUEyQixFQUFFLGFBQWEsRUFBRSxTQUFTLFNBQVMsR0FBRyxLQUFLLENBQUMsQ0FBQztBQUdySCxJQUFNLFdBQVcsRUFBRSxhQUFhLEVBQUUsVUFBVSxFQUFFLFFBQVEsR0FBRyxNQUFNLEVBQUUsUUFBUSxHQUFHLE9BQU8sRUFBRSxRQUFRLEdBQUcsUUFBUSxFQUFFLFFBQVEsRUFBRSxDQUFDO0FBQzlHLElBQU0sZ0JBQWdCLE1BQU0saUJBQWlCLEVBQUUsYUFBYSxFQUFFLE1BQU0sTUFBTSxVQUFVLFVBQVUsR0FBRyxLQUFLLENBQUMsQ0FBQztBQUN4RyxJQUFNLHFCQUFxQixNQUFNLHNCQUFzQixFQUFFLGFBQWEsRUFBRSxNQUFNLE1BQU0sR0FBRyxLQUFLLENBQUMsQ0FBQztBQUM5RixJQUFNLHdCQUF3QjtBQUFBLEVBQ25DO0FBQUEsRUFDQSxFQUFFLGFBQWEsRUFBRSxpQkFBaUIsRUFBRSxRQUFRLElBQUksR0FBRyx3QkFBd0IsRUFBRSxRQUFRLElBQUksR0FBRyxHQUFHLEtBQUssQ0FBQztBQUN2RztBQUNPLElBQU0sNkJBQTZCLE1BQU0sOEJBQThCLEVBQUUsYUFBYSxFQUFFLE9BQU8sRUFBRSxPQUFPLEdBQUcsa0JBQWtCLEVBQUUsUUFBUSxHQUFHLEdBQUcsS0FBSyxDQUFDLENBQUM7QUFDcEosSUFBTSxpQkFBaUIsTUFBTSxrQkFBa0IsRUFBRSxhQUFhLEVBQUUsT0FBTyxFQUFFLE9BQU8sR0FBRyxPQUFPLEVBQUUsUUFBUSxJQUFJLEdBQUcsR0FBRyxLQUFLLENBQUMsQ0FBQztBQUNySCxJQUFNLHVCQUF1QixNQUFNLHdCQUF3QixFQUFFLGFBQWEsRUFBRSxPQUFPLEVBQUUsT0FBTyxHQUFHLFdBQVcsRUFBRSxRQUFRLElBQUksR0FBRyxHQUFHLEtBQUssQ0FBQyxDQUFDO0FBQ3JJLElBQU0scUJBQXFCO0FBQUEsRUFDaEM7QUFBQSxFQUNBLEVBQUUsYUFBYSxFQUFFLE9BQU8sRUFBRSxPQUFPLEdBQUcsZUFBZSxFQUFFLFFBQVEsR0FBRyxrQkFBa0IsRUFBRSxRQUFRLEdBQUcsR0FBRyxLQUFLLENBQUM7QUFDMUc7QUFDTyxJQUFNLGlCQUFpQixNQUFNLGtCQUFrQixFQUFFLGFBQWEsRUFBRSxPQUFPLEVBQUUsT0FBTyxHQUFHLGVBQWUsRUFBRSxRQUFRLElBQUksR0FBRyxHQUFHLEtBQUssQ0FBQyxDQUFDO0FBQzdILElBQU0sa0JBQWtCLE1BQU0sbUJBQW1CLEVBQUUsYUFBYSxFQUFFLEdBQUcsS0FBSyxDQUFDLENBQUM7QUFDNUUsSUFBTSx1QkFBdUIsTUFBTSx3QkFBd0IsRUFBRSxhQUFhLEVBQUUsV0FBVyxFQUFFLFFBQVEsSUFBSSxHQUFHLEdBQUcsS0FBSyxDQUFDLENBQUM7QUFDbEgsSUFBTSxrQkFBa0IsTUFBTSxtQkFBbUIsRUFBRSxhQUFhLEVBQUUsT0FBTyxFQUFFLFFBQVEsSUFBSSxHQUFHLEdBQUcsS0FBSyxDQUFDLENBQUM7QUFDcEcsSUFBTSxzQkFBc0IsTUFBTSx1QkFBdUIsRUFBRSxhQUFhLEVBQUUsZUFBZSxFQUFFLFFBQVEsSUFBSSxHQUFHLFVBQVUsRUFBRSxPQUFPLEdBQUcsR0FBRyxLQUFLLENBQUMsQ0FBQzs7O0FFdldtRixTQUFTLEtBQUFDLFVBQVM7QUFjdFAsSUFBTSxPQUFPQyxHQUFFLE1BQU1BLEdBQUUsT0FBTyxDQUFDLEVBQUUsU0FBUyxrQ0FBa0M7QUFDNUUsSUFBTSxTQUFTQSxHQUFFLE9BQU8sRUFBRSxTQUFTLGdGQUFnRjtBQU01RyxJQUFNLFNBQVMsQ0FBQyxLQUFLLEtBQUssS0FBSyxLQUFLLEtBQUssS0FBSyxLQUFLLEdBQUc7QUFHdEQsSUFBTSxnQkFBNkI7QUFBQSxFQUN4QyxFQUFFLFFBQVEsT0FBTyxNQUFNLGlCQUFpQixTQUFTLGlCQUFpQixTQUFTLEVBQUUsS0FBS0EsR0FBRSxPQUFPLENBQUMsQ0FBQyxFQUFFLFlBQVksRUFBRSxFQUFFO0FBQUEsRUFDL0c7QUFBQSxJQUNFLFFBQVE7QUFBQSxJQUNSLE1BQU07QUFBQSxJQUNOLFNBQVM7QUFBQSxJQUNULE9BQU8sRUFBRSxjQUFjLFVBQVUsZUFBZSxVQUFVLGtCQUFrQixVQUFVLG1CQUFtQixTQUFTO0FBQUEsSUFDbEgsU0FBUyxFQUFFLEtBQU8sZ0JBQWdCO0FBQUEsRUFDcEM7QUFBQSxFQUNBLEVBQUUsUUFBUSxPQUFPLE1BQU0sV0FBVyxTQUFTLCtCQUErQixTQUFTLEVBQUUsS0FBTyxpQkFBaUIsRUFBRTtBQUFBLEVBQy9HO0FBQUEsSUFDRSxRQUFRO0FBQUEsSUFDUixNQUFNO0FBQUEsSUFDTixTQUFTO0FBQUEsSUFDVCxNQUFNQSxHQUFFLE9BQU8sRUFBRSxPQUFPQSxHQUFFLE9BQU8sR0FBRyxhQUFhLEtBQUssU0FBUyxHQUFHLFFBQVFBLEdBQUUsT0FBTyxFQUFFLFNBQVMsR0FBRyxhQUFhLE9BQU8sU0FBUyxFQUFFLENBQUM7QUFBQSxJQUNqSSxTQUFTLEVBQUUsS0FBTyxjQUFjLEtBQUtBLEdBQUUsTUFBTSxDQUFHLGNBQWdCLGdCQUFnQixDQUFDLEVBQUU7QUFBQSxFQUNyRjtBQUFBLEVBQ0E7QUFBQSxJQUNFLFFBQVE7QUFBQSxJQUNSLE1BQU07QUFBQSxJQUNOLFNBQVM7QUFBQSxJQUNULFNBQVMsRUFBRSxLQUFPLHlCQUF5QjtBQUFBLEVBQzdDO0FBQUEsRUFDQSxFQUFFLFFBQVEsUUFBUSxNQUFNLDRCQUE0QixTQUFTLCtCQUErQixTQUFTLEVBQUUsS0FBTyxpQkFBaUIsRUFBRTtBQUFBLEVBQ2pJLEVBQUUsUUFBUSxPQUFPLE1BQU0sbUJBQW1CLFNBQVMscURBQXFELFNBQVMsRUFBRSxLQUFPLGlCQUFpQixFQUFFO0FBQUEsRUFDN0k7QUFBQSxJQUNFLFFBQVE7QUFBQSxJQUNSLE1BQU07QUFBQSxJQUNOLFNBQVM7QUFBQSxJQUNULE1BQU1BLEdBQUUsT0FBTyxFQUFFLGFBQWEsS0FBSyxTQUFTLEdBQUcsUUFBUUEsR0FBRSxPQUFPLEVBQUUsU0FBUyxHQUFHLGFBQWEsT0FBTyxTQUFTLEVBQUUsU0FBUyxFQUFFLENBQUM7QUFBQSxJQUN6SCxTQUFTLEVBQUUsS0FBS0EsR0FBRSxNQUFNLENBQUcsY0FBZ0IsbUJBQW1CLENBQUMsRUFBRTtBQUFBLEVBQ25FO0FBQUEsRUFDQSxFQUFFLFFBQVEsT0FBTyxNQUFNLDBCQUEwQixTQUFTLHFDQUFxQyxTQUFTLEVBQUUsS0FBTyx1QkFBdUIsRUFBRTtBQUFBLEVBQzFJLEVBQUUsUUFBUSxRQUFRLE1BQU0sMEJBQTBCLFNBQVMsbUJBQW1CLFNBQVMsRUFBRSxLQUFPLG9CQUFvQixFQUFFO0FBQUEsRUFDdEgsRUFBRSxRQUFRLE9BQU8sTUFBTSxtQkFBbUIsU0FBUyw4Q0FBOEMsU0FBUyxFQUFFLEtBQU8saUJBQWlCLEVBQUU7QUFBQSxFQUN0SSxFQUFFLFFBQVEsUUFBUSxNQUFNLG1CQUFtQixTQUFTLDhCQUE4QixTQUFTLEVBQUUsS0FBTyxpQkFBaUIsRUFBRTtBQUFBLEVBQ3ZIO0FBQUEsSUFDRSxRQUFRO0FBQUEsSUFDUixNQUFNO0FBQUEsSUFDTixTQUFTO0FBQUEsSUFDVCxNQUFNQSxHQUFFLE9BQU8sRUFBRSxNQUFNQSxHQUFFLE9BQU8sR0FBRyxVQUFVQSxHQUFFLE9BQU8sRUFBRSxDQUFDO0FBQUEsSUFDekQsU0FBUyxFQUFFLEtBQU8saUJBQWlCO0FBQUEsRUFDckM7QUFBQSxFQUNBLEVBQUUsUUFBUSxRQUFRLE1BQU0sMkJBQTJCLFNBQVMsMENBQTBDLFNBQVMsRUFBRSxLQUFPLHFCQUFxQixFQUFFO0FBQUEsRUFDL0ksRUFBRSxRQUFRLFFBQVEsTUFBTSwyQkFBMkIsU0FBUyxzREFBc0QsU0FBUyxFQUFFLEtBQU8sZ0JBQWdCLEVBQUU7QUFBQSxFQUN0SixFQUFFLFFBQVEsT0FBTyxNQUFNLGFBQWEsU0FBUywyRUFBMkUsU0FBUyxFQUFFLEtBQU8sZUFBZSxFQUFFO0FBQUEsRUFDM0o7QUFBQSxJQUNFLFFBQVE7QUFBQSxJQUNSLE1BQU07QUFBQSxJQUNOLFNBQVM7QUFBQSxJQUNULE1BQU1BLEdBQUUsT0FBTyxFQUFFLFdBQVdBLEdBQUUsTUFBTSxDQUFDQyxJQUFHLEdBQUdELEdBQUUsT0FBTyxDQUFDLENBQUMsRUFBRSxDQUFDO0FBQUEsSUFDekQsU0FBUyxFQUFFLEtBQU8sZUFBZTtBQUFBLEVBQ25DO0FBQUEsRUFDQSxFQUFFLFFBQVEsUUFBUSxNQUFNLCtCQUErQixTQUFTLG9CQUFvQixTQUFTLEVBQUUsS0FBTyxXQUFXLEVBQUU7QUFBQSxFQUNuSDtBQUFBLElBQ0UsUUFBUTtBQUFBLElBQ1IsTUFBTTtBQUFBLElBQ04sU0FBUztBQUFBLElBQ1QsU0FBUyxFQUFFLEtBQU8saUJBQWlCO0FBQUEsRUFDckM7QUFBQSxFQUNBO0FBQUEsSUFDRSxRQUFRO0FBQUEsSUFDUixNQUFNO0FBQUEsSUFDTixTQUFTO0FBQUEsSUFDVCxTQUFTLEVBQUUsS0FBTyxlQUFlO0FBQUEsRUFDbkM7QUFBQSxFQUNBO0FBQUEsSUFDRSxRQUFRO0FBQUEsSUFDUixNQUFNO0FBQUEsSUFDTixTQUFTO0FBQUEsSUFDVCxPQUFPLEVBQUUsT0FBTyxVQUFVLFFBQVEsU0FBUztBQUFBLElBQzNDLFNBQVMsRUFBRSxLQUFPLGVBQWU7QUFBQSxFQUNuQztBQUFBLEVBQ0EsRUFBRSxRQUFRLE9BQU8sTUFBTSxhQUFhLFNBQVMsZ0VBQWdFLFNBQVMsRUFBRSxLQUFPLG1CQUFtQixFQUFFO0FBQUEsRUFDcEo7QUFBQSxJQUNFLFFBQVE7QUFBQSxJQUNSLE1BQU07QUFBQSxJQUNOLFNBQVM7QUFBQSxJQUNULE1BQU1BLEdBQUUsT0FBTyxFQUFFLFFBQVFBLEdBQUUsTUFBTSxDQUFDQyxJQUFHLEdBQUdELEdBQUUsT0FBTyxDQUFDLENBQUMsR0FBRyxpQkFBaUJBLEdBQUUsT0FBTyxFQUFFLENBQUM7QUFBQSxJQUNuRixTQUFTLEVBQUUsS0FBTyxlQUFlO0FBQUEsRUFDbkM7QUFBQSxFQUNBLEVBQUUsUUFBUSxRQUFRLE1BQU0sb0JBQW9CLFNBQVMsK0JBQStCLFNBQVMsRUFBRSxLQUFPLGVBQWUsRUFBRTtBQUFBLEVBQ3ZILEVBQUUsUUFBUSxPQUFPLE1BQU0scUJBQXFCLFNBQVMsbURBQW1ELFNBQVMsRUFBRSxLQUFPLHFCQUFxQixFQUFFO0FBQUEsRUFDakosRUFBRSxRQUFRLFFBQVEsTUFBTSxxQkFBcUIsU0FBUyw2QkFBNkIsU0FBUyxFQUFFLEtBQU8sd0JBQXdCLEVBQUU7QUFDakk7QUFHTyxJQUFNLHFCQUFrQztBQUFBLEVBQzdDLEVBQUUsUUFBUSxPQUFPLE1BQU0saUJBQWlCLFNBQVMsaUJBQWlCLFNBQVMsRUFBRSxLQUFLQSxHQUFFLE9BQU8sQ0FBQyxDQUFDLEVBQUUsWUFBWSxFQUFFLEVBQUU7QUFBQSxFQUMvRyxFQUFFLFFBQVEsT0FBTyxNQUFNLFlBQVksU0FBUyw4Q0FBOEMsU0FBUyxFQUFFLEtBQU8sY0FBYyxFQUFFO0FBQUEsRUFDNUgsRUFBRSxRQUFRLFFBQVEsTUFBTSxZQUFZLFNBQVMsbUJBQW1CLE1BQU1BLEdBQUUsT0FBTyxFQUFFLE1BQU1BLEdBQUUsT0FBTyxFQUFFLENBQUMsR0FBRyxTQUFTLEVBQUUsS0FBTyxtQkFBbUIsRUFBRTtBQUFBLEVBQzdJO0FBQUEsSUFDRSxRQUFRO0FBQUEsSUFDUixNQUFNO0FBQUEsSUFDTixTQUFTO0FBQUEsSUFDVCxNQUFNQSxHQUFFLE9BQU8sRUFBRSxpQkFBaUJBLEdBQUUsT0FBTyxHQUFHLGFBQWFBLEdBQUUsT0FBTyxFQUFFLENBQUM7QUFBQSxJQUN2RSxTQUFTLEVBQUUsS0FBTyxzQkFBc0I7QUFBQSxFQUMxQztBQUFBLEVBQ0E7QUFBQSxJQUNFLFFBQVE7QUFBQSxJQUNSLE1BQU07QUFBQSxJQUNOLFNBQVM7QUFBQSxJQUNULE1BQU1BLEdBQUUsT0FBTyxFQUFFLE9BQU9BLEdBQUUsT0FBTyxHQUFHLGlCQUFpQkEsR0FBRSxPQUFPLEVBQUUsQ0FBQztBQUFBLElBQ2pFLFNBQVMsRUFBRSxLQUFPLDJCQUEyQjtBQUFBLEVBQy9DO0FBQUEsRUFDQSxFQUFFLFFBQVEsT0FBTyxNQUFNLDBCQUEwQixTQUFTLDJEQUEyRCxTQUFTLEVBQUUsS0FBTyxlQUFlLEVBQUU7QUFBQSxFQUN4SixFQUFFLFFBQVEsUUFBUSxNQUFNLDBCQUEwQixTQUFTLDJCQUEyQixTQUFTLEVBQUUsS0FBTyxxQkFBcUIsRUFBRTtBQUFBLEVBQy9IO0FBQUEsSUFDRSxRQUFRO0FBQUEsSUFDUixNQUFNO0FBQUEsSUFDTixTQUFTO0FBQUEsSUFDVCxNQUFNQSxHQUFFLE9BQU8sRUFBRSxVQUFVQSxHQUFFLE9BQU8sRUFBRSxTQUFTLEVBQUUsQ0FBQztBQUFBLElBQ2xELFNBQVMsRUFBRSxLQUFPLG9CQUFvQixLQUFPLG1CQUFtQjtBQUFBLEVBQ2xFO0FBQUEsRUFDQSxFQUFFLFFBQVEsT0FBTyxNQUFNLHlCQUF5QixTQUFTLDhCQUE4QixTQUFTLEVBQUUsS0FBTyxlQUFlLEVBQUU7QUFBQSxFQUMxSCxFQUFFLFFBQVEsUUFBUSxNQUFNLHlCQUF5QixTQUFTLHNCQUFzQixTQUFTLEVBQUUsS0FBTyxlQUFlLEVBQUU7QUFBQSxFQUNuSCxFQUFFLFFBQVEsT0FBTyxNQUFNLG9CQUFvQixTQUFTLDZCQUE2QixTQUFTLEVBQUUsS0FBTyxnQkFBZ0IsRUFBRTtBQUFBLEVBQ3JIO0FBQUEsSUFDRSxRQUFRO0FBQUEsSUFDUixNQUFNO0FBQUEsSUFDTixTQUFTO0FBQUEsSUFDVCxNQUFNQSxHQUFFLE9BQU8sRUFBRSxPQUFPQSxHQUFFLE9BQU8sRUFBRSxDQUFDO0FBQUEsSUFDcEMsU0FBUyxFQUFFLEtBQU8scUJBQXFCO0FBQUEsRUFDekM7QUFBQSxFQUNBLEVBQUUsUUFBUSxPQUFPLE1BQU0sMkJBQTJCLFNBQVMsdUJBQXVCLFNBQVMsRUFBRSxLQUFPLGdCQUFnQixFQUFFO0FBQUEsRUFDdEg7QUFBQSxJQUNFLFFBQVE7QUFBQSxJQUNSLE1BQU07QUFBQSxJQUNOLFNBQVM7QUFBQSxJQUNULE1BQU1BLEdBQUUsT0FBTyxFQUFFLFVBQVVBLEdBQUUsT0FBTyxFQUFFLENBQUM7QUFBQSxJQUN2QyxTQUFTLEVBQUUsS0FBTyxvQkFBb0I7QUFBQSxFQUN4QztBQUNGO0FBRUEsU0FBU0MsTUFBSztBQUNaLFNBQU9ELEdBQUUsT0FBTyxFQUFFLElBQUksRUFBRSxTQUFTO0FBQ25DOzs7QUhwSkEsSUFBTSxNQUFNLENBQUNFLFFBQWUsd0JBQXdCQSxHQUFFO0FBR3RELFNBQVMsbUJBQTRDO0FBQ25ELFFBQU0sRUFBRSxRQUFRLElBQUlDLEdBQUUsYUFBYSxVQUFVLEVBQUUsS0FBSyxLQUFLLElBQUksVUFBVSxpQkFBaUIsTUFBTSxDQUFDO0FBQy9GLFFBQU0sTUFBK0IsQ0FBQztBQUN0QyxhQUFXLENBQUNELEtBQUksTUFBTSxLQUFLLE9BQU8sUUFBUSxPQUFPLEdBQUc7QUFDbEQsVUFBTSxFQUFFLFNBQVMsSUFBSSxLQUFLLElBQUksR0FBRyxLQUFLLElBQUk7QUFDMUMsUUFBSUEsR0FBRSxJQUFJO0FBQUEsRUFDWjtBQUNBLFNBQU87QUFDVDtBQUdBLFNBQVMsYUFBYSxRQUE0QjtBQUNoRCxRQUFNQSxNQUFLLFNBQVMsSUFBSSxNQUFNLEdBQUc7QUFDakMsTUFBSUEsSUFBSSxRQUFPLEVBQUUsTUFBTSxJQUFJQSxHQUFFLEVBQUU7QUFDL0IsTUFBSSxrQkFBa0JDLEdBQUUsU0FBVSxRQUFPLEVBQUUsT0FBUSxPQUFPLFFBQXdCLElBQUksWUFBWSxFQUFFO0FBQ3BHLFFBQU0sRUFBRSxTQUFTLElBQUksR0FBRyxLQUFLLElBQUlBLEdBQUUsYUFBYSxRQUFRLEVBQUUsSUFBSSxVQUFVLGlCQUFpQixNQUFNLENBQUM7QUFDaEcsU0FBTztBQUNUO0FBRUEsU0FBUyxPQUFPLFFBQTRCO0FBQzFDLFFBQU0sRUFBRSxTQUFTLElBQUksR0FBRyxLQUFLLElBQUlBLEdBQUUsYUFBYSxRQUFRLEVBQUUsSUFBSSxTQUFTLGlCQUFpQixNQUFNLENBQUM7QUFDL0YsU0FBTztBQUNUO0FBRUEsU0FBUyxVQUFVLE9BQWtCLEtBQXNDO0FBQ3pFLFFBQU0sU0FBUyxDQUFDLEdBQUcsTUFBTSxLQUFLLFNBQVMsWUFBWSxDQUFDLEVBQUUsSUFBSSxDQUFDLE9BQU8sRUFBRSxNQUFNLEVBQUUsQ0FBQyxHQUFHLElBQUksUUFBUSxVQUFVLE1BQU0sUUFBUSxFQUFFLE1BQU0sU0FBUyxFQUFFLEVBQUU7QUFDekksUUFBTSxRQUFRLE9BQU8sS0FBSyxNQUFNLFNBQVMsQ0FBQyxDQUFDLEVBQUUsSUFBSSxDQUFDLFVBQVUsRUFBRSxNQUFNLElBQUksU0FBUyxVQUFVLE9BQU8sUUFBUSxFQUFFLE1BQU0sV0FBVyxTQUFTLEVBQUUsRUFBRSxFQUFFO0FBQzVJLFFBQU0sWUFBcUMsQ0FBQztBQUM1QyxhQUFXLENBQUMsUUFBUSxNQUFNLEtBQUssT0FBTyxRQUFRLE1BQU0sT0FBTyxHQUFHO0FBQzVELGNBQVUsTUFBTSxJQUFJLEVBQUUsYUFBYSxPQUFPLFdBQVcsR0FBRyxJQUFJLFNBQVMsV0FBVyxTQUFTLEVBQUUsb0JBQW9CLEVBQUUsUUFBUSxhQUFhLE1BQU0sRUFBRSxFQUFFLEVBQUU7QUFBQSxFQUNwSjtBQUNBLGFBQVcsVUFBVSxRQUFRO0FBQzNCLGNBQVUsT0FBTyxNQUFNLENBQUMsTUFBTSxFQUFFLE1BQU0saUNBQWlDO0FBQUEsRUFDekU7QUFDQSxTQUFPO0FBQUEsSUFDTCxNQUFNLENBQUMsR0FBRztBQUFBLElBQ1YsU0FBUyxNQUFNO0FBQUEsSUFDZixhQUFhLEdBQUcsTUFBTSxNQUFNLEdBQUcsR0FBRyxHQUFHLE1BQU0sS0FBSyxRQUFRLHNCQUFzQixDQUFDLElBQUksTUFBMkIsSUFBSSxFQUFFLFlBQVksSUFBSSxFQUFHLENBQUM7QUFBQSxJQUN4SSxHQUFJLE9BQU8sVUFBVSxNQUFNLFNBQVMsRUFBRSxZQUFZLENBQUMsR0FBRyxRQUFRLEdBQUcsS0FBSyxFQUFFLElBQUksQ0FBQztBQUFBLElBQzdFLEdBQUksTUFBTSxPQUFPLEVBQUUsYUFBYSxFQUFFLFVBQVUsTUFBTSxTQUFTLEVBQUUsb0JBQW9CLEVBQUUsUUFBUSxPQUFPLE1BQU0sSUFBSSxFQUFFLEVBQUUsRUFBRSxFQUFFLElBQUksQ0FBQztBQUFBLElBQ3pILEdBQUksTUFBTSxXQUFXLFNBQVMsRUFBRSxVQUFVLENBQUMsRUFBRSxTQUFTLENBQUMsR0FBRyxNQUFNLENBQUMsRUFBRSxDQUFDLEVBQUUsSUFBSSxFQUFFLFVBQVUsQ0FBQyxFQUFFLFNBQVMsQ0FBQyxFQUFFLEdBQUcsQ0FBQyxDQUFDLEVBQUU7QUFBQSxJQUM1RztBQUFBLEVBQ0Y7QUFDRjtBQU1PLFNBQVMsZ0JBQWdCLFFBQXNELFNBQWtDO0FBQ3RILFFBQU0sUUFBaUQsQ0FBQztBQUN4RCxRQUFNLE1BQU0sQ0FBQyxPQUFlLFFBQXFCLFFBQWdCO0FBQy9ELGVBQVcsU0FBUyxRQUFRO0FBQzFCLFlBQU0sT0FBTyxHQUFHLEtBQUssR0FBRyxNQUFNLFNBQVMsTUFBTSxNQUFNLE1BQU0sSUFBSTtBQUM3RCxPQUFDLE1BQU0sSUFBSSxNQUFNLENBQUMsR0FBRyxNQUFNLE1BQU0sSUFBSSxVQUFVLE9BQU8sR0FBRztBQUFBLElBQzNEO0FBQUEsRUFDRjtBQUNBLE1BQUksT0FBTyxXQUFXLGVBQWUsUUFBUTtBQUM3QyxNQUFJLE9BQU8sZUFBZSxvQkFBb0IsWUFBWTtBQUMxRCxTQUFPO0FBQUEsSUFDTCxTQUFTO0FBQUEsSUFDVCxNQUFNO0FBQUEsTUFDSixPQUFPO0FBQUEsTUFDUDtBQUFBLE1BQ0EsYUFDRTtBQUFBLElBQ0o7QUFBQSxJQUNBLG1CQUFtQjtBQUFBLElBQ25CLE1BQU07QUFBQSxNQUNKLEVBQUUsTUFBTSxVQUFVLGFBQWEseUJBQXlCLE9BQU8sU0FBUyxHQUFHO0FBQUEsTUFDM0UsRUFBRSxNQUFNLGNBQWMsYUFBYSw2QkFBNkIsT0FBTyxhQUFhLEdBQUc7QUFBQSxJQUN6RjtBQUFBLElBQ0E7QUFBQSxJQUNBLFlBQVk7QUFBQSxNQUNWLFNBQVMsaUJBQWlCO0FBQUEsTUFDMUIsV0FBVztBQUFBLFFBQ1QsU0FBUztBQUFBLFVBQ1AsYUFBYTtBQUFBLFVBQ2IsU0FBUyxFQUFFLG9CQUFvQixFQUFFLFFBQVEsRUFBRSxNQUFNLElBQUksU0FBUyxJQUFJLFdBQVcsRUFBRyxFQUFFLEVBQUUsRUFBRSxFQUFFO0FBQUEsUUFDMUY7QUFBQSxNQUNGO0FBQUEsTUFDQSxpQkFBaUI7QUFBQSxRQUNmLFNBQVM7QUFBQSxVQUNQLE1BQU07QUFBQSxVQUNOLElBQUk7QUFBQSxVQUNKLE1BQU07QUFBQSxVQUNOLGFBQWE7QUFBQSxRQUNmO0FBQUEsUUFDQSxNQUFNLEVBQUUsTUFBTSxVQUFVLElBQUksVUFBVSxNQUFNLGdCQUFnQixhQUFhLHdDQUF3QztBQUFBLE1BQ25IO0FBQUEsSUFDRjtBQUFBLEVBQ0Y7QUFDRjs7O0FEcEdBLElBQU8sc0JBQVEsYUFBYTtBQUFBLEVBQzFCLE9BQU8sRUFBRSxPQUFPLGdCQUFnQixZQUFZLG9CQUFvQjtBQUFBLEVBQ2hFLFFBQVEsQ0FBQyxPQUFPLEtBQUs7QUFBQSxFQUNyQixLQUFLO0FBQUE7QUFBQSxFQUVMLE9BQU87QUFBQSxFQUNQLFFBQVE7QUFBQSxFQUNSLFVBQVU7QUFBQSxFQUNWLFFBQVE7QUFBQSxFQUNSLE9BQU87QUFBQTtBQUFBLEVBRVAsV0FBVztBQUFBO0FBQUEsRUFFWCxXQUFXO0FBQUEsRUFDWCxXQUFXO0FBQUE7QUFBQTtBQUFBLEVBR1gsV0FBVyxZQUFZO0FBQ3JCLFVBQU0sRUFBRSxRQUFRLElBQUksS0FBSyxNQUFNLE1BQU0sU0FBUyxnQkFBZ0IsTUFBTSxDQUFDO0FBQ3JFLFVBQU0sVUFBVSxxQkFBcUIsR0FBRyxLQUFLLFVBQVUsZ0JBQWdCLEVBQUUsV0FBVyxrQkFBa0IsZUFBZSxRQUFRLEdBQUcsT0FBTyxHQUFHLE1BQU0sQ0FBQyxDQUFDO0FBQUEsQ0FBSTtBQUFBLEVBQ3hKO0FBQ0YsQ0FBQzsiLAogICJuYW1lcyI6IFsieiIsICJpZCIsICJ6IiwgInoiLCAiaWQiLCAiaWQiLCAieiJdCn0K
