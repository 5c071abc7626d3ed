import { describe, expect, it } from 'vitest';
import { findingIssues } from '../../src/compliance/outcome.js';
import { compliantRecord, engine, findingsOf, resultsOf, variant } from './helpers.js';

describe('CoP-GEN-01 departures from the Code’s guidance', () => {
  const late = variant((r) => (r.plans![0]!.madeOn = '2025-03-01')); // 50 days after appointment
  const key = 'CoP-P2-47/first-plan-within-6-weeks';
  const departed = (rule: string, about?: string) =>
    variant((r) => (r.departures = [{ id: 'd', rule, ...(about ? { about } : {}), reason: 'Reasons', recordedOn: '2025-03-01', recordedBy: 'cc' }]), late);

  it('turns the matching "should" failure into information, still reported with the departure’s location', () => {
    expect(findingsOf(late, key)[0]).toMatchObject({ result: 'fail', severity: 'warning' });
    const f = findingsOf(departed('CoP-P2-47/first-plan-within-6-weeks', 'plan-v1'), key)[0]!;
    expect(f).toMatchObject({ result: 'fail', severity: 'information', departure: 'departures[0]' });
    expect(f.message).toMatch(/A reasoned departure from the Code is recorded\.$/);
    const issue = findingIssues([f])[0]!;
    expect(issue.severity).toBe('information');
    expect(issue.extension![0]!.extension!.find((e) => e.url === 'departure')?.valueString).toBe('departures[0]');
  });

  it('applies to a whole rule, or only to the item it is about', () => {
    expect(findingsOf(departed('CoP-P2-47'), key)[0]!.severity).toBe('information');
    expect(findingsOf(departed('CoP-P2-47', 'some-other-plan-id'), key)[0]!.severity).toBe('warning');
    expect(findingsOf(departed('CoP-P2-47/copies-within-2-weeks'), key)[0]!.severity).toBe('warning');
  });

  it('never excuses a statutory duty, and is itself reported when it names one or no rule', () => {
    const unsigned = variant((r) => {
      delete r.plans![0]!.signatures;
      r.departures = [{ id: 'd', rule: 'CoP-P2-36', reason: 'Reasons', recordedOn: '2025-03-01' }];
    });
    expect(findingsOf(unsigned, 'CoP-P2-36/coordinator-signature')[0]!.severity).toBe('error');
    expect(findingsOf(unsigned, 'CoP-GEN-01/departures-from-guidance-only')[0]).toMatchObject({ result: 'fail', location: 'departures[0].rule' });
    expect(resultsOf(departed('CoP-P9-99'), 'CoP-GEN-01/departures-from-guidance-only')).toEqual(['fail']);
    expect(resultsOf(departed('CoP-P2-47'), 'CoP-GEN-01/departures-from-guidance-only')).toEqual(['pass']);
    expect(resultsOf(compliantRecord(), 'CoP-GEN-01/departures-from-guidance-only')).toEqual(['not-applicable']);
  });
});

describe('evidence the record can now carry', () => {
  it('CoP-P2-14 passes once the other employer’s consent is recorded', () => {
    const r = variant((x) => Object.assign(x.coordinatorAppointments![0]!, { employer: 'la', employerConsentOn: '2025-01-09' }));
    expect(resultsOf(r, 'CoP-P2-14/employer-consent')).toEqual(['pass']);
  });
  it('CoP-P2-17 a temporary coordinator is explained to the person', () => {
    const temp = (informed?: string) =>
      variant((x) =>
        x.coordinatorAppointments!.push({
          id: 't',
          practitioner: 'cc2',
          profession: 'occupational-therapist',
          appointingBody: 'lhb',
          start: '2025-03-01',
          end: '2025-03-10',
          temporary: true,
          covers: 'appt',
          ...(informed ? { patientInformedOn: informed } : {}),
        }),
      );
    expect(resultsOf(temp('2025-03-01'), 'CoP-P2-17/temporary-arrangement-explained')).toEqual(['pass']);
    expect(findingsOf(temp(), 'CoP-P2-17/temporary-arrangement-explained')[0]).toMatchObject({
      result: 'fail',
      severity: 'warning',
      location: 'coordinatorAppointments[1].patientInformedOn',
    });
  });
  it('CoP-P2-51 a partial copy records which parts it held', () => {
    const partial = (sections?: string[]) => variant((x) => Object.assign(x.plans![0]!.copies![1]!, { status: 'partial', reason: 'R', ...(sections ? { sections } : {}) }));
    expect(resultsOf(partial(['crisis plan']), 'CoP-P2-51/partial-copy-contents')).toEqual(['pass']);
    expect(resultsOf(partial(), 'CoP-P2-51/partial-copy-contents')).toEqual(['fail']);
  });
  it('CoP-P2-56 "other agreed means" passes once the means are recorded', () => {
    const other = (agreedMeans?: string) => variant((x) => Object.assign(x.plans![0]!.copies![2]!, { method: 'other-agreed', ...(agreedMeans ? { agreedMeans } : {}) }));
    expect(resultsOf(other('Secure email'), 'CoP-P2-56/copy-method')[2]).toBe('pass');
    expect(findingsOf(other(), 'CoP-P2-56/copy-method')[2]).toMatchObject({ result: 'cannot-evaluate', missing: ['plans[0].copies[2].agreedMeans'] });
  });
  it('CoP-P2-69 a refusal is explained to the person who asked', () => {
    const refused = (explanationSentOn?: string) =>
      variant(
        (x) =>
          (x.reviews = [
            {
              id: 'r',
              plan: 'plan',
              trigger: 'request',
              request: {
                receivedOn: '2025-03-03',
                requestedBy: 'carer',
                decision: 'refused-no-change',
                decisionReason: 'R',
                decidedOn: '2025-03-04',
                ...(explanationSentOn ? { explanationSentOn } : {}),
              },
            },
          ]),
      );
    expect(resultsOf(refused('2025-03-05'), 'CoP-P2-69/refusal-reasons')).toEqual(['pass']);
    expect(findingsOf(refused(), 'CoP-P2-69/refusal-reasons')[0]).toMatchObject({ result: 'fail', location: 'reviews[0].request.explanationSentOn' });
  });
  it('CoP-P2-71 the person is told beforehand; CoP-P4-01 an involved IMHA takes part', () => {
    const review = (extra: object) =>
      variant((x) => {
        x.relatedPeople!.push({ id: 'imha', name: { text: 'Advocate' }, roles: ['imha'] });
        x.plans![0]!.copies!.push({
          id: 'c9',
          recipientRole: 'patient-requested',
          recipient: { kind: 'related-person', id: 'imha' },
          status: 'sent',
          date: '2025-02-05',
          method: 'hand',
        });
        x.reviews = [{ id: 'rv', plan: 'plan', trigger: 'scheduled', heldOn: '2025-05-01', summary: 'S', ...extra }];
      });
    expect(resultsOf(review({ patientInformedOn: '2025-04-20' }), 'CoP-P2-71/person-told-before-review')).toEqual(['pass']);
    expect(resultsOf(review({ patientInformedOn: '2025-05-02' }), 'CoP-P2-71/person-told-before-review')).toEqual(['fail']);
    expect(resultsOf(review({}), 'CoP-P2-71/person-told-before-review')).toEqual(['fail']);
    expect(resultsOf(review({ participants: [{ kind: 'patient' }, { kind: 'related-person', id: 'imha' }] }), 'CoP-P4-01/imha-at-review')).toEqual(['pass']);
    expect(resultsOf(review({ participants: [{ kind: 'patient' }] }), 'CoP-P4-01/imha-at-review')).toEqual(['fail']);
    expect(resultsOf(review({}), 'CoP-P4-01/imha-at-review')).toEqual(['cannot-evaluate']);
    expect(resultsOf(compliantRecord(), 'CoP-P4-01/imha-at-review')).toEqual(['not-applicable']);
  });
});

describe('referrals in the English packs', () => {
  const referred = (priority: 'urgent' | 'routine' | undefined, assessedOn?: string) =>
    variant((x) => {
      x.episodes![0]!.referral = { receivedOn: '2024-12-02', ...(priority ? { priority } : {}) };
      if (assessedOn) x.encounters!.push({ id: 'as', kind: 'assessment', status: 'finished', start: assessedOn, mode: 'face-to-face' });
    });
  const check = (record: ReturnType<typeof compliantRecord>, pack: string, name: string) =>
    engine()
      .evaluate(record, { asOf: '2025-06-01', pack })
      .findings.filter((f) => f.check === name)
      .map((f) => f.result);

  it('ELFT: urgent within 72 hours, routine within 28 days', () => {
    // Dates alone: the 2nd day after is within 72 hours whatever the times, the 3rd depends on them, the 4th is late.
    expect(check(referred('urgent', '2024-12-04'), 'luton-bedfordshire-elft', 'assessed-by-priority')).toEqual(['pass']);
    expect(check(referred('urgent', '2024-12-05'), 'luton-bedfordshire-elft', 'assessed-by-priority')).toEqual(['cannot-evaluate']);
    expect(check(referred('urgent', '2024-12-06'), 'luton-bedfordshire-elft', 'assessed-by-priority')).toEqual(['fail']);
    expect(check(referred('routine', '2024-12-30'), 'luton-bedfordshire-elft', 'assessed-by-priority')).toEqual(['pass']);
    expect(check(referred(undefined, '2024-12-30'), 'luton-bedfordshire-elft', 'assessed-by-priority')).toEqual(['cannot-evaluate']);
  });
  it('LPT: urgent within 5 working days, counted over weekends', () => {
    // Referred Monday 2 December 2024: the 5th working day is Monday 9 December.
    expect(check(referred('urgent', '2024-12-09'), 'leicestershire-lpt', 'assessed-by-priority')).toEqual(['pass']);
    expect(check(referred('urgent', '2024-12-10'), 'leicestershire-lpt', 'assessed-by-priority')).toEqual(['fail']);
  });
  it('ELFT counts the coordinator and the first care plan from the referral, and cannot without it', () => {
    // Referred 2024-12-02; coordinator appointed 2025-01-10 (39 days); plan made 2025-02-01.
    expect(check(referred('routine'), 'luton-bedfordshire-elft', 'coordinator-within-28-days')).toEqual(['fail']);
    expect(check(referred('routine'), 'luton-bedfordshire-elft', 'initial-care-plan-within-28-days')).toEqual(['fail']);
    expect(check(compliantRecord(), 'luton-bedfordshire-elft', 'coordinator-within-28-days')).toEqual(['cannot-evaluate']);
  });
});
