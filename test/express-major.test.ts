import { expect } from 'chai';
import express from 'express';

/**
 * CI runs the suite on Express 5 and, with `--import ./test/support/express-4.mjs`, on Express 4
 * (AU_EXPRESS_MAJOR=4): this proves each run is on the major it says, in every worker process,
 * for the kit's routers as for the test host.
 */
describe('the Express major the suite runs on', () => {
  it('is the one AU_EXPRESS_MAJOR names (5 when unset), for the express the code imports', async () => {
    const wanted = process.env.AU_EXPRESS_MAJOR ?? '5';
    const { default: pkg } = (await import('express/package.json', { with: { type: 'json' } })) as { default: { version: string } };
    expect(pkg.version.split('.')[0]).to.equal(wanted);
    // The running code, not only the file found: Express 5 dropped app.del and the express.query middleware.
    expect(typeof (express as unknown as { query?: unknown }).query).to.equal(wanted === '5' ? 'undefined' : 'function');
    expect(typeof (express.application as unknown as { del?: unknown }).del).to.equal(wanted === '5' ? 'undefined' : 'function');
  });
});
