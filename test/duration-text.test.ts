import { expect } from 'chai';
import { durationText } from '../lib/messages.js';

describe('durationText (how long an invitation is valid, in words)', () => {
  const HOUR = 3_600_000;
  it('says whole days in days', () => {
    expect(durationText(7 * 24 * HOUR)).to.equal('7 days');
    expect(durationText(24 * HOUR)).to.equal('1 day');
  });
  it('says a TTL shorter than a day in hours, never "0 days"', () => {
    expect(durationText(12 * HOUR)).to.equal('12 hours');
    expect(durationText(HOUR)).to.equal('1 hour');
  });
  it('says minutes below an hour', () => {
    expect(durationText(30 * 60_000)).to.equal('30 minutes');
  });
  it('rounds odd lengths to a tenth of the largest unit that fits', () => {
    expect(durationText(36 * HOUR + 1)).to.equal('1.5 days');
  });
});
