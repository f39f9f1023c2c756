import type { PermissionKey } from '../lib/index.js';

export interface Section {
  key: PermissionKey;
  path: string;
  label: string;
}

/** The portal's sections, each opened by one permission, in menu order. */
export const SECTIONS: readonly Section[] = [
  { key: 'profile', path: '/profile', label: 'Profile' },
  { key: 'contacts', path: '/contacts', label: 'Contacts' },
  { key: 'products', path: '/services', label: 'Services' },
  { key: 'domains', path: '/domains', label: 'Domains' },
  { key: 'invoices', path: '/invoices', label: 'Invoices' },
  { key: 'quotes', path: '/quotes', label: 'Quotes' },
  { key: 'tickets', path: '/tickets', label: 'Support' },
  { key: 'affiliates', path: '/affiliates', label: 'Affiliates' },
  { key: 'emails', path: '/emails', label: 'Emails' },
  { key: 'orders', path: '/order', label: 'Order' },
];

/** Only the sections the signed-in user may open; a link that would answer 403 is not shown. */
export function navFor(can: (key: string) => boolean, currentPath = ''): Array<Section & { current: boolean }> {
  return SECTIONS.filter((s) => can(s.key)).map((s) => ({ ...s, current: currentPath === s.path || currentPath.startsWith(`${s.path}/`) }));
}
