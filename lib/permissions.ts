/**
 * The permission catalogue. Keys and order match WHMCS's own client-area
 * permission keys so a host migrating from WHMCS keeps its stored grants.
 */
export interface Permission<K extends string = string> {
  readonly key: K;
  readonly label: string;
  readonly description: string;
  /** Shown next to the checkbox: granting this one deserves a second thought. */
  readonly warning?: string;
}

/**
 * A permission a host adds with the `permissions` option. `description` and `warning` are optional;
 * the key is kept as a literal type so `requirePermission('reprots')` does not compile.
 */
export interface PermissionDefinition<K extends string = string> {
  readonly key: K;
  readonly label: string;
  readonly description?: string;
  readonly warning?: string;
}

/**
 * Declares host permissions apart from the `accountUsers()` call while keeping their keys as
 * literal types (a plain array would widen them to `string`, and typos would compile).
 */
export function definePermissions<const P extends readonly PermissionDefinition[]>(permissions: P): P {
  return permissions;
}

export const PERMISSIONS = [
  {
    key: 'profile',
    label: 'Modify Master Account Profile',
    description: 'Access and change client profile information',
    warning: 'Please consider carefully before granting this permission',
  },
  { key: 'contacts', label: 'View & Manage Contacts', description: 'Access and manage contacts' },
  { key: 'products', label: 'View Products & Services', description: 'View access to products, services, and addons' },
  { key: 'manageproducts', label: 'View & Modify Product Passwords', description: 'Allow password resets and other actions' },
  { key: 'productsso', label: 'Perform Single Sign-On', description: 'Enable single sign-on into services' },
  { key: 'domains', label: 'View Domains', description: 'Access to view domain registrations' },
  { key: 'managedomains', label: 'Manage Domain Settings', description: 'Permit domain management such as nameservers/whois/transfers' },
  { key: 'invoices', label: 'View & Pay Invoices', description: 'View and pay invoices' },
  { key: 'quotes', label: 'View & Accept Quotes', description: 'View and approve quotes' },
  { key: 'tickets', label: 'View & Open Support Tickets', description: 'Access to create, respond to, and manage support tickets' },
  { key: 'affiliates', label: 'View & Manage Affiliate Account', description: 'Access to view and request withdrawals' },
  { key: 'emails', label: 'View Emails', description: 'Access to review account email history' },
  { key: 'orders', label: 'Place New Orders/Upgrades/Cancellations', description: 'Enable placement of new orders' },
] as const satisfies readonly Permission[];

/**
 * With the `delegation` option: a member holding it manages users as the owner does, within the
 * permissions they hold themselves (see lib/services/delegation.ts). Not in the catalogue otherwise.
 */
export const MANAGE_USERS = {
  key: 'manageusers',
  label: 'Manage Users',
  description: 'Invite users, change their permissions and remove them, within the permissions this user holds',
} as const satisfies Permission;

/** One of the thirteen built-in keys: a typo such as `'invocies'` is a compile error. */
export type PermissionKey = (typeof PERMISSIONS)[number]['key'];

/**
 * The catalogue in force for one kit instance: the built-in entries followed by
 * the host's own. Built once at start-up from validated options.
 */
export class PermissionCatalogue {
  readonly entries: readonly Permission[];
  private readonly byKey: ReadonlyMap<string, Permission>;

  constructor(extra: readonly Permission[] = []) {
    this.entries = [...PERMISSIONS, ...extra];
    this.byKey = new Map(this.entries.map((p) => [p.key, p]));
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  get(key: string): Permission | undefined {
    return this.byKey.get(key);
  }

  /** What a page shows for a key: its label, or the key itself when the catalogue lacks it. */
  label(key: string): string {
    return this.byKey.get(key)?.label ?? key;
  }

  get keys(): string[] {
    return this.entries.map((p) => p.key);
  }

  /** Keys in catalogue order, without duplicates; unknown keys are dropped (callers validate first). */
  normalise(keys: Iterable<string>): string[] {
    const wanted = new Set(keys);
    return this.entries.filter((p) => wanted.has(p.key)).map((p) => p.key);
  }
}

/**
 * The pure permission check, kept apart from the code that loads rows so it can
 * be tested exhaustively without a database. An owner holds every permission,
 * including ones a host adds after the account was created.
 */
export function grants(membership: { isOwner: boolean; permissions: readonly string[] }, required: readonly string[]): boolean {
  if (membership.isOwner) return true;
  return required.every((key) => membership.permissions.includes(key));
}

/**
 * `res.locals.can` and the layout's `can`: a key the catalogue does not know is nobody's, the
 * owner's neither, so a typo in a host template hides the link for everyone instead of showing
 * it to the owner alone. Without a membership nothing is allowed.
 */
export function permissionCheck(
  catalogue: PermissionCatalogue,
  membership: { isOwner: boolean; permissions: readonly string[] } | undefined,
): (key: string) => boolean {
  if (!membership) return () => false;
  return (key: string) => catalogue.has(key) && grants(membership, [key]);
}
