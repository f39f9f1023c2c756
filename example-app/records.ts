/** The shapes of the portal's records, as the pages read and write them. */
export interface Profile {
  company: string;
  address: string;
  email: string;
  phone: string;
}
export interface Contact {
  name: string;
  email: string;
  role: string;
}
export interface Service {
  product: string;
  domain: string;
  status: 'Active' | 'Pending';
  username: string;
  password: string;
  price: string;
}
export interface Domain {
  name: string;
  expires: string;
  autoRenew: boolean;
  nameservers: string[];
}
export interface Invoice {
  number: string;
  date: string;
  total: string;
  status: 'Unpaid' | 'Paid';
}
export interface Quote {
  number: string;
  subject: string;
  total: string;
  status: 'Delivered' | 'Accepted';
}
export interface Ticket {
  subject: string;
  department: string;
  status: 'Open' | 'Answered' | 'Closed';
  updated: string;
}
export interface Affiliate {
  balance: string;
  referrals: number;
  withdrawalRequested: boolean;
}
export interface Email {
  subject: string;
  date: string;
}

/** What the order page offers. */
export const PRODUCTS = [
  { id: 'starter', name: 'Starter Hosting', price: '$4.99/mo' },
  { id: 'business', name: 'Business Hosting', price: '$12.99/mo' },
  { id: 'vps', name: 'Cloud VPS 2 GB', price: '$19.00/mo' },
] as const;
