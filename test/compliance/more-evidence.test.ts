import { describe, expect, it } from 'vitest';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { compliantRecord, findingsOf, resultsOf, variant } from './helpers.js';

describe('consultation (CoP-P2-41, CoP-P2-42)', () => {
  const key = 'CoP-P2-41/consultees-consulted';
  it('passes when the carer was consulted; fails when an identified consultee was not, as an error', () => {
    expect(resultsOf(compliantRecord(), key)).toEqual(['pass']);
    const rc = variant((r) => r.careTeam!.push({ id: 'rc', role: 'responsible-clinician', member: { kind: 'practitioner', id: 'cc2' } }));
    expect(findingsOf(rc, key).map((f) => [f.result, f.severity])).toEqual([
      ['pass', 'information'],
      ['fail', 'error'],
    ]);
  });
  it('accepts "not practicable" only with a reason', () => {
    const notPracticable = (reason?: string) => variant((r) => Object.assign(r.plans![0]!.consultations![0]!, { outcome: 'not-practicable', ...(reason ? { reason } : {}) }));
    expect(resultsOf(notPracticable('Carer abroad'), key)).toEqual(['pass']);
    expect(findingsOf(notPracticable(), key)[0]).toMatchObject({ result: 'fail', location: 'plans[0].consultations[0].reason' });
  });
  it('cannot be evaluated when the source carries no consultation records for the plan', () => {
    expect(
      findingsOf(
        variant((r) => delete r.plans![0]!.consultations),
        key,
      )[0],
    ).toMatchObject({ result: 'cannot-evaluate', missing: ['plans[0].consultations'] });
  });
  it('the person’s view comes first, and consulting despite an objection is justified', () => {
    expect(
      resultsOf(
        variant((r) => delete r.plans![0]!.consultations![0]!.patientView),
        'CoP-P2-42/views-taken-before-consulting',
      ),
    ).toEqual(['fail']);
    const objected = (dueConsideration?: string) =>
      variant((r) => Object.assign(r.plans![0]!.consultations![0]!, { patientView: 'objects', ...(dueConsideration ? { dueConsideration } : {}) }));
    expect(resultsOf(objected(), 'CoP-P2-42/consulted-despite-objection')).toEqual(['fail']);
    expect(resultsOf(objected('Risk to the children'), 'CoP-P2-42/consulted-despite-objection')).toEqual(['pass']);
  });
});

describe('sharing the plan (CoP-P2-44, CoP-P2-53, CoP-P2-55)', () => {
  it('CoP-P2-44 the person’s agreement to sharing is recorded', () => {
    expect(
      resultsOf(
        variant((r) => delete r.patient!.informationSharing),
        'CoP-P2-44/information-sharing-agreed',
      ),
    ).toEqual(['fail']);
  });
  it('CoP-P2-53 the person’s view on each copy to others; none recorded at all cannot be evaluated', () => {
    const key = 'CoP-P2-53/views-taken-before-sharing';
    expect(resultsOf(compliantRecord(), key)).toEqual(['pass', 'pass', 'pass']);
    expect(
      resultsOf(
        variant((r) => delete r.plans![0]!.copies![2]!.patientView),
        key,
      ),
    ).toEqual(['pass', 'fail', 'pass']);
    const none = variant((r) => r.plans![0]!.copies!.forEach((c) => delete c.patientView));
    expect(resultsOf(none, key)).toEqual(['cannot-evaluate']);
    const objected = variant((r) => (r.plans![0]!.copies![2]!.patientView = 'objects'));
    expect(resultsOf(objected, 'CoP-P2-53/shared-despite-objection')).toEqual(['fail']);
  });
  it('CoP-P2-55 a copy given the same day needs no interim explanation; a later one does', () => {
    const key = 'CoP-P2-55/explanation-pending-copy';
    expect(resultsOf(compliantRecord(), key)).toEqual(['pass']);
    expect(
      resultsOf(
        variant((r) => delete r.plans![0]!.copies![0]!.explanationGivenOn),
        key,
      ),
    ).toEqual(['fail']);
    expect(
      resultsOf(
        variant((r) => Object.assign(r.plans![0]!.copies![0]!, { date: '2025-02-01', explanationGivenOn: undefined })),
        key,
      ),
    ).toEqual(['not-applicable']);
  });
});

describe('coordinators (CoP-P2-15, CoP-P2-16, CoP-P2-18)', () => {
  it('an appointment by the council under the health board’s delegation is accepted', () => {
    const delegated = (by?: string) => variant((r) => Object.assign(r.coordinatorAppointments![0]!, { appointingBody: 'la', ...(by ? { delegatedBy: by } : {}) }));
    expect(resultsOf(delegated('lhb'), 'CoP-P2-15/appointing-body')).toEqual(['pass']);
    expect(resultsOf(delegated('lhb'), 'CoP-P2-16/delegation-to-health-board-or-council')).toEqual(['pass']);
    expect(resultsOf(delegated(), 'CoP-P2-15/appointing-body')).toEqual(['fail']);
  });
  it('delegation to anyone but a health board or council fails as an error', () => {
    const r = variant((x) => {
      x.organisations!.push({ id: 'vol', kind: 'voluntary', name: 'Voluntary' });
      Object.assign(x.coordinatorAppointments![0]!, { appointingBody: 'vol', delegatedBy: 'lhb' });
    });
    expect(findingsOf(r, 'CoP-P2-16/delegation-to-health-board-or-council')[0]).toMatchObject({ result: 'fail', severity: 'error' });
  });
  it('CoP-P2-18 a change of coordinator records its reason and the discussion with the person', () => {
    const key = 'CoP-P2-18/change-explained';
    const changed = (extra: object) =>
      variant((r) => {
        Object.assign(r.coordinatorAppointments![0]!, { end: '2025-03-01', endReason: 'replaced' });
        r.coordinatorAppointments!.push({
          id: 'appt2',
          practitioner: 'cc2',
          profession: 'occupational-therapist',
          appointingBody: 'lhb',
          episode: 'ep',
          start: '2025-03-02',
          ...extra,
        });
      });
    expect(resultsOf(changed({ changeReason: 'Retired', changeDiscussedOn: '2025-02-20' }), key)).toEqual(['pass']);
    expect(resultsOf(changed({ changeReason: 'Retired' }), key)).toEqual(['fail']);
    expect(resultsOf(changed({}), key)).toEqual(['fail']);
    expect(resultsOf(compliantRecord(), key)).toEqual(['not-applicable']);
  });
});

describe('transfers and reviews (CoP-P2-60, CoP-P2-61, CoP-P2-73)', () => {
  const transferred = (extra: object = {}) =>
    variant((r) => (r.episodes![0]!.transfers = [{ date: '2025-03-01', from: 'lhb', to: 'la', patientInvolved: true, implicationsExplained: true, ...extra }]));
  it('a review within 6 weeks of a transfer: day 42 passes, day 43 fails', () => {
    const key = 'CoP-P2-60/review-after-transfer';
    const reviewed = (heldOn: string) => variant((r) => (r.reviews = [{ id: 'rv', plan: 'plan', trigger: 'transfer', heldOn, summary: 'S' }]), transferred());
    expect(resultsOf(reviewed('2025-04-12'), key)).toEqual(['pass']);
    expect(resultsOf(reviewed('2025-04-13'), key)).toEqual(['fail']);
    expect(resultsOf(transferred(), key, '2025-04-12')).toEqual(['not-applicable']);
  });
  it('the person is involved and the implications explained', () => {
    expect(resultsOf(transferred(), 'CoP-P2-61/transfer-explained')).toEqual(['pass']);
    expect(resultsOf(transferred({ implicationsExplained: false }), 'CoP-P2-61/transfer-explained')).toEqual(['fail']);
  });
  it('a held review judges every outcome and decides on continuing in services', () => {
    const key = 'CoP-P2-73/outcomes-judged-at-review';
    const review = (extra: object) =>
      variant((r) => (r.reviews = [{ id: 'rv', plan: 'plan', planVersion: 1, trigger: 'scheduled', heldOn: '2025-05-01', summary: 'S', ...extra }]));
    expect(resultsOf(review({ outcomeAchievements: [{ outcome: 'o1', achievement: 'improving' }], continuedServices: 'continue' }), key)).toEqual(['pass']);
    expect(resultsOf(review({ continuedServices: 'continue' }), key)).toEqual(['fail']);
    expect(findingsOf(review({ outcomeAchievements: [{ outcome: 'o1', achievement: 'achieved' }] }), key)[0]).toMatchObject({
      result: 'fail',
      location: 'reviews[0].continuedServices',
    });
  });
});

describe('after a Part 3 assessment (CoP-P3-11, CoP-P3-16, CoP-P3-17)', () => {
  type Request = NonNullable<CtpRecord['part3Requests']>[number];
  const assessed = (extra: Partial<Request>, determinations?: NonNullable<Request['assessment']>['determinations']) =>
    variant((r) => {
      r.part3Requests = [
        {
          id: 'p3',
          receivedAt: '2025-03-03T10:00:00Z',
          requester: 'self',
          priority: 'routine',
          status: 'completed',
          assessment: { startedOn: '2025-03-10', concludedOn: '2025-03-12', assessor: 'cc', ...(determinations ? { determinations } : {}) },
          report: { providedOn: '2025-03-14', method: 'hand', servicesIdentified: true },
          ...extra,
        },
      ];
    });
  const all = { secondaryServices: ['Psychology'], communityCare: 'none', housing: ['Tenancy support'], wellBeing: 'none' } as const;
  it('CoP-P3-11 all four determinations, "none" included; none recorded at all cannot be evaluated', () => {
    const key = 'CoP-P3-11/four-determinations';
    expect(resultsOf(assessed({}, { ...all, secondaryServices: [...all.secondaryServices], housing: [...all.housing] }), key)).toEqual(['pass']);
    expect(findingsOf(assessed({}, { secondaryServices: 'none', communityCare: 'none', housing: 'none' }), key)[0]).toMatchObject({ result: 'fail', severity: 'error' });
    expect(resultsOf(assessed({}), key)).toEqual(['cannot-evaluate']);
  });
  it('CoP-P3-16 identified services need a provision decision, with reasons if not provided', () => {
    const key = 'CoP-P3-16/provision-considered';
    const d = { ...all, secondaryServices: ['Psychology'], housing: ['Tenancy support'] };
    expect(resultsOf(assessed({}, d), key)).toEqual(['fail']);
    expect(resultsOf(assessed({ provision: { decision: 'provide' } }, d), key)).toEqual(['pass']);
    expect(resultsOf(assessed({ provision: { decision: 'not-called-for' } }, d), key)).toEqual(['fail']);
    expect(resultsOf(assessed({ provision: { decision: 'not-called-for', reason: 'R' } }, d), key)).toEqual(['pass']);
    expect(resultsOf(assessed({}, { secondaryServices: 'none', communityCare: 'none', housing: 'none', wellBeing: 'none' }), key)).toEqual(['not-applicable']);
  });
  it('CoP-P3-17 identified housing services need a referral or an invitation to apply', () => {
    const key = 'CoP-P3-17/housing-wellbeing-referred';
    const d = { ...all, secondaryServices: ['Psychology'], housing: ['Tenancy support'] };
    expect(resultsOf(assessed({}, d), key)).toEqual(['fail']);
    expect(resultsOf(assessed({ referrals: [{ service: 'Tenancy support', kind: 'housing', referredOn: '2025-03-13' }] }, d), key)).toEqual(['pass']);
    expect(resultsOf(assessed({ referrals: [{ service: 'Tenancy support', kind: 'housing', invitedToApplyOn: '2025-03-13' }] }, d), key)).toEqual(['pass']);
    expect(resultsOf(assessed({ referrals: [{ service: 'Gym', kind: 'well-being', referredOn: '2025-03-13' }] }, d), key)).toEqual(['fail']);
  });
});
