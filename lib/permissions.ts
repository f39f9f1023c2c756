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

/**
 * Stored in a membership's or an invitation's permission list when the owner chose "All
 * permissions": it grants every permission of the catalogue as it is when read, so a permission the
 * host adds later is covered without anyone editing the member. Never accepted as a key from input
 * (`allPermissions: true` asks for it). `manageusers` is not covered: user management is granted
 * only by its own box, so turning on `delegation` later gives nobody user management by surprise.
 */
export const ALL_PERMISSIONS = '*';

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

  /**
   * Keys in catalogue order, without duplicates; unknown keys are dropped (callers validate first).
   * A stored list holding ALL_PERMISSIONS comes out as every key the catalogue has now (but
   * `manageusers`, which counts only when named): the effective permissions.
   */
  normalise(keys: Iterable<string>): string[] {
    const wanted = new Set(keys);
    const all = wanted.has(ALL_PERMISSIONS);
    return this.entries.filter((p) => wanted.has(p.key) || (all && p.key !== MANAGE_USERS.key)).map((p) => p.key);
  }

  /** Does a stored list grant every permission, also those added later? */
  coversAll(stored: readonly string[]): boolean {
    return stored.includes(ALL_PERMISSIONS);
  }

  /** The list to store: ALL_PERMISSIONS (and `manageusers` when named) for "all", else the keys normalised. */
  toStored(keys: Iterable<string>, all: boolean): string[] {
    const normalised = this.normalise(keys);
    return all ? [ALL_PERMISSIONS, ...normalised.filter((k) => k === MANAGE_USERS.key)] : normalised;
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
