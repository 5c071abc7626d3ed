import { describe, expect, it } from 'vitest';
import { ctpValid } from '../../src/measures/definitions/ctp-valid.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { minimalRecord } from '../helpers/minimal-record.js';
import { evaluate, only } from './helpers.js';

/** The minimal record: accepted 2025-01-06, plan made 2025-02-01, review by 2026-01-31; resident in Cardiff. */
function record(change: (r: CtpRecord) => void = () => {}): CtpRecord {
  const r = minimalRecord();
  r.patient!.localAuthorityOfResidence = 'W06000015';
  change(r);
  return r;
}
const plan = (r: CtpRecord) => r.plans![0]!;
const march = (r: CtpRecord, asOf = '2025-12-31') => only(evaluate(ctpValid, r, ['2025-03'], asOf));

describe('ctp-valid', () => {
  it('counts a person in services with a current, in-date plan in the numerator, on the month end', () => {
    const { verdict, item } = march(record());
    expect(verdict).toBe('met');
    expect(item.on).toBe('2025-03-31');
    expect(item.organisations['health-board'].code).toBe('7A4');
    expect(item.organisations['local-authority'].code).toBe('W06000015');
    expect(item.stratum).toBe('18-and-over');
  });

  it('counts a person with no plan yet in the denominator only', () => {
    const { verdict, reason } = only(evaluate(ctpValid, record(), ['2025-01'], '2025-12-31'));
    expect(verdict).toBe('not met');
    expect(reason).toBe('no plan made by the census day');
  });

  it('is valid on its review-by date and invalid the day after', () => {
    expect(march(record((r) => (plan(r).reviewBy = '2025-03-31'))).verdict).toBe('met');
    const late = march(record((r) => (plan(r).reviewBy = '2025-03-30')));
    expect(late.verdict).toBe('not met');
    expect(late.reason).toContain('past its review-by date');
  });

  it('accepts a review-by date exactly 12 calendar months after the date made, not a day more', () => {
    expect(march(record((r) => (plan(r).reviewBy = '2026-02-01'))).verdict).toBe('met');
    const tooFar = march(record((r) => (plan(r).reviewBy = '2026-02-02')));
    expect(tooFar.verdict).toBe('not met');
    expect(tooFar.reason).toContain('more than 12 months');
  });

  it('ignores a plan made after the as-of day and takes the census on the as-of day inside a month', () => {
    const { verdict, item } = only(evaluate(ctpValid, record(), ['2025-02'], '2025-02-10'));
    expect(item.on).toBe('2025-02-10');
    expect(verdict).toBe('met');
    expect(
      only(
        evaluate(
          ctpValid,
          record((r) => (plan(r).madeOn = '2025-02-11')),
          ['2025-02'],
          '2025-02-10',
        ),
      ).verdict,
    ).toBe('not met');
  });

  it('treats a draft or a plan of unknown status as not made, and one superseded before the census as not current', () => {
    expect(march(record((r) => (plan(r).status = 'draft'))).reason).toBe('no plan made by the census day');
    expect(march(record((r) => (plan(r).status = 'unknown'))).reason).toBe('no plan made by the census day');
    expect(march(record((r) => (plan(r).status = 'superseded'))).verdict).toBe('not met');
  });

  it('holds a plan recorded as ended current while the person is still in services: the status records no date (7.7)', () => {
    expect(march(record((r) => (plan(r).status = 'ended'))).verdict).toBe('met');
  });

  it('does not count a plan left active from an earlier, fully discharged episode in a new episode (7.7, 4.86)', () => {
    const r = record((rec) => {
      rec.episodes![0] = { ...rec.episodes![0]!, status: 'finished', discharge: { date: '2025-02-20', kind: 'full' } };
      rec.episodes!.push({ id: 'ep2', status: 'active', acceptedOn: '2025-03-01', responsibleBodies: rec.episodes![0]!.responsibleBodies });
    });
    const { verdict, reason, item } = march(r);
    expect(item.subject).toBe('ep2');
    expect(verdict).toBe('not met');
    expect(reason).toBe('no plan made since the last full discharge');
  });

  it('orders one plan’s versions by version number, not by the date made', () => {
    const r = record((rec) => {
      plan(rec).status = 'superseded';
      rec.plans!.push({
        ...structuredClone(plan(rec)),
        id: 'plan-v2',
        version: 2,
        status: 'active',
        madeOn: '2025-01-20',
        reviewBy: '2025-03-01',
        copies: undefined,
        outcomes: undefined,
        changeType: 'minor-amendment',
      });
    });
    // Version 2 (made earlier by date) is the later version: its review-by date has passed.
    expect(march(r).reason).toBe('latest plan is past its review-by date');
  });

  it('holds a version superseded only after the census day as current then', () => {
    const r = record((rec) => {
      plan(rec).status = 'superseded';
      rec.plans!.push({
        ...structuredClone(plan(rec)),
        id: 'plan-v2',
        version: 2,
        status: 'active',
        madeOn: '2025-06-01',
        reviewBy: '2026-05-31',
        copies: undefined,
        outcomes: undefined,
        changeType: 'minor-amendment',
      });
    });
    expect(march(r).verdict).toBe('met');
  });

  it('leaves out people discharged on or before the census day (the duties cease on discharge, 7.7), keeps those discharged after it', () => {
    const discharged = (date: string) => record((r) => (r.episodes![0] = { ...r.episodes![0]!, status: 'finished', discharge: { date, kind: 'full' } }));
    expect(evaluate(ctpValid, discharged('2025-03-30'), ['2025-03'], '2025-12-31')).toEqual([]);
    expect(evaluate(ctpValid, discharged('2025-03-31'), ['2025-03'], '2025-12-31')).toEqual([]);
    expect(march(discharged('2025-04-01')).verdict).toBe('met');
    const partial = record((r) => (r.episodes![0]!.discharge = { date: '2025-03-01', kind: 'partial' }));
    expect(march(partial).verdict).toBe('met');
  });

  it('puts people with no residence or date of birth in explicit unknown strata', () => {
    const { item } = march(
      record((r) => {
        delete r.patient!.localAuthorityOfResidence;
        r.patient!.dateOfBirth = { notRecorded: 'unknown' };
      }),
    );
    expect(item.organisations['health-board'].code).toBe('unknown');
    expect(item.organisations['local-authority'].code).toBe('unknown');
    expect(item.stratum).toBe('unknown');
  });

  it('groups Bridgend under Abertawe Bro Morgannwg before April 2019 and Cwm Taf Morgannwg from then', () => {
    const r = record((rec) => {
      rec.patient!.localAuthorityOfResidence = 'W06000013';
      rec.episodes![0]!.acceptedOn = '2018-01-08';
      rec.coordinatorAppointments![0]!.start = '2018-01-10';
      rec.careTeam![0]!.start = '2018-01-10';
      plan(rec).madeOn = '2019-01-15';
      plan(rec).reviewBy = '2020-01-14';
    });
    const items = evaluate(ctpValid, r, ['2019-03', '2019-04'], '2019-12-31');
    expect(items.map((i) => [i.month, i.organisations['health-board'].code, i.organisations['health-board'].name])).toEqual([
      ['2019-03', '7A3', 'Abertawe Bro Morgannwg University Health Board'],
      ['2019-04', '7A5', 'Cwm Taf Morgannwg University Health Board'],
    ]);
  });

  it('splits age groups on the 18th birthday', () => {
    const aged = (dob: string) => march(record((r) => (r.patient!.dateOfBirth = dob))).item.stratum;
    expect(aged('2007-03-31')).toBe('18-and-over');
    expect(aged('2007-04-01')).toBe('under-18');
  });
});
