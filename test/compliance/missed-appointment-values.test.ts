/**
 * The first follow-up after a missed appointment is found by comparing the values as text and
 * reading the date of the earliest only: values that are no date (a day past the month's end, a
 * year or a month alone) are passed over as when every value's date was read.
 */
import { describe, expect, it } from 'vitest';
import { ELFT, findings } from './english-helpers.js';
import { variant } from './helpers.js';

type Attempt = { at: string; method: 'opt-in-letter' | 'telephone' };

// Missed on Thursday 27 February 2025.
const missed = (attempts: Attempt[]) =>
  variant((x) => {
    x.encounters!.push({ id: 'dna', status: 'did-not-attend', start: '2025-02-27T10:00:00Z', mode: 'face-to-face', followUpAttempts: attempts });
  });
const letterMessage = (attempts: Attempt[]) => findings(missed(attempts), ELFT, 'ELFT-N-1/opt-in-letter-within-5-working-days').map((f) => f.message);
const within = (days: number) => [`The opt-in-letter after the missed appointment was made ${days} working days after the missed appointment, within 5 working days.`];

describe('ELFT-N-1: the first follow-up by a means, among values that are no date', () => {
  it('passes over an earliest value that is no calendar date for the next that is', () => {
    expect(
      letterMessage([
        { at: '2025-02-30', method: 'opt-in-letter' },
        { at: '2025-03-03', method: 'opt-in-letter' },
      ]),
    ).toEqual(within(2));
  });
  it('treats a value that is no calendar date, alone, as no follow-up', () => {
    expect(letterMessage([{ at: '2025-02-30', method: 'opt-in-letter' }])).toEqual([
      'No opt-in-letter after the missed appointment is recorded, and 5 working days have passed since the missed appointment.',
    ]);
  });
  it('passes over a year or a month alone, and a follow-up before the day or by another means', () => {
    expect(
      letterMessage([
        { at: '2026', method: 'opt-in-letter' },
        { at: '2025-03', method: 'opt-in-letter' },
        { at: '2025-02-26', method: 'opt-in-letter' },
        { at: '2025-02-28', method: 'telephone' },
        { at: '2025-03-04T09:00:00Z', method: 'opt-in-letter' },
      ]),
    ).toEqual(within(3));
  });
  it('counts a follow-up on the day of the missed appointment, timed before it or not', () => {
    expect(letterMessage([{ at: '2025-02-27T09:00:00Z', method: 'opt-in-letter' }])).toEqual(within(0));
  });
});
