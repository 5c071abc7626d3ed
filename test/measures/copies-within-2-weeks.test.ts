import { describe, expect, it } from 'vitest';
import { copiesWithin2Weeks } from '../../src/measures/definitions/copies-within-2-weeks.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { minimalRecord } from '../helpers/minimal-record.js';
import { evaluate, only } from './helpers.js';

type Copy = NonNullable<NonNullable<CtpRecord['plans']>[number]['copies']>[number];

/** First plan made 2025-02-01 (no completion date): copies due by 2025-02-15. */
function withCopies(...copies: Partial<Copy>[]): CtpRecord {
  const r = minimalRecord();
  r.plans![0]!.copies = copies.map((c, i) => ({ id: `c${i}`, recipientRole: 'patient', recipient: { kind: 'patient' }, status: 'sent', ...c }));
  return r;
}
const february = (r: CtpRecord, asOf = '2025-06-30') => only(evaluate(copiesWithin2Weeks, r, ['2025-02'], asOf));

describe('copies-within-2-weeks', () => {
  it('counts a first plan whose copies were all sent within 14 days in the numerator', () => {
    const { verdict, item } = february(withCopies({ date: '2025-02-03' }, { status: 'partial', date: '2025-02-10', recipientRole: 'gp' }));
    expect(verdict).toBe('met');
    expect(item.on).toBe('2025-02-15');
  });

  it('is met when the last copy goes on the 14th day, not the 15th', () => {
    expect(february(withCopies({ date: '2025-02-03' }, { date: '2025-02-15' })).verdict).toBe('met');
    expect(february(withCopies({ date: '2025-02-03' }, { date: '2025-02-16' }))).toMatchObject({ verdict: 'not met', reason: 'late' });
  });

  it('fails a plan with a copy never sent, and starts the clock at completion when recorded', () => {
    expect(february(withCopies({ date: '2025-02-03' }, { status: 'not-sent' })).verdict).toBe('not met');
    const completed = withCopies({ date: '2025-02-20' });
    completed.plans![0]!.completedOn = '2025-02-10';
    expect(february(completed).verdict).toBe('met');
  });

  it('makes a plan whose recipients all declined a denominator exception; a declined copy is not due', () => {
    expect(february(withCopies({ status: 'declined' }, { status: 'withheld-serious-harm' }))).toMatchObject({ verdict: 'excepted' });
    expect(february(withCopies({ status: 'declined' }, { date: '2025-02-05' })).verdict).toBe('met');
    expect(february(withCopies({})).reason).toBe('copy date not recorded');
  });

  it('does not count optional copies (4.93, 4.95) as due', () => {
    const optional = withCopies(
      { date: '2025-02-03' },
      { recipientRole: 'patient-requested', recipient: { kind: 'related-person', id: 'carer' }, status: 'not-sent' },
      { recipientRole: 'to-facilitate-outcomes', recipient: { kind: 'organisation', id: 'la' }, date: '2025-03-30' },
    );
    expect(february(optional).verdict).toBe('met');
    const onlyOptional = withCopies({ recipientRole: 'patient-requested', recipient: { kind: 'related-person', id: 'carer' }, status: 'not-sent' });
    expect(february(onlyOptional)).toMatchObject({ verdict: 'excepted' });
  });

  it('sets aside a person discharged on or before the deadline without the copies sent, like the other measures (7.7)', () => {
    const discharged = (date: string) => {
      const r = withCopies({ status: 'not-sent' });
      r.episodes![0] = { ...r.episodes![0]!, status: 'finished', discharge: { date, kind: 'full' } };
      return r;
    };
    expect(february(discharged('2025-02-10'))).toMatchObject({ verdict: 'excluded', reason: 'discharged before the deadline' });
    expect(february(discharged('2025-02-15'))).toMatchObject({ verdict: 'excluded' });
    expect(february(discharged('2025-02-16')).verdict).toBe('not met');
  });

  it('excludes copies not yet due on the as-of day', () => {
    expect(february(withCopies({ status: 'not-sent' }), '2025-02-15')).toMatchObject({ verdict: 'excluded', reason: 'not yet due' });
  });

  it('times a revised plan from the review that produced it, and leaves minor amendments out', () => {
    const r = withCopies({ date: '2025-02-03' });
    r.reviews![0] = { ...r.reviews![0]!, heldOn: '2025-09-01' };
    const v2: NonNullable<CtpRecord['plans']>[number] = {
      ...structuredClone(r.plans![0]!),
      id: 'plan-v2',
      version: 2,
      madeOn: '2025-09-20',
      changeType: 'review-revision',
      review: 'rv',
      outcomes: undefined,
    };
    v2.copies = [{ id: 'c-v2', recipientRole: 'patient', recipient: { kind: 'patient' }, status: 'sent', date: '2025-09-16' }];
    r.plans!.push(v2);
    const september = only(evaluate(copiesWithin2Weeks, r, ['2025-09'], '2025-12-31'));
    expect(september.item.on).toBe('2025-09-15');
    expect(september.verdict).toBe('not met');
    v2.changeType = 'minor-amendment';
    expect(evaluate(copiesWithin2Weeks, r, ['2025-09', '2025-10'], '2025-12-31')).toEqual([]);
  });

  it('puts a person with no residence under the unknown local authority', () => {
    expect(february(withCopies({ date: '2025-02-03' })).item.organisations['local-authority'].code).toBe('unknown');
  });
});
