import { expect } from 'chai';
import type { Knex } from 'knex';
import { accountUsers, OptionsError, PERMISSIONS, type AccountUsersOptions } from '../lib/index.js';
import { parseOptions } from '../lib/options/checks.js';
import { bareOptions, memoryKnex } from './support/app.js';

describe('accountUsers(options) validation', () => {
  let knex: Knex;
  let valid: AccountUsersOptions;

  before(() => {
    // Never queried: option validation happens before any connection is made.
    knex = memoryKnex();
    valid = bareOptions(knex);
  });
  after(() => knex.destroy());

  /** The OptionsError message accountUsers() throws for these options (fails the test if it does not throw). */
  function errorFor(options: unknown): string {
    try {
      accountUsers(options as AccountUsersOptions);
    } catch (err) {
      expect(err).to.be.instanceOf(OptionsError);
      return (err as Error).message;
    }
    expect.fail('accountUsers() accepted invalid options');
  }

  const without = (key: keyof AccountUsersOptions) => {
    const copy: Record<string, unknown> = { ...valid };
    delete copy[key];
    return copy;
  };

  it('accepts the documented minimal options', () => {
    const au = accountUsers(valid);
    expect(au.router).to.be.a('function');
    void au.close();
  });

  it('refuses missing knex, naming it', () => {
    expect(errorFor(without('knex'))).to.contain('`knex` is required');
  });

  it('refuses a negative or fractional limits.restoreWindowMs, naming it', () => {
    expect(errorFor({ ...valid, limits: { restoreWindowMs: -1 } })).to.include('limits.restoreWindowMs');
    expect(errorFor({ ...valid, limits: { restoreWindowMs: 1.5 } })).to.include('limits.restoreWindowMs');
  });

  it('refuses missing baseUrl, naming it', () => {
    expect(errorFor(without('baseUrl'))).to.contain('`baseUrl` is required');
  });

  it('refuses missing mail, naming it', () => {
    expect(errorFor(without('mail'))).to.contain('`mail` is required');
  });

  it('refuses mail without a transport or a sender, naming each', () => {
    const message = errorFor({ ...valid, mail: {} });
    expect(message).to.contain('`mail.transport` is required').and.contain('`mail.from` is required');
  });

  it('names every missing option when none are given', () => {
    const message = errorFor(undefined);
    expect(message).to.contain('`knex`').and.contain('`baseUrl`').and.contain('`mail`');
  });

  it('refuses something that is not a Knex instance as knex', () => {
    expect(errorFor({ ...valid, knex: { client: 'pg' } })).to.match(/`knex` must be a Knex instance/);
  });

  it('refuses a baseUrl that is not an absolute http(s) URL', () => {
    expect(errorFor({ ...valid, baseUrl: 'portal.example.com' })).to.match(/`baseUrl` must be an absolute http\(s\) URL/);
    expect(errorFor({ ...valid, baseUrl: 'ftp://portal.example.com' })).to.match(/`baseUrl` must be/);
  });

  it('refuses a mail transport without sendMail', () => {
    expect(errorFor({ ...valid, mail: { ...valid.mail, transport: { host: 'smtp' } } })).to.match(/`mail.transport` must be a nodemailer transport/);
  });

  it('refuses a loginUrl that is not a same-origin path', () => {
    expect(errorFor({ ...valid, loginUrl: 'https://evil.example/login' })).to.match(/`loginUrl` must be a same-origin path/);
  });

  it('refuses options of the wrong type, naming each', () => {
    expect(errorFor({ ...valid, invitationTtl: '7 days' })).to.contain('`invitationTtl`');
    expect(errorFor({ ...valid, requireMatchingEmail: 'yes' })).to.contain('`requireMatchingEmail`');
    expect(errorFor({ ...valid, tablePrefix: 42 })).to.contain('`tablePrefix`');
    expect(errorFor({ ...valid, now: new Date() })).to.contain('`now`');
  });

  it('refuses a tablePrefix that is not a safe identifier', () => {
    expect(errorFor({ ...valid, tablePrefix: 'au; drop table x' })).to.contain('`tablePrefix` must be');
  });

  it('refuses scrypt parameters that are not a power of two', () => {
    expect(errorFor({ ...valid, passwordHashing: { N: 1000, r: 8, p: 1 } })).to.contain('`passwordHashing.N` must be a power of two');
  });

  it('suggests tablePrefix for a misspelt tableprefix', () => {
    const message = errorFor({ ...valid, tableprefix: 'crm_' });
    expect(message).to.contain('`tableprefix`').and.contain('Did you mean `tablePrefix`?');
  });

  it('refuses an unknown nested option, naming its path', () => {
    expect(errorFor({ ...valid, mail: { ...valid.mail, form: 'x@example.com' } })).to.contain('`mail.form`');
  });

  it('catches accountUsers passed a function instead of options', () => {
    expect(errorFor(accountUsers)).to.match(/options object; it looks like a function/);
  });

  it('refuses a host permission whose key is not a valid key', () => {
    expect(errorFor({ ...valid, permissions: [{ key: 'View Reports', label: 'View Reports', description: '' }] })).to.match(
      /`permissions\.0\.key` must be 1-64 characters/,
    );
  });

  it('refuses a host permission without a label', () => {
    expect(errorFor({ ...valid, permissions: [{ key: 'reports', description: '' }] })).to.contain('`permissions.0.label` is required');
  });

  it('refuses duplicate host permission keys', () => {
    const duplicate = { key: 'reports', label: 'Reports', description: '' };
    expect(errorFor({ ...valid, permissions: [duplicate, { ...duplicate, label: 'Reports again' }] })).to.contain(
      '`permissions.1.key` duplicates the key "reports"',
    );
  });

  it('refuses a host permission that reuses a built-in key', () => {
    expect(errorFor({ ...valid, permissions: [{ key: 'invoices', label: 'Invoices', description: '' }] })).to.contain(
      '`permissions.0.key` "invoices" is a built-in permission',
    );
  });

  it("refuses a host permission named manageusers (the delegation option's key)", () => {
    expect(errorFor({ ...valid, permissions: [{ key: 'manageusers', label: 'Managers', description: '' }] })).to.contain(
      '`permissions.0.key` "manageusers" is a built-in permission',
    );
  });

  it('refuses a delegation option that is not true or false', () => {
    expect(errorFor({ ...valid, delegation: 'yes' })).to.contain('`delegation`');
  });

  it('refuses a twoFactor.encryptionKey shorter than 32 characters, naming it', () => {
    expect(errorFor({ ...valid, twoFactor: { encryptionKey: 'short' } })).to.contain('`twoFactor.encryptionKey` must be at least 32 characters');
  });

  it('refuses a users store that lacks part of the port', () => {
    expect(errorFor({ ...valid, users: { findById: async () => undefined } })).to.match(
      /`users` must be an object with findById, findByEmail, create and verifyPassword/,
    );
  });

  describe('defaults', () => {
    it('applies the documented defaults', () => {
      const resolved = parseOptions(valid);
      expect(resolved.loginUrl).to.equal('/login');
      expect(resolved.tablePrefix).to.equal('au_');
      expect(resolved.userMountPath).to.equal('/user');
      expect(resolved.invitationTtl).to.equal(7 * 24 * 60 * 60 * 1000);
      expect(resolved.requireMatchingEmail).to.equal(true);
      expect(resolved.permissions).to.deep.equal([]);
      expect(resolved.passwordHashing).to.deep.equal({ algorithm: 'scrypt', N: 2 ** 17, r: 8, p: 1 });
      expect(resolved.mail).to.include({ worker: false, workerIntervalMs: 30_000, maxAttempts: 8 });
      expect(resolved.twoFactor).to.deep.equal({ stepUpMinutes: 10, reminderDaysBefore: 3, passkeys: {} });
      expect(resolved.limits).to.deep.equal({
        invitationsPerDay: 50,
        resendCooldownMs: 60_000,
        restoreWindowMs: 90 * 24 * 60 * 60 * 1000,
        bulkInviteMax: 50,
        rosterMaxRows: 500,
        rosterMaxBytes: 100_000,
        acceptPerWindow: 20,
        acceptWindowMs: 15 * 60 * 1000,
        acceptViewsPerWindow: 100,
        loginPerWindow: 10,
        loginPerIpPerWindow: 100,
        loginWindowMs: 15 * 60 * 1000,
        twoFactorPerWindow: 10,
        passwordResetPerWindow: 5,
        passwordResetPerIpPerWindow: 30,
        emailChangePerWindow: 5,
        emailChangePerIpPerWindow: 30,
        emailVerifyPerWindow: 5,
        emailVerifyPerIpPerWindow: 30,
        selfServiceWindowMs: 60 * 60 * 1000,
      });
      expect(resolved.mountPath).to.equal('/account/users');
      expect(resolved.frameAncestors).to.deep.equal(["'none'"]);
      expect(resolved.now()).to.be.instanceOf(Date);
    });

    it('refuses roster and bulk limits beyond what one request or transaction should carry', () => {
      expect(() => parseOptions({ ...valid, limits: { bulkInviteMax: 1001 } })).to.throw(/limits\.bulkInviteMax.*at most 1000/);
      expect(() => parseOptions({ ...valid, limits: { rosterMaxRows: 0 } })).to.throw(/limits\.rosterMaxRows/);
      expect(() => parseOptions({ ...valid, limits: { rosterMaxBytes: 2_000_000 } })).to.throw(/limits\.rosterMaxBytes.*1 MiB/);
    });

    it('drops a trailing slash from baseUrl', () => {
      expect(parseOptions({ ...valid, baseUrl: 'https://portal.example.com/billing/' }).baseUrl).to.equal('https://portal.example.com/billing');
    });

    it('names its migrations table after the default prefix and serves the thirteen built-ins', () => {
      const au = accountUsers(valid);
      expect(au.migrationTableName).to.equal('au_migrations');
      expect(au.permissions.map((p) => p.key)).to.deep.equal(PERMISSIONS.map((p) => p.key));
      void au.close();
    });

    it('gives a host permission an empty description by default', () => {
      const au = accountUsers({ ...valid, permissions: [{ key: 'reports', label: 'Reports' } as never] });
      expect(au.permissions.at(-1)).to.deep.equal({ key: 'reports', label: 'Reports', description: '' });
      void au.close();
    });
  });
});
