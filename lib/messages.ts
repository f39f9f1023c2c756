/**
 * Every user-facing string the kit shows. A host replaces any of them with the
 * `messages` option; `{name}` placeholders are filled from the template's values.
 */
export const DEFAULT_MESSAGES = {
  'users.title': 'User Management',
  'users.intro': 'Invite people to this account and choose what each of them may do. Invitations are valid for {validity}.',
  'users.invite': 'Invite New User',
  'users.members': 'Users',
  'users.invitations': 'Invitations',
  'users.noInvitations': 'No invitations yet.',
  'users.owner': 'Owner',
  'users.allPermissions': 'All permissions',
  'users.noPermissions': 'No permissions',
  'users.never': 'Never',
  'users.managePermissions': 'Manage permissions',
  'users.remove': 'Remove',
  'invite.title': 'Invite New User',
  'invite.intro': 'Inviting a new user lets you add someone to your account. If they already have a login they can use it; if not, they can create one.',
  'invite.email': 'Email Address',
  'invite.permissions': 'Permissions',
  'invite.all': 'All permissions',
  'invite.submit': 'Send Invite',
  'invite.cancel': 'Cancel',
  'flash.invited': 'Invitation sent to {email}.',
  'flash.invitedNotDelivered': 'Invitation to {email} saved, but the email could not be delivered yet. It will be retried; you can also resend it.',
  'flash.invitedUnchanged': 'An invitation was sent to {email} moments ago; its permissions have been kept.',
  'flash.resent': 'Invitation re-sent to {email}.',
  'flash.cancelled': 'Invitation to {email} cancelled.',
  'flash.permissionsSaved': 'Permissions for {name} saved.',
  'flash.removed': 'User {name} removed.',
  'flash.accepted': 'Welcome! You now have access to {account}.',
  'flash.switched': 'You are now working in {account}.',
  'flash.left': 'You have left {account}.',
  'flash.declined': 'You declined the invitation to {account}.',
  'member.title': 'Manage permissions',
  'member.save': 'Save Changes',
  'member.beyondYou': 'This user holds permissions you do not hold, so only the account owner can change or remove them.',
  'invite.delegateNote': 'You can grant only the permissions you hold yourself.',
  'member.ownerNote': 'This is the account owner, who always holds every permission. The owner cannot be edited or removed.',
  'remove.title': 'Remove user?',
  'remove.body': '{name} ({email}) will no longer be able to access {account}. Their login stays; only their access to this account is removed.',
  'remove.confirm': 'Confirm',
  'remove.cancel': 'Cancel',
  'accept.title': 'You have been invited',
  'accept.body': '{inviter} has invited you to {account}.',
  'accept.permissions': 'You will be able to:',
  'accept.expires': 'This invitation expires {expires}.',
  'accept.accept': 'Accept Invitation',
  'accept.login': 'Log in to accept',
  'accept.register': 'Create an account',
  'accept.registerIntro': 'New here? Create a login for {email}.',
  'accept.name': 'Your name',
  'accept.password': 'Choose a password',
  'accept.passwordHint': 'At least 8 characters.',
  'accept.mismatch': 'This invitation was sent to {invited}, you are signed in as {current}.',
  'accept.mismatchHelp': 'Sign out and sign in as {invited}, or ask the account owner to invite {current} instead.',
  'accept.signOut': 'Sign out',
  'accept.decline': 'Decline',
  'declined.title': 'Invitation declined',
  'declined.body': 'You declined the invitation to {account}. The link no longer works; the account owner can see that you declined.',
  'gone.title': 'This invitation no longer works',
  'gone.expired': 'This invitation has expired. Invitations are valid for {validity}.',
  'gone.cancelled': 'This invitation was cancelled by the account owner.',
  'gone.accepted': 'This invitation has already been accepted.',
  'gone.declined': 'This invitation was declined.',
  'gone.help': 'Ask the account owner to resend the invitation.',
  'accounts.title': 'Your accounts',
  'accounts.switch': 'Switch',
  'accounts.active': 'Active',
  'accounts.leave': 'Leave',
  'accounts.invitations': 'Invitations waiting for you',
  'accounts.invitedBy': '{inviter} invited you to {account}.',
  'accounts.invitedTo': 'You are invited to {account}.',
  'accounts.expires': 'Expires {expires}.',
  'accounts.accept': 'Accept',
  'accounts.decline': 'Decline',
  'activity.title': 'Activity',
  'activity.empty': 'Nothing has happened yet.',
  'delivery.unreachable': 'could not reach the mail server',
  'delivery.insecure': 'could not open a secure connection to the mail server',
  'delivery.refused_login': "the mail server refused the portal's sign-in",
  'delivery.refused_address': 'the mail server refused the address',
  'delivery.refused_message': 'the mail server refused the message',
  'delivery.try_later': 'the mail server asked to try again later',
  'delivery.not_sent': 'the email could not be sent',
  'delivery.nextTry': 'next try {when}',
  'profile.title': 'Your Profile',
  'profile.name': 'Name',
  'profile.email': 'Email Address',
  'profile.lastLogin': 'Last login',
  'profile.accounts': 'Your accounts',
  'profile.nameTitle': 'Your name',
  'profile.saveName': 'Save Name',
  'profile.passwordTitle': 'Change Password',
  'profile.currentPassword': 'Current password',
  'profile.newPassword': 'New password',
  'profile.passwordHint': 'At least 8 characters. Your other browsers and devices will be signed out.',
  'profile.changePassword': 'Change Password',
  'profile.emailTitle': 'Change Email Address',
  'profile.newEmail': 'New email address',
  'profile.emailHint': 'We send a confirmation link to the new address (valid {validity}); nothing changes until you follow it.',
  'profile.changeEmail': 'Send Confirmation Link',
  'flash.profileSaved': 'Your name has been saved.',
  'flash.passwordChanged': 'Your password has been changed. Your other sessions have been signed out.',
  'flash.emailChangeSent': 'We sent a confirmation link to {email}. Your address changes when you follow it.',
  'flash.emailChangeNotDelivered': 'The confirmation link to {email} could not be sent yet. It will be retried.',
  'flash.resetRequested': 'If a login exists for that address, we sent a link to reset its password. The link is valid for 1 hour.',
  'flash.passwordReset': 'Your password has been reset. Please sign in with your new password.',
  'forgot.title': 'Forgot your password?',
  'forgot.intro': 'Enter the email address of your login and we will send you a link to choose a new password.',
  'forgot.email': 'Email Address',
  'forgot.submit': 'Send Reset Link',
  'forgot.back': 'Back to sign in',
  'reset.title': 'Choose a new password',
  'reset.password': 'New password',
  'reset.passwordHint': 'At least 8 characters. Every session of your login will be signed out.',
  'reset.submit': 'Set Password',
  'emailConfirmed.title': 'Email address changed',
  'emailConfirmed.body': 'Your login now uses {email}. Sign in with it from now on.',
  'emailConfirmed.signIn': 'Sign in',
  'linkGone.title': 'This link no longer works',
  'linkGone.expired': 'This link has expired.',
  'linkGone.used': 'This link has already been used.',
  'linkGone.superseded': 'A newer link has been sent; only the newest one works.',
  'linkGone.resetHelp': 'Ask for a new password reset link.',
  'linkGone.emailHelp': 'Request the email change again from your profile.',
  'mail.passwordReset.subject': 'Reset your password',
  'mail.passwordReset.greeting': 'Hello {name},',
  'mail.passwordReset.body': 'Someone asked to reset the password of your login. To choose a new password, open this link:',
  'mail.passwordReset.button': 'Choose a new password',
  'mail.passwordReset.validity':
    'The link is valid for {validity} and works once. If you did not ask for it, you can ignore this email: your password stays as it is.',
  'mail.emailChange.subject': 'Confirm your new email address',
  'mail.emailChange.greeting': 'Hello {name},',
  'mail.emailChange.body': 'To use {email} for your login from now on, confirm it by opening this link:',
  'mail.emailChange.button': 'Confirm this address',
  'mail.emailChange.validity': 'The link is valid for {validity}. If you did not ask for this, ignore this email and nothing changes.',
  'mail.emailChangeNotice.subject': 'A change of your login email address was requested',
  'mail.emailChangeNotice.greeting': 'Hello {name},',
  'mail.emailChangeNotice.body':
    'Someone signed in to your login asked to change its email address to {newEmail}. Nothing changes until the link sent to that address is followed.',
  'mail.emailChangeNotice.help': 'If this was not you, reset your password now:',
  linkOrOpen: 'Or open this link:',
  'error.title': 'Something went wrong',
  'error.internal': 'This page could not be shown because of an error on our side. Please try again later.',
  'forbidden.title': 'You do not have access to this page',
  'notFound.title': 'Not found',
  'csrf.title': 'This form has expired',
  'error.back': 'Back to User Management',
  'tooMany.title': 'Please wait',
  'tooMany.body': 'Try again in {seconds} seconds.',
  'unavailable.title': 'Temporarily unavailable',
} as const;

export type MessageKey = keyof typeof DEFAULT_MESSAGES;

/** "7 days", "1 day", "12 hours", "30 minutes": how long an invitation is valid, in words. */
export function durationText(ms: number): string {
  const units: Array<[number, string]> = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
  ];
  for (const [size, unit] of units) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  const [size, unit] = ms >= 86_400_000 ? units[0]! : ms >= 3_600_000 ? units[1]! : units[2]!;
  const n = Math.round((ms / size) * 10) / 10;
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** Fills `{name}` placeholders; values are inserted as text (templates escape the result). */
export function formatMessage(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? asText(values[key]) : whole));
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return value.toString();
  if (value === null || value === undefined) return '';
  return JSON.stringify(value) ?? '';
}
