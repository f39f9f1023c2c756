import { randomBytes } from 'node:crypto';
import type { PortalData } from './portal-data.js';
import type { Affiliate, Contact, Domain, Email, Invoice, Profile, Quote, Service, Ticket } from './records.js';

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'example'
  );
}

/** A little of everything for a new account, so each permission visibly opens something. */
export async function seedAccountData(data: PortalData, accountId: number, accountName: string, ownerEmail: string): Promise<void> {
  const site = `${slug(accountName)}.example`;
  const add = <T>(kind: Parameters<PortalData['insert']>[1], value: T) => data.insert(accountId, kind, value);
  await add<Profile>('profile', { company: accountName, address: '1 Harbour Street, Springfield', email: ownerEmail, phone: '+1 555 0100' });
  await add<Contact>('contact', { name: 'Billing Desk', email: `billing@${site}`, role: 'Invoices' });
  await add<Contact>('contact', { name: 'Tech Lead', email: `tech@${site}`, role: 'Technical' });
  await add<Service>('service', {
    product: 'Business Hosting',
    domain: site,
    status: 'Active',
    username: slug(accountName).slice(0, 8),
    password: randomBytes(9).toString('base64url'),
    price: '$12.99/mo',
  });
  await add<Service>('service', {
    product: 'Cloud VPS 2 GB',
    domain: `vps.${site}`,
    status: 'Active',
    username: 'root',
    password: randomBytes(9).toString('base64url'),
    price: '$19.00/mo',
  });
  await add<Domain>('domain', { name: site, expires: '2027-03-14', autoRenew: true, nameservers: ['ns1.acme-hosting.example', 'ns2.acme-hosting.example'] });
  await add<Domain>('domain', {
    name: `${slug(accountName)}-shop.example`,
    expires: '2026-12-01',
    autoRenew: false,
    nameservers: ['ns1.acme-hosting.example', 'ns2.acme-hosting.example'],
  });
  await add<Invoice>('invoice', { number: 'INV-1001', date: '2026-10-01', total: '$32.98', status: 'Paid' });
  await add<Invoice>('invoice', { number: 'INV-1002', date: '2026-11-01', total: '$32.98', status: 'Unpaid' });
  await add<Quote>('quote', { number: 'Q-204', subject: 'Migration to a dedicated server', total: '$240.00', status: 'Delivered' });
  await add<Ticket>('ticket', { subject: 'SSL certificate renewal', department: 'Support', status: 'Answered', updated: '2026-11-20' });
  await add<Affiliate>('affiliate', { balance: '$45.00', referrals: 3, withdrawalRequested: false });
  await add<Email>('email', { subject: 'Invoice INV-1002 created', date: '2026-11-01' });
  await add<Email>('email', { subject: 'Payment received for INV-1001', date: '2026-10-03' });
}
