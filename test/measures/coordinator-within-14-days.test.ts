import { describe, expect, it } from 'vitest';
import { coordinatorWithin14Days } from '../../src/measures/definitions/coordinator-within-14-days.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { minimalRecord } from '../helpers/minimal-record.js';
import { evaluate, only } from './helpers.js';

/** Accepted 2025-01-06: the 14th day is 2025-01-20, so the episode belongs to January 2025. */
function withAppointment(start: string | undefined): CtpRecord {
  const r = minimalRecord();
  if (start === undefined) delete r.coordinatorAppointments![0]!.start;
  else r.coordinatorAppointments![0]!.start = start;
  return r;
}
const january = (r: CtpRecord, asOf = '2025-06-30') => only(evaluate(coordinatorWithin14Days, r, ['2025-01'], asOf));

describe('coordinator-within-14-days', () => {
  it('counts an appointment within 14 days in the numerator, in the month of the deadline', () => {
    const { verdict, item } = january(withAppointment('2025-01-10'));
    expect(verdict).toBe('met');
    expect(item.on).toBe('2025-01-20');
    expect(evaluate(coordinatorWithin14Days, withAppointment('2025-01-10'), ['2025-02'], '2025-06-30')).toEqual([]);
  });

  it('is met on the 14th day and not on the 15th', () => {
    expect(january(withAppointment('2025-01-20')).verdict).toBe('met');
    const late = january(withAppointment('2025-01-21'));
    expect(late.verdict).toBe('not met');
    expect(late.reason).toBe('late');
  });

  it('counts an episode with no coordinator after the deadline as a failure', () => {
    expect(january(withAppointment(undefined))).toMatchObject({ verdict: 'not met', reason: 'not done by the deadline' });
  });

  it('excludes an episode not yet due on the as-of day, and a discharge before the deadline', () => {
    expect(january(withAppointment(undefined), '2025-01-20')).toMatchObject({ verdict: 'excluded', reason: 'not yet due' });
    expect(january(withAppointment(undefined), '2025-01-21').verdict).toBe('not met');
    const discharged = withAppointment(undefined);
    discharged.episodes![0] = { ...discharged.episodes![0]!, status: 'finished', discharge: { date: '2025-01-15', kind: 'full' } };
    expect(january(discharged)).toMatchObject({ verdict: 'excluded', reason: 'discharged before the deadline' });
  });

  it('does not count an appointment dated after the as-of day', () => {
    expect(january(withAppointment('2025-01-12'), '2025-01-11').verdict).toBe('excluded');
  });

  it('puts a person with no residence recorded under the unknown health board', () => {
    expect(january(withAppointment('2025-01-10')).item.organisations['health-board'].code).toBe('unknown');
  });
});
