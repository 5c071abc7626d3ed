import { describe, expect, it } from 'vitest';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { recordSchema } from '../../src/record/record.schema.js';
import { compliantRecord, engine, variant } from './helpers.js';

const LPT = 'leicestershire-lpt';
const ELFT = 'luton-bedfordshire-elft';
const WALES = 'wales-measure';

const findings = (record: CtpRecord, pack: string, check: string, asOf = '2025-12-01') =>
  engine()
    .evaluate(record, { asOf, pack })
    .findings.filter((f) => f.check === check);
const results = (record: CtpRecord, pack: string, check: string, asOf?: string) => findings(record, pack, check, asOf).map((f) => f.result);

/** Discharged from hospital (optionally at a time), then a face-to-face contact at `contact`. */
const discharged = (on: string, at: string | undefined, contact: string | undefined, admittedOn: string | null = '2025-01-10') =>
  variant((x) => {
    x.episodes![0]!.inpatientStays = [{ id: 's', ...(admittedOn !== null ? { admittedOn } : {}), dischargedOn: on, ...(at ? { dischargedAt: at } : {}) }];
    if (contact === undefined) delete x.encounters;
    else x.encounters = [{ id: 'fu', kind: 'follow-up', status: 'finished', start: contact, mode: 'face-to-face' }];
  });

describe('LPT-D4: follow-up within 72 hours of leaving hospital, to the minute', () => {
  const D4 = 'follow-up-within-72-hours';

  it('fails a follow-up 73.5 hours after discharge, which 3 days on dates used to pass', () => {
    const late = discharged('2025-06-02', '2025-06-02T10:00:00+01:00', '2025-06-05T11:30:00+01:00');
    expect(results(late, LPT, D4)).toEqual(['fail']);
    expect(findings(late, LPT, D4)[0]).toMatchObject({ location: 'episodes[0].inpatientStays[0]', due: '2025-06-05' });
    expect(findings(late, LPT, D4)[0]!.message).toContain('73.5 hours');
  });

  it('passes at 72 hours exactly, and fails a minute later', () => {
    expect(results(discharged('2025-06-02', '2025-06-02T10:00:00+01:00', '2025-06-05T10:00:00+01:00'), LPT, D4)).toEqual(['pass']);
    expect(results(discharged('2025-06-02', '2025-06-02T10:00:00+01:00', '2025-06-05T10:01:00+01:00'), LPT, D4)).toEqual(['fail']);
  });

  it('counts real hours across the spring clock change (Friday 28 March 2025 noon GMT to Monday 1pm BST is 72 hours)', () => {
    expect(results(discharged('2025-03-28', '2025-03-28T12:00:00Z', '2025-03-31T13:00:00+01:00'), LPT, D4)).toEqual(['pass']);
    expect(results(discharged('2025-03-28', '2025-03-28T12:00:00Z', '2025-03-31T13:01:00+01:00'), LPT, D4)).toEqual(['fail']);
  });

  it('counts real hours across the autumn clock change (Friday 24 October 2025 noon BST to Monday noon GMT is 73 hours)', () => {
    expect(results(discharged('2025-10-24', '2025-10-24T12:00:00+01:00', '2025-10-27T11:00:00Z'), LPT, D4)).toEqual(['pass']);
    expect(results(discharged('2025-10-24', '2025-10-24T12:00:00+01:00', '2025-10-27T12:00:00Z'), LPT, D4)).toEqual(['fail']);
  });

  it('cannot evaluate when the answer depends on times the record does not hold, and names them', () => {
    const r = discharged('2025-06-02', undefined, '2025-06-05T09:00:00+01:00');
    expect(findings(r, LPT, D4)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].inpatientStays[0].dischargedAt'] });
    const bothDates = discharged('2025-06-02', undefined, '2025-06-05');
    expect(findings(bothDates, LPT, D4)[0]!.missing).toEqual(['episodes[0].inpatientStays[0].dischargedAt', 'encounters[0].start']);
    // Dates alone still decide when every time of day gives the same answer.
    expect(results(discharged('2025-06-02', undefined, '2025-06-04'), LPT, D4)).toEqual(['pass']);
    expect(results(discharged('2025-06-02', undefined, '2025-06-06'), LPT, D4)).toEqual(['fail']);
  });

  it('ignores a contact earlier on the day of discharge, before the person left', () => {
    const r = variant((x) => {
      x.episodes![0]!.inpatientStays = [{ id: 's', admittedOn: '2025-05-20', dischargedOn: '2025-06-02', dischargedAt: '2025-06-02T15:00:00+01:00' }];
      x.encounters = [
        { id: 'ward', status: 'finished', start: '2025-06-02T09:00:00+01:00', mode: 'face-to-face' },
        { id: 'fu', status: 'finished', start: '2025-06-06T09:00:00+01:00', mode: 'telephone' },
      ];
    });
    expect(results(r, LPT, D4)).toEqual(['fail']);
  });

  it('is not yet due before the 72 hours have run out, and fails once they have with no contact', () => {
    const none = discharged('2025-06-02', '2025-06-02T10:00:00+01:00', undefined);
    expect(results(none, LPT, D4, '2025-06-05')).toEqual(['not-applicable']);
    expect(results(none, LPT, D4, '2025-06-06')).toEqual(['fail']);
  });

  it('the same 73.5-hour follow-up passes in Wales (a week) and at ELFT (5 working days)', () => {
    const late = discharged('2025-06-02', '2025-06-02T10:00:00+01:00', '2025-06-05T11:30:00+01:00');
    expect(results(late, WALES, 'contact-within-a-week')).toEqual(['pass']);
    expect(results(late, ELFT, 'face-to-face-within-5-working-days-of-discharge')).toEqual(['pass']);
  });
});

describe('a hospital stay known only by its discharge', () => {
  it('is a valid record; the follow-up rules run on it, and a review during the stay cannot be told', () => {
    const r = discharged('2025-06-02', '2025-06-02T10:00:00+01:00', '2025-06-04T10:00:00+01:00', null);
    expect(results(r, LPT, 'follow-up-within-72-hours')).toEqual(['pass']);
    expect(findings(r, WALES, 'review-before-hospital-discharge', '2025-07-01')[0]).toMatchObject({
      result: 'cannot-evaluate',
      missing: ['episodes[0].inpatientStays[0].admittedOn'],
    });
  });

  it('needs at least one of its dates, and a time of discharge on the date of discharge', () => {
    const stay = (s: object) => {
      const r = structuredClone(compliantRecord()) as CtpRecord & { episodes: { inpatientStays?: unknown[] }[] };
      r.episodes[0]!.inpatientStays = [{ id: 's', ...s }];
      return recordSchema.safeParse(r).success;
    };
    expect(stay({ dischargedOn: '2025-06-02' })).toBe(true);
    expect(stay({})).toBe(false);
    expect(stay({ dischargedOn: '2025-06-02', dischargedAt: '2025-06-03T00:30:00+01:00' })).toBe(false);
    expect(stay({ dischargedOn: '2025-06-02', dischargedAt: '2025-06-02T23:30:00Z' })).toBe(true);
  });
});

describe('ELFT-T1: emergency within 24 hours and urgent within 72 hours of the time of referral', () => {
  const referred = (priority: 'emergency' | 'urgent', receivedAt: string | undefined, assessed: string) =>
    variant((x) => {
      x.episodes![0]!.referral = { receivedOn: '2025-03-28', ...(receivedAt ? { receivedAt } : {}), priority };
      x.encounters = [{ id: 'as', kind: 'assessment', status: 'finished', start: assessed, mode: 'face-to-face' }];
    });
  const T1 = 'assessed-by-priority';

  it('an emergency referral at 16:00 assessed 23 hours later passes; 25 hours later fails', () => {
    expect(results(referred('emergency', '2025-03-28T16:00:00Z', '2025-03-29T15:00:00Z'), ELFT, T1)).toEqual(['pass']);
    expect(results(referred('emergency', '2025-03-28T16:00:00Z', '2025-03-29T17:00:00Z'), ELFT, T1)).toEqual(['fail']);
  });

  it('an urgent referral counts 72 real hours across the spring clock change', () => {
    expect(results(referred('urgent', '2025-03-28T12:00:00Z', '2025-03-31T13:00:00+01:00'), ELFT, T1)).toEqual(['pass']);
    expect(results(referred('urgent', '2025-03-28T12:00:00Z', '2025-03-31T13:30:00+01:00'), ELFT, T1)).toEqual(['fail']);
  });

  it('cannot evaluate an urgent referral known by its date when the assessment is on the third day', () => {
    expect(findings(referred('urgent', undefined, '2025-03-31T09:00:00+01:00'), ELFT, T1)[0]).toMatchObject({
      result: 'cannot-evaluate',
      missing: ['episodes[0].referral.receivedAt'],
    });
  });

  it('a referral time must be on the referral date', () => {
    const r = structuredClone(compliantRecord());
    r.episodes![0]!.referral = { receivedOn: '2025-03-28', receivedAt: '2025-03-29T09:00:00Z' };
    expect(recordSchema.safeParse(r).success).toBe(false);
  });

  it('LPT counts the same urgent referral in working days', () => {
    // Friday 28 March 2025: the 5th working day is Friday 4 April.
    expect(results(referred('urgent', '2025-03-28T12:00:00Z', '2025-04-04T16:00:00+01:00'), LPT, T1)).toEqual(['pass']);
    expect(results(referred('urgent', '2025-03-28T12:00:00Z', '2025-04-07T09:00:00+01:00'), LPT, T1)).toEqual(['fail']);
  });
});
