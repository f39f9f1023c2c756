import { expect } from 'chai';
import { useWorld } from './support/world.js';
import { MOUNT } from './support/app.js';
import { pathOf } from './support/client.js';

/**
 * What requireMatchingEmail (the default) does and does not guarantee, as SECURITY.md states it:
 * a signed-in user cannot attach a login of another address to the account, and an address that
 * has a login can only be joined by signing in as it; but when the invited address has no login
 * yet, whoever holds the link can create that login (the link is the only proof of the address).
 */
describe('requireMatchingEmail (default true): its guarantee and its limit', function () {
  this.timeout(30_000);
  const { world, owner } = useWorld();
  const membersOfAcme = async () =>
    Number(((await world.knex('au_account_users').where({ account_id: world.account.id }).count({ n: '*' }).first()) as { n: unknown }).n);

  it('refuses a signed-in user of another address (403 email_mismatch) and adds no membership', async () => {
    await world.host.au.createAccount({ name: 'Stranger Co', owner: { email: 'stranger@example.com', name: 'Stranger', password: 'stranger-password-1' } });
    await owner.postJson(`${MOUNT}/invite`, { email: 'invitee@example.com', permissions: ['invoices'] });
    const stranger = world.browser();
    await stranger.login('stranger@example.com', 'stranger-password-1');
    const link = pathOf(world.smtp.linkFor('invitee@example.com'));
    await stranger.getJson(link);
    const res = await stranger.postJson(link, {});
    expect(res.status).to.equal(403);
    expect(res.body.error.code).to.equal('email_mismatch');
    expect(await membersOfAcme()).to.equal(1);
  });

  it('refuses to register a second login for an invited address that already has one (it must sign in as it)', async () => {
    await world.host.au.createAccount({ name: 'Existing Co', owner: { email: 'has-login@example.com', name: 'Has Login', password: 'has-login-password-1' } });
    await owner.postJson(`${MOUNT}/invite`, { email: 'has-login@example.com', permissions: ['invoices'] });
    const visitor = world.browser();
    const link = pathOf(world.smtp.linkFor('has-login@example.com'));
    await visitor.getJson(link);
    const res = await visitor.postJson(`${link}/register`, { name: 'Someone Else', password: 'another-password-1' });
    expect(res.status).to.equal(400);
    expect(res.body.error.fields[0].field).to.equal('email');
    expect(await membersOfAcme()).to.equal(1);
  });

  it('does not stop a holder of the link from creating the login when the invited address has none (documented limit)', async () => {
    await owner.postJson(`${MOUNT}/invite`, { email: 'no-login-yet@example.com', permissions: ['invoices'] });
    const holder = world.browser();
    const link = pathOf(world.smtp.linkFor('no-login-yet@example.com'));
    await holder.getJson(link);
    const res = await holder.postJson(`${link}/register`, { name: 'Whoever Holds The Link', password: 'holder-password-1' });
    expect(res.status).to.equal(201);
    expect(res.body.user.email).to.equal('no-login-yet@example.com');
  });
});
