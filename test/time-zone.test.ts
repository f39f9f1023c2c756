import { expect } from 'chai';
import type { Request } from 'express';
import { World, useWorld } from './support/world.js';
import { MOUNT } from './support/app.js';
import { addMember, type Member } from './support/members.js';
import { accountUsers } from '../lib/index.js';
import { offsetAtWallTime, wallTimeValue } from '../lib/i18n/time-zone.js';

const storedUntil = async (world: World, userId: number) =>
  Number((await world.knex('au_account_users').where({ account_id: world.account.id, user_id: userId }).first()).access_until);

describe('times in the viewer’s zone (the timeZone option)', () => {
  describe("a fixed zone, 'Europe/Berlin'", () => {
    const { world, owner } = useWorld({ timeZone: 'Europe/Berlin' }, { owner: 'signed-in' });
    let member: Member;
    before(async () => {
      member = await addMember(world, owner, 'mia@example.com', ['invoices']);
    });

    it('reads a form’s 17:00 as 17:00 in Berlin (16:00 UTC in winter, 15:00 UTC in summer)', async () => {
      await owner.get(`${MOUNT}/users/${member.userId}`);
      const winter = await owner.post(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices'], accessUntil: '2031-01-15T17:00' });
      expect(winter.status, winter.text).to.equal(303);
      expect(await storedUntil(world, member.userId)).to.equal(Date.parse('2031-01-15T16:00:00Z'));
      await owner.get(`${MOUNT}/users/${member.userId}`);
      const summer = await owner.post(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices'], accessUntil: '2031-07-15T17:00' });
      expect(summer.status, summer.text).to.equal(303);
      expect(await storedUntil(world, member.userId)).to.equal(Date.parse('2031-07-15T15:00:00Z'));
    });

    it('fills the form with the stored moment on the Berlin clock, and names the zone beside the field', async () => {
      const page = (await owner.get(`${MOUNT}/users/${member.userId}`)).text;
      expect(page).to.contain('name="accessUntil" value="2031-07-15T17:00"');
      expect(page).to.contain('Times are in Europe/Berlin.');
    });

    it('shows every date in Berlin time with its zone named; JSON stays UTC', async () => {
      const page = (await owner.get(`${MOUNT}/`)).text;
      expect(page).to.contain('access until Jul 15, 2031, 5:00 PM GMT+2');
      const json = await owner.getJson(`${MOUNT}/`);
      const row = (json.body.members as Array<{ userId: number; accessUntil: string }>).find((m) => m.userId === member.userId)!;
      expect(row.accessUntil).to.equal('2031-07-15T15:00:00.000Z');
    });

    it('leaves JSON input as sent: a zone-less date-time is still refused there', async () => {
      await owner.getJson(`${MOUNT}/users/${member.userId}`);
      const res = await owner.postJson(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices'], accessUntil: '2031-08-01T17:00' });
      expect(res.status).to.equal(400);
      expect(res.body.error.fields[0].field).to.equal('accessUntil');
    });
  });

  describe('the default', () => {
    const { world, owner } = useWorld({}, { owner: 'signed-in' });

    it('is UTC, said beside the field and every date', async () => {
      const member = await addMember(world, owner, 'utc@example.com', ['invoices']);
      await owner.get(`${MOUNT}/users/${member.userId}`);
      expect((await owner.post(`${MOUNT}/users/${member.userId}/permissions`, { permissions: ['invoices'], accessUntil: '2031-01-15T17:00' })).status).to.equal(
        303,
      );
      expect(await storedUntil(world, member.userId)).to.equal(Date.parse('2031-01-15T17:00:00Z'));
      expect((await owner.get(`${MOUNT}/users/${member.userId}`)).text).to.contain('Times are in UTC.');
      expect((await owner.get(`${MOUNT}/`)).text).to.contain('access until Jan 15, 2031, 5:00 PM UTC');
    });
  });

  describe('a function (req) => zone', () => {
    const { world, owner } = useWorld({ timeZone: (req: Request) => (typeof req.query.tz === 'string' ? req.query.tz : undefined) }, { owner: 'signed-in' });
    before(async () => {
      await addMember(world, owner, 'fn@example.com', ['invoices']);
      const member = (await world.knex('au_users').where({ email: 'fn@example.com' }).first()).id;
      await world
        .knex('au_account_users')
        .where({ user_id: member })
        .update({ access_until: Date.parse('2031-01-15T17:00:00Z') });
    });

    it('shows each viewer their own zone', async () => {
      expect((await owner.get(`${MOUNT}/?tz=America/New_York`)).text).to.contain('access until Jan 15, 2031, 12:00 PM EST');
      expect((await owner.get(`${MOUNT}/?tz=Asia/Tokyo`)).text).to.contain('access until Jan 16, 2031, 2:00 AM GMT+9');
      expect((await owner.get(`${MOUNT}/`)).text).to.contain('access until Jan 15, 2031, 5:00 PM UTC');
    });

    it('falls back to UTC for a zone Intl does not know, with one warning', async () => {
      const before = world.host.logs.length;
      for (let i = 0; i < 3; i++) expect((await owner.get(`${MOUNT}/?tz=Mars/Olympus`)).text).to.contain('access until Jan 15, 2031, 5:00 PM UTC');
      const warnings = world.host.logs.slice(before).filter((l) => l.includes('Mars/Olympus'));
      expect(warnings).to.have.length(1);
    });
  });

  it('refuses an unknown zone at start-up, naming the option', () => {
    expect(() =>
      accountUsers({
        knex: {} as never,
        baseUrl: 'https://portal.example.com',
        mail: { transport: { sendMail: async () => ({}) }, from: 'Billing <b@example.com>' },
        timeZone: 'Mars/Olympus',
      }),
    ).to.throw(/option `timeZone` must be an IANA time zone/);
  });

  describe('wall-clock conversion across summer time (unit)', () => {
    const fields = (text: string) => Date.parse(`${text}Z`);
    it('takes the earlier offset for a time that occurs twice, and moves a skipped time forward', () => {
      expect(offsetAtWallTime(fields('2031-10-26T02:30:00'), 'Europe/Berlin')).to.equal('+02:00');
      expect(offsetAtWallTime(fields('2031-03-30T02:30:00'), 'Europe/Berlin')).to.equal('+01:00');
      expect(offsetAtWallTime(fields('2031-06-01T12:00:00'), 'America/St_Johns')).to.equal('-02:30');
      expect(offsetAtWallTime(fields('2031-06-01T12:00:00'), 'Asia/Kathmandu')).to.equal('+05:45');
    });
    it('writes a moment as a datetime-local value on the zone’s clock', () => {
      expect(wallTimeValue(new Date('2031-07-15T15:00:00Z'), 'Europe/Berlin')).to.equal('2031-07-15T17:00');
      expect(wallTimeValue(new Date('2031-01-15T23:30:00Z'), 'Asia/Kolkata')).to.equal('2031-01-16T05:00');
    });
  });
});
