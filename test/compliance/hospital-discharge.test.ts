import { describe, expect, it } from 'vitest';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { compliantRecord, findingsOf, resultsOf, variant } from './helpers.js';

type Stay = NonNullable<NonNullable<CtpRecord['episodes']>[number]['inpatientStays']>[number];
const stay = (extra: Partial<Stay>, base?: CtpRecord) =>
  variant((r) => (r.episodes![0]!.inpatientStays = [{ id: 'stay', admittedOn: '2025-03-01', dischargedOn: '2025-03-20', ...extra }]), base);

describe('after a hospital stay (CoP-P2-62, CoP-P2-63, CoP-P2-64)', () => {
  it('contact within a week: day 7 passes, day 8 fails, from the recorded follow-up or an encounter', () => {
    const key = 'CoP-P2-63/contact-within-a-week';
    expect(resultsOf(stay({ followUpContactOn: '2025-03-27' }), key)).toEqual(['pass']);
    expect(findingsOf(stay({ followUpContactOn: '2025-03-28' }), key)[0]).toMatchObject({ result: 'fail', due: '2025-03-27', location: 'episodes[0].inpatientStays[0]' });
    const encounter = variant((r) => r.encounters!.push({ id: 'fu', status: 'finished', start: '2025-03-24T10:00:00Z', mode: 'telephone' }), stay({}));
    expect(resultsOf(encounter, key)).toEqual(['pass']);
    expect(resultsOf(stay({}), key, '2025-03-27')).toEqual(['not-applicable']);
    expect(resultsOf(stay({}), key, '2025-03-28')).toEqual(['fail']);
  });
  it('does not apply when the person also left services, or was transferred to another hospital', () => {
    const key = 'CoP-P2-63/contact-within-a-week';
    const left = variant((r) => {
      r.episodes![0]!.discharge = { date: '2025-03-20', kind: 'full' };
      r.episodes![0]!.status = 'finished';
    }, stay({}));
    expect(resultsOf(left, key)).toEqual(['not-applicable']);
    expect(resultsOf(stay({ dischargeType: 'transfer' }), key)).toEqual(['not-applicable']);
  });
  it('after self-discharge against advice, contact within 2 days', () => {
    const key = 'CoP-P2-64/contact-after-self-discharge';
    expect(resultsOf(stay({ dischargeType: 'self-discharge-against-advice', followUpContactOn: '2025-03-22' }), key)).toEqual(['pass']);
    expect(resultsOf(stay({ dischargeType: 'self-discharge-against-advice', followUpContactOn: '2025-03-23' }), key)).toEqual(['fail']);
    expect(resultsOf(stay({ followUpContactOn: '2025-03-23' }), key)).toEqual(['not-applicable']);
  });
  it('the plan is reviewed during the stay', () => {
    const key = 'CoP-P2-62/review-before-hospital-discharge';
    expect(resultsOf(stay({}), key)).toEqual(['fail']);
    const reviewed = variant((r) => (r.reviews = [{ id: 'rv', plan: 'plan', trigger: 'discharge-planning', heldOn: '2025-03-18', summary: 'S' }]), stay({}));
    expect(resultsOf(reviewed, key)).toEqual(['pass']);
  });
});

const discharged = (extra: Partial<NonNullable<NonNullable<CtpRecord['episodes']>[number]['discharge']>>, dateOfBirth = '1985-03-10') =>
  variant((r) => {
    r.patient!.dateOfBirth = dateOfBirth;
    r.episodes![0]!.status = 'finished';
    r.episodes![0]!.discharge = {
      date: '2025-05-01',
      kind: 'full',
      reason: 'Outcomes achieved',
      furtherSupport: 'Ask the GP to refer back',
      writtenInformationGivenOn: '2025-05-01',
      part3Explained: true,
      copiedToGp: true,
      ...extra,
    };
    Object.assign(r.coordinatorAppointments![0]!, { end: '2025-05-01', endReason: 'discharge' });
    r.reviews = [{ id: 'rv', plan: 'plan', trigger: 'discharge-planning', heldOn: '2025-04-20', summary: 'S' }];
  });

describe('discharge from services (Code chapter 7)', () => {
  it('CoP-P2-80 written information with the reason and where to get support', () => {
    const key = 'CoP-P2-80/written-discharge-information';
    expect(resultsOf(discharged({}), key)).toEqual(['pass']);
    expect(findingsOf(discharged({ furtherSupport: undefined }), key)[0]).toMatchObject({
      result: 'fail',
      severity: 'error',
      location: 'episodes[0].discharge.furtherSupport',
    });
    expect(resultsOf(discharged({ reason: { notRecorded: 'unknown' } }), key)).toEqual(['fail']);
  });
  it('CoP-P2-80 does not apply to a partial discharge', () => {
    expect(resultsOf(discharged({ kind: 'partial', furtherSupport: undefined }), 'CoP-P2-80/written-discharge-information')).toEqual(['not-applicable']);
  });
  it('CoP-P2-76 a "full" discharge while another service continues is wrong', () => {
    const r = variant((x) => x.episodes!.push({ id: 'ep2', status: 'active', acceptedOn: '2025-04-01', responsibleBodies: ['la'] }), discharged({}));
    expect(resultsOf(r, 'CoP-P2-76/full-discharge-only-when-all-services-end')).toEqual(['fail']);
    expect(resultsOf(discharged({}), 'CoP-P2-76/full-discharge-only-when-all-services-end')).toEqual(['pass']);
  });
  it('CoP-P2-81 adults are told of Part 3 in writing', () => {
    const key = 'CoP-P2-81/part3-right-adult';
    expect(resultsOf(discharged({}), key)).toEqual(['pass']);
    expect(resultsOf(discharged({ part3Explained: false }), key)).toEqual(['fail']);
    expect(resultsOf(discharged({ part3Explained: undefined }), key)).toEqual(['cannot-evaluate']);
    expect(resultsOf(discharged({}, '2009-01-01'), key)).toEqual(['not-applicable']);
  });
  it('CoP-P2-82 a child discharged on their 15th birthday is covered, a day earlier is not (E-18)', () => {
    const key = 'CoP-P2-82/part3-right-child';
    expect(resultsOf(discharged({ part3Explained: false }, '2010-05-01'), key)).toEqual(['fail']);
    expect(resultsOf(discharged({ part3Explained: false }, '2010-05-02'), key)).toEqual(['not-applicable']);
    expect(resultsOf(discharged({ part3Explained: true }, '2010-05-01'), key)).toEqual(['pass']);
  });
  it('CoP-P2-77 and CoP-P2-78 discharge follows a review and ends the coordinator’s appointment', () => {
    expect(resultsOf(discharged({}), 'CoP-P2-77/discharge-at-review')).toEqual(['pass']);
    expect(
      resultsOf(
        variant((r) => delete r.reviews, discharged({})),
        'CoP-P2-77/discharge-at-review',
      ),
    ).toEqual(['fail']);
    expect(resultsOf(discharged({}), 'CoP-P2-78/coordinator-ends-at-discharge')).toEqual(['pass']);
    const open = variant((r) => delete r.coordinatorAppointments![0]!.end, discharged({}));
    expect(resultsOf(open, 'CoP-P2-78/coordinator-ends-at-discharge')).toEqual(['fail']);
  });
  it('CoP-P2-83 the GP copy depends on consent, which the record does not hold', () => {
    expect(resultsOf(discharged({}), 'CoP-P2-83/discharge-information-to-gp')).toEqual(['pass']);
    expect(findingsOf(discharged({ copiedToGp: false }), 'CoP-P2-83/discharge-information-to-gp')[0]).toMatchObject({ result: 'cannot-evaluate', severity: 'information' });
  });
  it('stops Part 2 duties: no coordinator or plan findings after full discharge (CoP-P2-78)', () => {
    const r = discharged({});
    expect(resultsOf(r, 'CoP-P2-11/coordinator-in-place', '2026-06-01')).toEqual(['not-applicable']);
    expect(resultsOf(r, 'CoP-P2-04/plan-in-place', '2026-06-01')).toEqual(['not-applicable']);
    expect(resultsOf(r, 'CoP-P2-67/reviewed-every-12-months', '2026-06-01')).toEqual(['pass']);
  });
});

describe('the compliant record has no stays or discharges', () => {
  it('so those rules are not applicable', () => {
    expect(resultsOf(compliantRecord(), 'CoP-P2-80/written-discharge-information')).toEqual(['not-applicable']);
  });
});
