import { expect } from 'chai';
import { World } from './support/world.js';
import { pathOf } from './support/client.js';
import { MOUNT } from './support/app.js';

/** Every numbered step of the customer-facing feature description, over HTTP like a browser. */
describe('the user management flow customers know', () => {
  const world = new World();
  before(() => world.setUp());
  after(() => world.tearDown());

  it('invites, lets the invitee register, guards by permission, edits and removes', async () => {
    const owner = await world.ownerBrowser();

    // Step 1: User Management → Invite New User → email and permissions.
    const usersPage = await owner.get(`${MOUNT}/`);
    expect(usersPage.status).to.equal(200);
    expect(usersPage.text).to.contain('User Management').and.contain('Invite New User');
    const form = await owner.get(`${MOUNT}/invite`);
    expect(form.status).to.equal(200);
    expect(form.text).to.contain('Modify Master Account Profile').and.contain('Please consider carefully before granting this permission');
    const sent = await owner.post(`${MOUNT}/invite`, { email: 'Accountant@Example.com ', permissions: ['invoices', 'tickets'] });
    expect(sent.status).to.equal(303);
    const after = await owner.get(`${MOUNT}/`);
    expect(after.text).to.contain('Invitation sent to accountant@example.com');
    expect(after.text).to.contain('pending');

    // Step 3: the email, with its exact subject.
    const mails = world.smtp.to('accountant@example.com');
    expect(mails).to.have.length(1);
    expect(mails[0]!.subject).to.equal('Acme Ltd has invited you to their account.');
    expect(mails[0]!.text).to.contain('View & Pay Invoices').and.contain('7 days');
    const link = world.smtp.linkFor('accountant@example.com');
    expect(link.startsWith(`https://portal.example.com${MOUNT}/accept/`)).to.equal(true);

    // Step 4: the invitee follows the link and creates a login.
    const invitee = world.browser();
    const acceptPage = await invitee.get(pathOf(link));
    expect(acceptPage.status).to.equal(200);
    expect(acceptPage.headers['referrer-policy']).to.equal('no-referrer');
    expect(acceptPage.text).to.contain('Olive Owner has invited you to Acme Ltd');
    expect(acceptPage.text).to.contain('Sign in to accept').and.contain('Create a login');
    const registered = await invitee.post(`${pathOf(link)}/register`, { name: 'Anna Accountant', password: 'a-good-password' });
    expect(registered.status).to.equal(303);

    // The member reaches what was granted and nothing else.
    expect((await invitee.agent.get('/host/invoices')).status).to.equal(200);
    expect((await invitee.agent.get('/host/tickets')).status).to.equal(200);
    expect((await invitee.agent.get('/host/domains')).status).to.equal(403);

    // Step 5: the owner sees the invitation accepted.
    expect((await owner.get(`${MOUNT}/`)).text).to.contain('accepted');

    // Step 6: the owner adds a permission; it counts on the member's next request.
    const annaRow = (await world.knex('au_users').where({ email: 'accountant@example.com' }).first()) as { id: number };
    await owner.get(`${MOUNT}/users/${annaRow.id}`);
    const saved = await owner.post(`${MOUNT}/users/${annaRow.id}/permissions`, { permissions: ['invoices', 'tickets', 'domains'] });
    expect(saved.status).to.equal(303);
    expect((await invitee.agent.get('/host/domains')).status).to.equal(200);

    // Remove Users: the rubbish-bin link leads to a confirmation, then removal.
    const confirm = await owner.get(`${MOUNT}/users/${annaRow.id}/remove`);
    expect(confirm.status).to.equal(200);
    expect(confirm.text).to.contain('Remove user?').and.contain('Confirm');
    const removed = await owner.post(`${MOUNT}/users/${annaRow.id}/remove`);
    expect(removed.status).to.equal(303);
    expect((await invitee.agent.get('/host/invoices')).status).to.equal(403);

    // Her login survives; only access to this account went.
    expect(await world.knex('au_users').where({ email: 'accountant@example.com' }).first()).to.not.equal(undefined);
  });
});
