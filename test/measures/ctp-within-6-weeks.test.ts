import { describe, expect, it } from 'vitest';
import { ctpWithin6Weeks } from '../../src/measures/definitions/ctp-within-6-weeks.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { minimalRecord } from '../helpers/minimal-record.js';
import { evaluate, only } from './helpers.js';

/** Coordinator appointed 2025-01-10: six weeks later is 2025-02-21, so the episode belongs to February 2025. */
function withPlanMadeOn(madeOn: string | undefined): CtpRecord {
  const r = minimalRecord();
  const plan = r.plans![0]!;
  if (madeOn === undefined) delete plan.madeOn;
  else plan.madeOn = madeOn;
  delete plan.signatures;
  return r;
}
const february = (r: CtpRecord, asOf = '2025-06-30') => only(evaluate(ctpWithin6Weeks, r, ['2025-02'], asOf));

describe('ctp-within-6-weeks', () => {
  it('counts a first plan made within 6 weeks of the coordinator appointment in the numerator', () => {
    const { verdict, item } = february(withPlanMadeOn('2025-02-01'));
    expect(verdict).toBe('met');
    expect(item.on).toBe('2025-02-21');
  });

  it('is met on the 42nd day and not on the 43rd', () => {
    expect(february(withPlanMadeOn('2025-02-21')).verdict).toBe('met');
    expect(february(withPlanMadeOn('2025-02-22'))).toMatchObject({ verdict: 'not met', reason: 'late' });
  });

  it('counts an episode with no plan after the deadline as a failure, and a draft is no plan', () => {
    expect(february(withPlanMadeOn(undefined)).verdict).toBe('not met');
    const draft = withPlanMadeOn('2025-02-01');
    draft.plans![0]!.status = 'draft';
    expect(february(draft).verdict).toBe('not met');
  });

  it('excludes an episode whose deadline has not passed on the as-of day', () => {
    expect(february(withPlanMadeOn(undefined), '2025-02-21')).toMatchObject({ verdict: 'excluded', reason: 'not yet due' });
  });

  it('has no item for an episode without a coordinator appointment', () => {
    const r = withPlanMadeOn('2025-02-01');
    delete r.coordinatorAppointments![0]!.start;
    expect(evaluate(ctpWithin6Weeks, r, ['2025-02'], '2025-06-30')).toEqual([]);
  });

  it('puts a person with no date of birth in the unknown age group', () => {
    const r = withPlanMadeOn('2025-02-01');
    delete r.patient!.dateOfBirth;
    expect(february(r).item.stratum).toBe('unknown');
  });
});
