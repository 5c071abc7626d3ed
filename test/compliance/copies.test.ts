import { describe, expect, it } from 'vitest';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { compliantRecord, findingsOf, resultsOf, variant } from './helpers.js';

type Copy = NonNullable<NonNullable<CtpRecord['plans']>[number]['copies']>[number];
const copy = (index: number, change: Partial<Copy>) => variant((r) => Object.assign(r.plans![0]!.copies![index]!, change));
const withoutCopy = (index: number, base?: CtpRecord) => variant((r) => r.plans![0]!.copies!.splice(index, 1), base);

describe('CoP-P2-50 everyone identified gets a copy', () => {
  const key = 'CoP-P2-50/copies-to-recipients';
  it('passes when the person, carer, GP and the other provider have copies (the appointing body holds the plan)', () => {
    expect(resultsOf(compliantRecord(), key)).toEqual(['pass', 'pass', 'pass', 'pass']);
  });
  it('fails as an error for a missing GP copy once 2 weeks from completion have passed', () => {
    const r = withoutCopy(2);
    expect(resultsOf(r, key, '2025-02-15')).toContain('not-applicable');
    expect(findingsOf(r, key).find((f) => f.result === 'fail')).toMatchObject({
      severity: 'error',
      subject: 'organisations[2]',
      message: 'No copy of plan version 1 (plans[0]) has been provided to the GP (organisations[2]).',
    });
  });
  it('accepts a carer who does not want copies, whether recorded on the copy or on the person', () => {
    expect(resultsOf(copy(1, { status: 'declined', date: undefined, method: undefined }), key)).toEqual(['pass', 'pass', 'pass', 'pass']);
    const declined = variant((r) => (r.relatedPeople![0]!.wishesToReceiveCopies = false), withoutCopy(1));
    expect(resultsOf(declined, key)).toEqual(['pass', 'pass', 'pass', 'pass']);
  });
  it('allows "serious harm" only for the person’s own copy', () => {
    expect(resultsOf(copy(0, { status: 'withheld-serious-harm', method: undefined }), key)[0]).toBe('pass');
    expect(resultsOf(copy(2, { status: 'withheld-serious-harm', method: undefined }), key)[2]).toBe('fail');
  });
  it('does not let a GP "decline", and needs a reason to withhold from anyone', () => {
    expect(resultsOf(copy(2, { status: 'declined' }), key)[2]).toBe('fail');
    expect(resultsOf(copy(2, { status: 'withheld-other' }), key)[2]).toBe('fail');
    expect(resultsOf(copy(2, { status: 'withheld-other', reason: 'Reason' }), key)[2]).toBe('pass');
  });
  it('adds people with parental responsibility, a responsible clinician and an IMCA when the record names them', () => {
    const r = variant((x) => {
      x.relatedPeople!.push({ id: 'imca', name: { text: 'Advocate' }, roles: ['imca'] });
      x.careTeam!.push({ id: 'rc', role: 'responsible-clinician', member: { kind: 'practitioner', id: 'cc2' } });
    });
    expect(
      findingsOf(r, key)
        .filter((f) => f.result === 'fail')
        .map((f) => f.message),
    ).toEqual([
      'No copy of plan version 1 (plans[0]) has been provided to the independent mental capacity advocate (relatedPeople[1]).',
      'No copy of plan version 1 (plans[0]) has been provided to the responsible clinician (practitioners[1]).',
    ]);
  });
  it('counts someone holding two roles once, naming both roles', () => {
    const r = variant((x) => (x.relatedPeople![0]!.roles = ['parental-responsibility', 'carer']), withoutCopy(1));
    const fails = findingsOf(r, key).filter((f) => f.result === 'fail');
    expect(fails.map((f) => f.message)).toEqual([
      'No copy of plan version 1 (plans[0]) has been provided to the person with parental responsibility and carer (relatedPeople[0]).',
    ]);
  });
  it('tells two people with parental responsibility apart by their place in the record', () => {
    const r = variant((x) => {
      x.relatedPeople!.push({ id: 'mother', name: { text: 'Parent One' }, roles: ['parental-responsibility'] });
      x.relatedPeople!.push({ id: 'father', name: { text: 'Parent Two' }, roles: ['parental-responsibility'] });
    });
    const fails = findingsOf(r, key).filter((f) => f.result === 'fail');
    expect(fails.map((f) => [f.location, f.subject])).toEqual([
      ['plans[0].copies', 'relatedPeople[1]'],
      ['plans[0].copies', 'relatedPeople[2]'],
    ]);
    expect(new Set(fails.map((f) => f.message)).size).toBe(2);
    for (const f of fails) expect(f.message).not.toMatch(/Parent (One|Two)/);
  });
  it('needs no new copies for a minor amendment (Code 6.8)', () => {
    const r = variant((x) =>
      x.plans!.push({ ...structuredClone(x.plans![0]!), id: 'plan-v2', version: 2, changeType: 'minor-amendment', madeOn: '2025-03-01', copies: undefined }),
    );
    expect(resultsOf(r, key)).toHaveLength(4);
  });
});

describe('CoP-P2-56 how a copy counts as provided', () => {
  const key = 'CoP-P2-56/copy-method';
  it('passes for hand, post and the last known address', () => expect(resultsOf(compliantRecord(), key)).toEqual(['pass', 'pass', 'pass', 'pass']));
  it('cannot be evaluated for "other agreed means" (the agreement is not held) or an unrecorded method', () => {
    expect(resultsOf(copy(2, { method: 'other-agreed' }), key)[2]).toBe('cannot-evaluate');
    expect(findingsOf(copy(2, { method: undefined }), key)[2]).toMatchObject({ result: 'cannot-evaluate', missing: ['plans[0].copies[2].method'] });
  });
  it('records a copy sent by email, a portal or other means, and fails it: only means agreed with the recipient count (4.97)', () => {
    for (const method of ['email', 'portal', 'other'] as const) {
      expect(findingsOf(copy(2, { method }), key)[2]).toMatchObject({ result: 'fail', severity: 'error', location: 'plans[0].copies[2].method' });
    }
    expect(findingsOf(copy(2, { method: 'email' }), key)[2]!.message).toBe(
      'The copy of plan version 1 (plans[0]) to the GP (organisations[2]) was sent by email, which does not count as provided.',
    );
    expect(resultsOf(copy(2, { method: 'other-agreed', agreedMeans: 'Secure email to the practice' }), key)[2]).toBe('pass');
  });
});

describe('CoP-P2-47 and CoP-P2-48 copies within 2 weeks', () => {
  it('first plan: day 14 after completion passes, day 15 fails', () => {
    const key = 'CoP-P2-47/copies-within-2-weeks';
    expect(resultsOf(copy(2, { date: '2025-02-15' }), key)[2]).toBe('pass');
    expect(findingsOf(copy(2, { date: '2025-02-16' }), key)[2]).toMatchObject({ result: 'fail', location: 'plans[0].copies[2].date', due: '2025-02-15' });
    expect(resultsOf(copy(2, { date: undefined }), key)[2]).toBe('cannot-evaluate');
  });
  it('fails a copy due but never sent once 2 weeks have passed; an optional copy (4.93, 4.95) or a declined one is not judged', () => {
    const key = 'CoP-P2-47/copies-within-2-weeks';
    const unsent = copy(2, { status: 'not-sent', date: undefined });
    expect(findingsOf(unsent, key)[2]).toMatchObject({ result: 'fail', location: 'plans[0].copies[2]', due: '2025-02-15' });
    expect(resultsOf(copy(2, { status: 'not-sent', date: undefined, recipientRole: 'patient-requested' }), key)).toEqual(['pass', 'pass', 'pass']);
    expect(resultsOf(copy(1, { status: 'declined', date: undefined }), key)).toEqual(['pass', 'pass', 'pass']);
  });
  it('is set aside when the person was discharged before the copies were due (7.7)', () => {
    const r = variant((x) => {
      x.plans![0]!.copies![2] = { ...x.plans![0]!.copies![2]!, status: 'not-sent' };
      delete x.plans![0]!.copies![2]!.date;
      x.episodes![0]!.status = 'finished';
      x.episodes![0]!.discharge = { date: '2025-02-10', kind: 'full' };
    });
    expect(resultsOf(r, 'CoP-P2-47/copies-within-2-weeks')[2]).toBe('not-applicable');
  });
  it('revised plan: counted from the review, not from completion', () => {
    const revised = (copyDate: string) =>
      variant((r) => {
        r.reviews = [{ id: 'rv', plan: 'plan', planVersion: 1, trigger: 'scheduled', heldOn: '2025-05-01', summary: 'Review' }];
        const v2 = structuredClone(r.plans![0]!);
        r.plans![0]!.status = 'superseded';
        Object.assign(v2, { id: 'plan-v2', version: 2, changeType: 'review-revision', review: 'rv', madeOn: '2025-05-10', completedOn: '2025-05-10', reviewBy: '2026-05-01' });
        v2.signatures = { careCoordinator: { practitioner: 'cc', signedOn: '2025-05-10' } };
        for (const c of v2.copies!) c.date = copyDate;
        r.plans!.push(v2);
      });
    const key = 'CoP-P2-48/copies-within-2-weeks-of-review';
    expect(resultsOf(revised('2025-05-15'), key)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(resultsOf(revised('2025-05-16'), key)).toEqual(['fail', 'fail', 'fail', 'fail']);
    expect(resultsOf(revised('2025-05-16'), 'CoP-P2-47/copies-within-2-weeks')).toEqual(['pass', 'pass', 'pass', 'pass']);
  });
});

describe('parents and carers (CoP-P2-43, CoP-P2-52)', () => {
  it('withholding part of the plan from a carer needs a recorded reason', () => {
    const key = 'CoP-P2-43/withholding-reason';
    expect(resultsOf(copy(1, { status: 'partial' }), key)).toEqual(['fail']);
    expect(resultsOf(copy(1, { status: 'partial', reason: 'Reason' }), key)).toEqual(['pass']);
  });
  it('a child’s plan goes to everyone with parental responsibility unless withholding is recorded', () => {
    const key = 'CoP-P2-52/child-plan-to-parents';
    const child = variant((r) => {
      r.patient!.dateOfBirth = '2010-05-01';
      r.relatedPeople!.push({ id: 'parent', name: { text: 'Parent' }, roles: ['parental-responsibility'] });
    });
    expect(resultsOf(child, key)).toEqual(['fail']);
    const sent = variant(
      (r) =>
        r.plans![0]!.copies!.push({
          id: 'c5',
          recipientRole: 'parental-responsibility',
          recipient: { kind: 'related-person', id: 'parent' },
          status: 'sent',
          date: '2025-02-05',
          method: 'hand',
        }),
      child,
    );
    expect(resultsOf(sent, key)).toEqual(['pass']);
    expect(resultsOf(compliantRecord(), key)).toEqual(['not-applicable']);
  });
});
