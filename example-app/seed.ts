import { InvalidInputError, type AccountUsers } from '../lib/index.js';
import type { PortalData } from './portal-data.js';
import { seedAccountData } from './sample-data.js';

export const DEMO_OWNER = { email: 'owner@sunrise-bakery.test', name: 'Sam Sunrise', password: 'sunrise-demo-1' } as const;
export const DEMO_ACCOUNT = 'Sunrise Bakery';

/** The demo customer account and its owner, created once; later starts find it in place. */
export async function seedDemo(au: AccountUsers, data: PortalData): Promise<{ created: boolean }> {
  try {
    // The demo's own owner, vouched for by the seed; people who sign up start unverified.
    const { account, owner } = await au.createAccount({ name: DEMO_ACCOUNT, owner: { ...DEMO_OWNER, emailVerified: true } });
    await seedAccountData(data, account.id, account.name, owner.email);
    return { created: true };
  } catch (err) {
    // The email is taken: the demo owner exists from an earlier start.
    if (err instanceof InvalidInputError && err.issues.some((i) => i.field === 'email')) return { created: false };
    throw err;
  }
}
