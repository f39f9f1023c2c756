import { expect } from 'chai';
import { runRig, type ConfigName } from './rig.js';

/**
 * `npm run test:cluster`: the kit behind Node's cluster, over PostgreSQL (directly and through
 * PgBouncer in transaction mode), MariaDB, and PostgreSQL with sessions and limits in Redis, with
 * workers killed mid-send, mid-accept and holding an account's lock, the SMTP server away and
 * PgBouncer restarted. CLUSTER_CONFIGS=pg,mariadb picks some; CLUSTER_OWNERS scales the load;
 * CLUSTER_SMTP_OUTAGE_MS sets how long the SMTP server is away (a minute unless told).
 */
const configs = (process.env.CLUSTER_CONFIGS ?? 'pg,pgbouncer,mariadb,redis').split(',') as ConfigName[];
const owners = Number(process.env.CLUSTER_OWNERS ?? 40);
const invitees = Number(process.env.CLUSTER_INVITEES ?? 4);
const smtpOutageMs = Number(process.env.CLUSTER_SMTP_OUTAGE_MS ?? 60_000);

function report(config: string, result: { line: string; figures: Record<string, number | string>; failures: string[] }) {
  console.log(`\n  [${config}] ${result.line}`);
  for (const [k, v] of Object.entries(result.figures)) console.log(`    ${k}: ${v}`);
  for (const f of result.failures) console.log(`    FAILED: ${f}`);
}

describe('the kit in a cluster of processes', function () {
  for (const config of configs) {
    it(`${config}: ${owners * (invitees + 1)} virtual users, the limits' bursts and the faults; nothing lost, nothing sent twice, limits exact`, async () => {
      const result = await runRig({ config, workers: 3, owners, invitees, bursts: true, faults: true, smtpOutageMs });
      report(config, result);
      expect(result.failures).to.deep.equal([]);
      expect(result.line).to.match(/ 0 duplicates, 0 lost, 0 5xx outside outages$/);
    });
  }

  if (process.env.CLUSTER_BROKEN === '0') return;
  it(`${configs[0]}: with the outbox claim broken on purpose, the same checks find the double sends`, async () => {
    const result = await runRig({ config: configs[0]!, workers: 3, owners: 1, invitees: 0, bursts: false, faults: false, breakClaim: true });
    report(`${configs[0]} broken claim`, result);
    expect(result.failures.join('\n')).to.match(/\d+ duplicate emails/);
    expect(result.line).to.not.match(/ 0 duplicates,/);
  });
});
