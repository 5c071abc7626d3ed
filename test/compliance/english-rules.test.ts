/**
 * The English packs' rules for the evidence the policies need: each passes, fails, is held to
 * its limit on each side, and cannot be evaluated without the data it needs; and the same record
 * gives different, correct findings under each pack.
 */
import { describe, expect, it } from 'vitest';
import { evaluateCaseloads } from '../../src/compliance/caseload.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { testNhsNumber } from '../helpers/generate.js';
import { ELFT, findings, LPT, results, WALES } from './english-helpers.js';
import { engine, variant } from './helpers.js';

type Ra = NonNullable<CtpRecord['riskAssessments']>[number];
const withRisks = (dates: readonly string[], change: (r: CtpRecord) => void = () => {}) =>
  variant((x) => {
    if (dates.length > 0) x.riskAssessments = dates.map((date, i): Ra => ({ id: `ra${i}`, date, reviewer: 'cc' }));
    change(x);
  });

/** The first coordinator replaced on 1 April 2025 by a second, with whatever the new appointment records about the change. */
function changeCoordinator(x: CtpRecord, extra: object): void {
  x.coordinatorAppointments![0]!.end = '2025-04-01';
  x.coordinatorAppointments![0]!.endReason = 'replaced';
  x.coordinatorAppointments!.push({ id: 'appt2', practitioner: 'cc2', profession: 'occupational-therapist', episode: 'ep', start: '2025-04-01', temporary: false, ...extra });
}

describe('LPT-K1: a risk assessment for everyone, reviewed at least every 6 months', () => {
  const K1 = 'LPT-K1/risk-assessed-6-monthly';
  // Accepted 6 January 2025: the first is due within 4 weeks, by 3 February.
  it('the first within 4 weeks of acceptance: on the day passes, a day late fails', () => {
    expect(results(withRisks(['2025-02-03']), LPT, K1, '2025-06-01')).toEqual(['pass']);
    expect(findings(withRisks(['2025-02-04']), LPT, K1, '2025-06-01')[0]).toMatchObject({ result: 'fail', location: 'riskAssessments[0]', due: '2025-02-03' });
  });
  it('none at all: not yet due on 3 February, failing from 4 February', () => {
    expect(results(withRisks([]), LPT, K1, '2025-02-03')).toEqual(['not-applicable']);
    expect(findings(withRisks([]), LPT, K1, '2025-02-04')[0]).toMatchObject({ result: 'fail', location: 'episodes[0]', due: '2025-02-03' });
  });
  it('then every 6 calendar months: 3 August is in time, 4 August is not', () => {
    expect(results(withRisks(['2025-02-03']), LPT, K1, '2025-08-03')).toEqual(['pass']);
    expect(results(withRisks(['2025-02-03']), LPT, K1, '2025-08-04')).toEqual(['fail']);
    expect(results(withRisks(['2025-02-03', '2025-08-03']), LPT, K1, '2025-09-01')).toEqual(['pass']);
  });
  it('stops at a full discharge, and cannot be evaluated without the date of acceptance', () => {
    const discharged = withRisks(['2025-02-03'], (x) => {
      x.episodes![0]!.status = 'finished';
      x.episodes![0]!.discharge = { date: '2025-05-01', kind: 'full' };
    });
    expect(results(discharged, LPT, K1, '2026-01-01')).toEqual(['pass']);
    const unknown = withRisks([], (x) => delete x.episodes![0]!.acceptedOn);
    expect(findings(unknown, LPT, K1)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].acceptedOn'] });
  });
  it('is an error at LPT and not a rule of ELFT or Wales', () => {
    expect(findings(withRisks([]), LPT, K1)[0]!.severity).toBe('error');
    expect(findings(withRisks([]), ELFT, K1)).toEqual([]);
    expect(findings(withRisks([]), WALES, K1)).toEqual([]);
  });
});

describe('LPT-K2: risk reviewed weekly in hospital', () => {
  const K2 = 'LPT-K2/risk-reviewed-weekly-in-hospital';
  const stay = (dates: string[], admittedOn: string | null = '2025-03-01') =>
    withRisks(dates, (x) => {
      x.episodes![0]!.inpatientStays = [{ id: 's', ...(admittedOn ? { admittedOn } : {}), dischargedOn: '2025-03-20' }];
    });
  it('7 days apart passes; 8 days apart fails at the late one', () => {
    expect(results(stay(['2025-03-08', '2025-03-15']), LPT, K2)).toEqual(['pass']);
    expect(findings(stay(['2025-03-08', '2025-03-16']), LPT, K2)[0]).toMatchObject({ result: 'fail', location: 'riskAssessments[1]' });
    expect(results(stay(['2025-03-09', '2025-03-15']), LPT, K2)).toEqual(['fail']);
  });
  it('a gap open at discharge counts: the last review 6 days before is in time, 8 days before is not', () => {
    expect(results(stay(['2025-03-07', '2025-03-14']), LPT, K2)).toEqual(['pass']);
    expect(results(stay(['2025-03-05', '2025-03-12']), LPT, K2)).toEqual(['fail']);
  });
  it('cannot count weeks for a stay known only by its discharge', () => {
    expect(findings(stay(['2025-03-08'], null), LPT, K2)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].inpatientStays[0].admittedOn'] });
  });
});

describe('risk reviewed after an incident, and the incident reported: LPT-K4 (must) and ELFT-K5 (should)', () => {
  const incident = (raOn: string | null, reported?: 'datix' | 'eirf', kind: 'self-harm' | 'safeguarding' = 'self-harm') =>
    withRisks(raOn ? [raOn] : [], (x) => {
      x.incidents = [{ id: 'inc', date: '2025-03-01T22:10:00Z', kind, ...(reported ? { reportedOn: { system: reported, reference: 'R-1' } } : {}) }];
    });
  it('a review 7 days after passes, 8 days after fails; none is not yet due on day 7 and fails on day 8', () => {
    expect(results(incident('2025-03-08'), LPT, 'LPT-K4/risk-reviewed-after-incident')).toEqual(['pass']);
    expect(results(incident('2025-03-09'), LPT, 'LPT-K4/risk-reviewed-after-incident')).toEqual(['fail']);
    expect(results(incident(null), LPT, 'LPT-K4/risk-reviewed-after-incident', '2025-03-08')).toEqual(['not-applicable']);
    expect(results(incident(null), LPT, 'LPT-K4/risk-reviewed-after-incident', '2025-03-09')).toEqual(['fail']);
  });
  it('the same late review is an error at LPT and a warning at ELFT', () => {
    expect(findings(incident('2025-03-09'), LPT, 'LPT-K4/risk-reviewed-after-incident')[0]!.severity).toBe('error');
    expect(findings(incident('2025-03-09'), ELFT, 'ELFT-K5/risk-updated-after-incident')[0]!.severity).toBe('warning');
  });
  it('a safeguarding incident reported on Datix meets ELFT (Datix) but not LPT (eIRF); unreported fails both', () => {
    const datix = incident('2025-03-02', 'datix', 'safeguarding');
    expect(results(datix, ELFT, 'ELFT-K5/datix-report-completed')).toEqual(['pass']);
    expect(results(datix, LPT, 'LPT-S4/safeguarding-incident-on-eirf')).toEqual(['fail']);
    expect(findings(datix, LPT, 'LPT-S4/safeguarding-incident-on-eirf')[0]!.message).toBe(
      'The safeguarding concern incident was reported on Datix, not on Electronic incident report form (eIRF).',
    );
    expect(results(incident('2025-03-02', 'eirf', 'safeguarding'), LPT, 'LPT-S4/safeguarding-incident-on-eirf')).toEqual(['pass']);
    expect(results(incident('2025-03-02', undefined, 'safeguarding'), ELFT, 'ELFT-K5/datix-report-completed')).toEqual(['fail']);
    expect(results(incident('2025-03-02', 'eirf'), LPT, 'LPT-S7/self-harm-incident-reported')).toEqual(['pass']);
    expect(results(incident('2025-03-02'), LPT, 'LPT-S7/self-harm-incident-reported')).toEqual(['fail']);
  });
});

describe('LPT-K3: risk reviewed after admission, discharge and a change of coordinator', () => {
  it('after a change of coordinator: 7 days passes, 8 fails', () => {
    const changed = (raOn: string) => withRisks(['2025-02-01', raOn], (x) => changeCoordinator(x, { changeReason: 'R', changeDiscussedOn: '2025-03-25' }));
    expect(results(changed('2025-04-08'), LPT, 'LPT-K3/risk-reviewed-after-change-of-coordinator')).toEqual(['pass']);
    expect(results(changed('2025-04-09'), LPT, 'LPT-K3/risk-reviewed-after-change-of-coordinator')).toEqual(['fail']);
  });
  it('after admission and after discharge, each within 7 days', () => {
    const r = withRisks(['2025-03-05', '2025-03-28'], (x) => (x.episodes![0]!.inpatientStays = [{ id: 's', admittedOn: '2025-03-01', dischargedOn: '2025-03-20' }]));
    expect(results(r, LPT, 'LPT-K3/risk-reviewed-after-admission')).toEqual(['pass']);
    expect(results(r, LPT, 'LPT-K3/risk-reviewed-after-hospital-discharge')).toEqual(['fail']);
  });
});

describe('ELFT-N-1: an opt-in letter and a call within 5 working days of a missed appointment', () => {
  // Missed on Monday 3 March 2025: the 5th working day is Monday 10 March.
  const missed = (attempts: { at: string; method: 'opt-in-letter' | 'telephone' }[]) =>
    variant((x) => {
      x.encounters!.push({
        id: 'dna',
        status: 'did-not-attend',
        start: '2025-03-03T10:00:00Z',
        mode: 'face-to-face',
        ...(attempts.length ? { followUpAttempts: attempts } : {}),
      });
    });
  const letter = 'ELFT-N-1/opt-in-letter-within-5-working-days';
  it('a letter on the 5th working day passes, on the 6th fails; a call the same day passes', () => {
    expect(results(missed([{ at: '2025-03-10', method: 'opt-in-letter' }]), ELFT, letter)).toEqual(['pass']);
    expect(findings(missed([{ at: '2025-03-11', method: 'opt-in-letter' }]), ELFT, letter)[0]).toMatchObject({ result: 'fail', location: 'encounters[1]', due: '2025-03-10' });
    expect(results(missed([{ at: '2025-03-03T11:00:00Z', method: 'telephone' }]), ELFT, 'ELFT-N-1/telephoned-after-missed-appointment')).toEqual(['pass']);
  });
  it('none: not yet due up to the 5th working day, failing after it; a call is not a letter', () => {
    expect(results(missed([]), ELFT, letter, '2025-03-10')).toEqual(['not-applicable']);
    expect(results(missed([{ at: '2025-03-04', method: 'telephone' }]), ELFT, letter, '2025-03-11')).toEqual(['fail']);
  });
  it('is not a rule of LPT', () => {
    expect(findings(missed([]), LPT, letter)).toEqual([]);
  });
  it('leaves out an appointment missed while the record shows the person on CPA, and keeps one missed after CPA ended', () => {
    const cpa = (period: { start?: string; end?: string }) =>
      variant((x) => {
        x.episodes![0]!.cpaPeriods = [period];
        x.encounters!.push({ id: 'dna', status: 'did-not-attend', start: '2025-03-03T10:00:00Z', mode: 'face-to-face' });
      });
    expect(results(cpa({ start: '2025-01-06' }), ELFT, letter)).toEqual(['not-applicable']);
    expect(results(cpa({ start: '2025-01-06', end: '2025-03-03' }), ELFT, letter)).toEqual(['not-applicable']);
    expect(results(cpa({ start: '2025-01-06', end: '2025-03-02' }), ELFT, letter)).toEqual(['fail']);
    expect(results(cpa({ end: '2025-06-01' }), ELFT, letter)).toEqual(['fail']);
  });
});

describe('ELFT-N-2: cancellations and unplanned visits are not coded as missed appointments', () => {
  const contact = (extra: object) => variant((x) => x.encounters!.push({ id: 'c', start: '2025-03-03', mode: 'face-to-face', status: 'did-not-attend', ...extra }));
  it('a cancellation coded as did-not-attend fails; coded as cancelled passes', () => {
    expect(results(contact({ cancellation: { by: 'patient' } }), ELFT, 'ELFT-N-2/cancellation-not-coded-as-missed')).toEqual(['fail']);
    expect(results(contact({ cancellation: { by: 'service' }, status: 'cancelled' }), ELFT, 'ELFT-N-2/cancellation-not-coded-as-missed')).toEqual(['pass']);
  });
  it('an unplanned visit finding nobody coded as did-not-attend fails; as cancelled passes; a planned one is not concerned', () => {
    expect(results(contact({ planned: false }), ELFT, 'ELFT-N-2/unplanned-visit-not-coded-as-missed')).toEqual(['fail']);
    expect(results(contact({ planned: false, status: 'cancelled' }), ELFT, 'ELFT-N-2/unplanned-visit-not-coded-as-missed')).toEqual(['pass']);
    expect(results(contact({ planned: true }), ELFT, 'ELFT-N-2/unplanned-visit-not-coded-as-missed')).toEqual(['not-applicable']);
  });
});

describe('ELFT-V3: the care coordinator and the psychiatrist at the CPA review', () => {
  const V3 = 'ELFT-V3/coordinator-and-psychiatrist-at-review';
  const meeting = (participants: NonNullable<CtpRecord['encounters']>[number]['participants']) =>
    variant((x) =>
      x.encounters!.push({ id: 'cpa', kind: 'review-meeting', status: 'finished', start: '2025-04-01T10:00:00+01:00', ...(participants ? { participants } : {}) }),
    );
  it('both attending passes; the psychiatrist invited but absent fails, naming who was missing', () => {
    expect(
      results(
        meeting([
          { role: 'care-coordinator', practitioner: 'cc', attended: true },
          { role: 'psychiatrist', practitioner: 'cc2', attended: true },
          { role: 'patient', attended: true },
        ]),
        ELFT,
        V3,
      ),
    ).toEqual(['pass']);
    const absent = findings(
      meeting([
        { role: 'care-coordinator', practitioner: 'cc', attended: true },
        { role: 'psychiatrist', practitioner: 'cc2', invited: true, attended: false },
      ]),
      ELFT,
      V3,
    )[0]!;
    expect(absent).toMatchObject({ result: 'fail', location: 'encounters[1]' });
    expect(absent.message).toContain('psychiatrist');
  });
  it('a meeting without its participants cannot be evaluated; a held review is read from its participants and the care team', () => {
    expect(findings(meeting(undefined), ELFT, V3)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['encounters[1].participants'] });
    const review = (ids: string[]) =>
      variant((x) => {
        x.careTeam!.push({ id: 'ct-psy', role: 'psychiatrist', member: { kind: 'practitioner', id: 'cc2' } });
        x.reviews = [{ id: 'rv', plan: 'plan', trigger: 'scheduled', heldOn: '2025-04-01', participants: ids.map((id) => ({ kind: 'practitioner' as const, id })) }];
      });
    expect(results(review(['cc', 'cc2']), ELFT, V3)).toEqual(['pass']);
    expect(results(review(['cc']), ELFT, V3)).toEqual(['fail']);
    expect(findings(review(['cc']), LPT, V3)).toEqual([]);
  });
});

describe('children in the household: ELFT-S2 and LPT-S4', () => {
  const household = (person: object) => variant((x) => x.relatedPeople!.push({ id: 'child', name: { given: ['Child'] }, inHousehold: true, ...person }));
  it('a child with a date of birth and young-carer status passes; without the status fails', () => {
    expect(results(household({ dateOfBirth: '2015-06-01', youngCarer: false }), ELFT, 'ELFT-S2/children-in-household-recorded')).toEqual(['pass']);
    expect(results(household({ dateOfBirth: '2015-06-01' }), ELFT, 'ELFT-S2/children-in-household-recorded')).toEqual(['fail']);
    expect(results(household({ dateOfBirth: '2015-06-01' }), LPT, 'LPT-S4/children-in-home-recorded')).toEqual(['fail']);
  });
  it('18 on the evaluation day is an adult; the day before, a child', () => {
    expect(results(household({ dateOfBirth: '2007-12-01' }), ELFT, 'ELFT-S2/children-in-household-recorded')).toEqual(['not-applicable']);
    expect(results(household({ dateOfBirth: '2007-12-02' }), ELFT, 'ELFT-S2/children-in-household-recorded')).toEqual(['fail']);
  });
  it('a household member without a date of birth cannot be told to be a child', () => {
    expect(findings(household({}), ELFT, 'ELFT-S2/children-in-household-recorded')[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['relatedPeople[1].dateOfBirth'] });
  });
});

describe('a change of coordinator with its rationale: ELFT-A12 and LPT-A12 (must)', () => {
  const changed = (extra: object) => variant((x) => changeCoordinator(x, extra));
  it('passes with the reason and the person told, fails without the reason, at both trusts as an error', () => {
    expect(results(changed({ changeReason: 'Moved team', changeDiscussedOn: '2025-03-25' }), ELFT, 'ELFT-A12/change-rationale-recorded')).toEqual(['pass']);
    const none = findings(changed({}), LPT, 'LPT-A12/change-rationale-recorded')[0]!;
    expect(none).toMatchObject({ result: 'fail', severity: 'error', location: 'coordinatorAppointments[1].changeReason' });
  });
});

describe('ELFT-A1: an urgent referral allocated on the day of referral', () => {
  const urgent = (start: string) =>
    variant((x) => {
      x.episodes![0]!.referral = { receivedOn: '2025-01-10', priority: 'urgent' };
      x.coordinatorAppointments![0]!.start = start;
    });
  it('the same day passes, the next day fails; a routine referral is not concerned', () => {
    expect(results(urgent('2025-01-10'), ELFT, 'ELFT-A1/urgent-allocated-same-day')).toEqual(['pass']);
    expect(results(urgent('2025-01-11'), ELFT, 'ELFT-A1/urgent-allocated-same-day')).toEqual(['fail']);
    const routine = variant((x) => (x.episodes![0]!.referral = { receivedOn: '2025-01-10', priority: 'routine' }));
    expect(results(routine, ELFT, 'ELFT-A1/urgent-allocated-same-day')).toEqual(['not-applicable']);
  });
});

describe('assertive outreach and early intervention at LPT', () => {
  it('LPT-W3: a doctor may not coordinate in assertive outreach, but may in a CMHT', () => {
    const doctor = (team: string) =>
      variant((x) => {
        x.episodes![0]!.team = team;
        x.coordinatorAppointments![0]!.profession = 'medical-practitioner';
      });
    expect(results(doctor('City Assertive Outreach Team'), LPT, 'LPT-W3/ao-coordinator-profession')).toEqual(['fail']);
    expect(findings(doctor('City Assertive Outreach Team'), LPT, 'LPT-W3/ao-coordinator-profession')[0]!.message).toBe(
      'A coordinator of this profession (registered medical practitioner) may not coordinate care in this team.',
    );
    expect(results(doctor('Test CMHT'), LPT, 'LPT-W3/ao-coordinator-profession')).toEqual(['not-applicable']);
    const unknown = variant((x) => {
      x.episodes![0]!.team = 'City Assertive Outreach Team';
      x.coordinatorAppointments![0]!.profession = { notRecorded: 'unknown' };
    });
    expect(results(unknown, LPT, 'LPT-W3/ao-coordinator-profession')).toEqual(['cannot-evaluate']);
  });
  it('LPT-P14: early intervention plans within a week of the assessment (the plan is made on 1 February)', () => {
    const eip = (assessedOn: string | null) =>
      variant((x) => {
        x.episodes![0]!.team = 'PIER Team';
        delete x.assessments;
        if (assessedOn) x.assessments = [{ id: 'as', kind: 'initial', date: assessedOn }];
      });
    expect(results(eip('2025-01-25'), LPT, 'LPT-P14/eip-plan-within-a-week-of-assessment')).toEqual(['pass']);
    expect(results(eip('2025-01-24'), LPT, 'LPT-P14/eip-plan-within-a-week-of-assessment')).toEqual(['fail']);
    expect(results(eip(null), LPT, 'LPT-P14/eip-plan-within-a-week-of-assessment')).toEqual(['cannot-evaluate']);
  });
});

describe('LPT-V12: a review within 2 weeks of admission and before leaving hospital', () => {
  const admitted = (heldOn: string | null, dischargedOn = '2025-04-30') =>
    variant((x) => {
      x.episodes![0]!.inpatientStays = [{ id: 's', admittedOn: '2025-03-01', dischargedOn }];
      x.reviews = heldOn ? [{ id: 'rv', plan: 'plan', trigger: 'change-of-circumstances', heldOn }] : undefined;
      if (!heldOn) delete x.reviews;
    });
  it('14 days passes, 15 fails; leaving hospital after 4 days without one is not concerned, but the review before leaving fails', () => {
    expect(results(admitted('2025-03-15'), LPT, 'LPT-V12/reviewed-within-2-weeks-of-admission')).toEqual(['pass']);
    expect(results(admitted('2025-03-16'), LPT, 'LPT-V12/reviewed-within-2-weeks-of-admission')).toEqual(['fail']);
    expect(results(admitted(null, '2025-03-05'), LPT, 'LPT-V12/reviewed-within-2-weeks-of-admission')).toEqual(['not-applicable']);
    expect(results(admitted(null, '2025-03-05'), LPT, 'LPT-V12/reviewed-before-leaving-hospital')).toEqual(['fail']);
  });
});

describe('LPT-R15: first contact within 3 working days of referral', () => {
  // Referred on Friday 7 March 2025: the 3rd working day is Wednesday 12 March.
  const referred = (contact: string) =>
    variant((x) => {
      x.episodes![0]!.referral = { receivedOn: '2025-03-07' };
      x.encounters = [{ id: 'c', status: 'finished', start: contact, mode: 'telephone' }];
    });
  it('Wednesday passes, Thursday fails', () => {
    expect(results(referred('2025-03-12'), LPT, 'LPT-R15/first-contact-within-3-working-days')).toEqual(['pass']);
    expect(results(referred('2025-03-13'), LPT, 'LPT-R15/first-contact-within-3-working-days')).toEqual(['fail']);
  });
});

describe('LPT-T9: a crisis team assesses within an hour of the time of referral', () => {
  const T9 = 'LPT-T9/crisis-assessment-within-an-hour';
  const crisis = (receivedAt: string | undefined, assessed: string, team = 'City Crisis Resolution Home Treatment Team') =>
    variant((x) => {
      x.episodes![0]!.team = team;
      x.episodes![0]!.referral = { receivedOn: '2025-03-30', ...(receivedAt ? { receivedAt } : {}) };
      x.encounters = [{ id: 'as', kind: 'assessment', status: 'finished', start: assessed, mode: 'face-to-face' }];
    });
  it('60 minutes passes, 61 fails, across the night the clocks go forward', () => {
    expect(results(crisis('2025-03-30T00:30:00Z', '2025-03-30T02:30:00+01:00'), LPT, T9)).toEqual(['pass']);
    expect(results(crisis('2025-03-30T00:30:00Z', '2025-03-30T02:31:00+01:00'), LPT, T9)).toEqual(['fail']);
  });
  it('cannot be evaluated without the time of referral, and does not apply to a CMHT', () => {
    expect(findings(crisis(undefined, '2025-03-30T10:00:00+01:00'), LPT, T9)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].referral.receivedAt'] });
    expect(results(crisis('2025-03-30T00:30:00Z', '2025-03-30T05:00:00+01:00', 'Test CMHT'), LPT, T9)).toEqual(['not-applicable']);
  });
});

describe('LPT-Z5: the discharge letter holds the five items', () => {
  const discharged = (sections?: string[]) =>
    variant((x) => {
      x.episodes![0]!.status = 'finished';
      x.episodes![0]!.discharge = {
        date: '2025-05-02',
        kind: 'full',
        writtenInformationGivenOn: '2025-05-06',
        copiedToGp: true,
        ...(sections ? { letterSections: sections as never } : {}),
      };
    });
  const all = ['continuing-services', 'support-networks', 'medication', 'relapse-plan', 'accessing-help'];
  it('all five pass; one missing fails naming it; none recorded cannot be evaluated', () => {
    expect(results(discharged(all), LPT, 'LPT-Z5/discharge-letter-contents')).toEqual(['pass']);
    const lacking = findings(discharged(all.filter((s) => s !== 'medication')), LPT, 'LPT-Z5/discharge-letter-contents')[0]!;
    expect(lacking).toMatchObject({ result: 'fail', location: 'episodes[0].discharge.letterSections' });
    expect(lacking.message).toContain('medication regime');
    expect(findings(discharged(), LPT, 'LPT-Z5/discharge-letter-contents')[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].discharge.letterSections'] });
  });
});

describe('ELFT-D1: 48 hours after leaving hospital for someone at high risk before admission', () => {
  const D1 = 'ELFT-D1/face-to-face-within-5-working-days-of-discharge';
  const stay = (contact: string, flagged: boolean) =>
    variant((x) => {
      x.episodes![0]!.inpatientStays = [{ id: 's', admittedOn: '2025-05-20', dischargedOn: '2025-06-02', dischargedAt: '2025-06-02T10:00:00+01:00' }];
      x.encounters = [{ id: 'fu', status: 'finished', start: contact, mode: 'face-to-face' }];
      if (flagged) x.flags = [{ id: 'hr', kind: 'high-risk', start: '2025-05-01' }];
    });
  it('with a high-risk alert at admission: 48 hours passes, 48.5 fails; without it the 5 working days apply', () => {
    expect(results(stay('2025-06-04T10:00:00+01:00', true), ELFT, D1)).toEqual(['pass']);
    expect(results(stay('2025-06-04T10:30:00+01:00', true), ELFT, D1)).toEqual(['fail']);
    expect(results(stay('2025-06-04T10:30:00+01:00', false), ELFT, D1)).toEqual(['pass']);
  });
  it('an alert that ended before admission does not count', () => {
    const ended = variant((x) => (x.flags = [{ id: 'hr', kind: 'high-risk', start: '2025-01-01', end: '2025-05-19' }]), stay('2025-06-04T10:30:00+01:00', false));
    expect(results(ended, ELFT, D1)).toEqual(['pass']);
  });
});

describe('caseloads pro rata to whole-time equivalent', () => {
  const person = (n: number, practitioner: { wholeTimeEquivalent?: number; amhpRotaDays?: number }) =>
    variant((x) => {
      x.source.recordId = `rec-${n}`;
      x.patient!.nhsNumber = testNhsNumber(n);
      Object.assign(x.practitioners![0]!, practitioner);
    });
  const caseload = (n: number, pack: string, practitioner: { wholeTimeEquivalent?: number; amhpRotaDays?: number }) =>
    evaluateCaseloads(
      Array.from({ length: n }, (_, i) => person(i, practitioner)),
      engine().pack(pack),
      '2025-06-01',
    )[0]!;
  it('LPT: 0.6 whole-time holds at most 18', () => {
    expect(caseload(18, LPT, { wholeTimeEquivalent: 0.6 }).result).toBe('pass');
    expect(caseload(19, LPT, { wholeTimeEquivalent: 0.6 })).toMatchObject({
      result: 'fail',
      message: 'Holds 19 people; the limit is 18 (30 for a whole-time coordinator, pro rata for 0.6 whole-time equivalent).',
    });
  });
  it('ELFT takes AMHP rota days off too (0.6 less 1 day of 5 is 0.4: 12 people); LPT does not', () => {
    expect(caseload(12, ELFT, { wholeTimeEquivalent: 0.6, amhpRotaDays: 1 }).result).toBe('pass');
    expect(caseload(13, ELFT, { wholeTimeEquivalent: 0.6, amhpRotaDays: 1 }).result).toBe('fail');
    expect(caseload(13, LPT, { wholeTimeEquivalent: 0.6, amhpRotaDays: 1 }).result).toBe('pass');
  });
});

describe('medical reviews: ELFT-T7 within two months of referral, LPT-V9 at least annually (must)', () => {
  const withDoctor = (contacts: string[], careTeam = true) =>
    variant((x) => {
      x.episodes![0]!.referral = { receivedOn: '2025-01-02' };
      if (careTeam) x.careTeam!.push({ id: 'ct-psy', role: 'psychiatrist', member: { kind: 'practitioner', id: 'cc2' } });
      if (contacts.length === 0) delete x.encounters;
      else x.encounters = contacts.map((start, i) => ({ id: `m${i}`, status: 'finished' as const, start, mode: 'face-to-face' as const, practitioner: 'cc2' }));
    });
  it('ELFT: 2 March passes (two months from 2 January), 3 March fails; no psychiatrist in the care team cannot be evaluated', () => {
    expect(results(withDoctor(['2025-03-02']), ELFT, 'ELFT-T7/medical-review-within-2-months')).toEqual(['pass']);
    expect(results(withDoctor(['2025-03-03']), ELFT, 'ELFT-T7/medical-review-within-2-months')).toEqual(['fail']);
    expect(results(withDoctor(['2025-03-02'], false), ELFT, 'ELFT-T7/medical-review-within-2-months')).toEqual(['cannot-evaluate']);
  });
  it('LPT: within 12 months of acceptance and of each other; an error when late', () => {
    expect(results(withDoctor(['2025-06-01']), LPT, 'LPT-V9/medical-review-annually', '2026-01-06')).toEqual(['pass']);
    const late = findings(withDoctor(['2025-06-01']), LPT, 'LPT-V9/medical-review-annually', '2026-06-02');
    expect(late.map((x) => [x.result, x.severity])).toEqual([['fail', 'error']]);
    expect(results(withDoctor([]), LPT, 'LPT-V9/medical-review-annually', '2026-01-07')).toEqual(['fail']);
  });
});

describe('ELFT-V1 and ELFT-X5: the first CPA review within 3 months of referral, and a review after a transfer', () => {
  const reviewed = (heldOn: string, transfer?: string) =>
    variant((x) => {
      x.episodes![0]!.referral = { receivedOn: '2025-01-02' };
      if (transfer) x.episodes![0]!.transfers = [{ date: transfer, team: 'Other CMHT' }];
      x.reviews = [{ id: 'rv', plan: 'plan', trigger: 'scheduled', heldOn }];
    });
  it('2 April passes, 3 April fails', () => {
    expect(results(reviewed('2025-04-02'), ELFT, 'ELFT-V1/cpa-review-within-3-months-of-referral')).toEqual(['pass']);
    expect(results(reviewed('2025-04-03'), ELFT, 'ELFT-V1/cpa-review-within-3-months-of-referral')).toEqual(['fail']);
  });
  it('a review 5 weeks after a transfer passes, 5 weeks and a day fails', () => {
    expect(results(reviewed('2025-05-06', '2025-04-01'), ELFT, 'ELFT-X5/review-about-4-weeks-after-transfer')).toEqual(['pass']);
    expect(results(reviewed('2025-05-07', '2025-04-01'), ELFT, 'ELFT-X5/review-about-4-weeks-after-transfer')).toEqual(['fail']);
  });
});

describe('declarative English rules: ELFT-P7, ELFT-I2, LPT-P10', () => {
  it('a registered GP and the permission to share pass; without them they fail', () => {
    expect(
      results(
        variant(() => {}),
        ELFT,
        'ELFT-P7/registered-with-gp',
      ),
    ).toEqual(['pass']);
    expect(
      results(
        variant((x) => delete x.patient!.registeredGpPractice),
        ELFT,
        'ELFT-P7/registered-with-gp',
      ),
    ).toEqual(['fail']);
    expect(
      results(
        variant(() => {}),
        ELFT,
        'ELFT-I2/permission-to-share-recorded',
      ),
    ).toEqual(['pass']);
    expect(
      results(
        variant((x) => delete x.patient!.informationSharing),
        ELFT,
        'ELFT-I2/permission-to-share-recorded',
      ),
    ).toEqual(['fail']);
  });
  it('LPT-P10: a plan with the person’s actions and the services’ passes; with only the services’ fails', () => {
    const plan = (kinds: ('patient' | 'practitioner')[]) =>
      variant((x) => {
        const p = x.plans![0]!;
        delete p.outcomes;
        p.actions = kinds.map((kind, i) => ({ id: `act${i}`, description: 'Act', whoBy: [kind === 'patient' ? { kind } : { kind, id: 'cc' }] }));
      });
    expect(results(plan(['patient', 'practitioner']), LPT, 'LPT-P10/actions-by-person-and-services')).toEqual(['pass']);
    expect(results(plan(['practitioner']), LPT, 'LPT-P10/actions-by-person-and-services')).toEqual(['fail']);
  });
});

describe('the generated histories with English evidence (the benchmark’s input)', () => {
  it('are valid records whose references resolve', async () => {
    const { generateHistories } = await import('../helpers/generate-histories.js');
    const { withEnglishEvidence } = await import('../helpers/generate-english-histories.js');
    const { parseRecord } = await import('../../src/record/parse-record.js');
    for (const r of withEnglishEvidence(generateHistories(150))) expect(() => parseRecord(r, r.source.recordId)).not.toThrow();
  });

  it('give no two findings of one check at the same location under either English pack', async () => {
    const { generateHistories } = await import('../helpers/generate-histories.js');
    const { withEnglishEvidence } = await import('../helpers/generate-english-histories.js');
    for (const pack of [LPT, ELFT]) {
      for (const r of withEnglishEvidence(generateHistories(150))) {
        const keys = engine()
          .evaluate(r, { asOf: '2025-12-31', pack })
          .findings.map((f) => `${f.ruleId}/${f.check} at ${f.location}`);
        expect(
          keys.filter((k, i) => keys.indexOf(k) !== i),
          `${pack} ${r.source.recordId}`,
        ).toEqual([]);
      }
    }
  });
});

describe('LPT-F6: early intervention in contact with the family at least monthly', () => {
  const F6 = 'LPT-F6/eip-family-contact-monthly';
  const eip = (contacts: { start: string; carer: boolean }[], team = 'PIER Team') =>
    variant((x) => {
      x.episodes![0]!.team = team;
      x.encounters = contacts.map(({ start, carer }, i) => ({
        id: `f${i}`,
        status: 'finished' as const,
        start,
        mode: 'face-to-face' as const,
        participants: [{ role: 'patient' as const, attended: true }, ...(carer ? [{ role: 'carer' as const, relatedPerson: 'carer', attended: true }] : [])],
      }));
    });
  it('a month after the coordinator’s allocation (10 January) passes; a day more fails; contacts without the family do not count', () => {
    expect(results(eip([{ start: '2025-02-10', carer: true }]), LPT, F6, '2025-03-10')).toEqual(['pass']);
    expect(findings(eip([{ start: '2025-02-11', carer: true }]), LPT, F6, '2025-03-10')[0]).toMatchObject({ result: 'fail', location: 'encounters[0]' });
    expect(findings(eip([{ start: '2025-02-10', carer: false }]), LPT, F6, '2025-02-11')[0]).toMatchObject({ result: 'fail', location: 'episodes[0]' });
  });
  it('applies only to early intervention', () => {
    expect(results(eip([{ start: '2025-06-10', carer: false }], 'Test CMHT'), LPT, F6)).toEqual(['not-applicable']);
  });
});

describe('LPT-N-9: early intervention does not close a case for non-engagement', () => {
  const N9 = 'LPT-N-9/eip-not-closed-for-non-engagement';
  const closed = (closureReason: string | null, team = 'PIER Team', kind: 'full' | 'partial' = 'full', date = '2025-05-02') =>
    variant((x) => {
      x.episodes![0]!.team = team;
      x.episodes![0]!.status = 'finished';
      x.episodes![0]!.discharge = { date, kind, ...(closureReason ? { closureReason: closureReason as never } : {}) };
    });
  it('closed for non-engagement or an unclear diagnosis fails, naming the reason; closed when treatment was completed passes', () => {
    const fail = findings(closed('non-engagement'), LPT, N9)[0]!;
    expect(fail).toMatchObject({ result: 'fail', location: 'episodes[0].discharge.closureReason', severity: 'warning' });
    expect(fail.message).toContain('did not engage');
    expect(results(closed('no-clear-diagnosis'), LPT, N9)).toEqual(['fail']);
    expect(results(closed('treatment-completed'), LPT, N9)).toEqual(['pass']);
    expect(results(closed('lost-contact'), LPT, N9)).toEqual(['pass']);
  });
  it('cannot be evaluated without a coded reason; a partial discharge, one after the date of evaluation and a CMHT are not concerned', () => {
    expect(findings(closed(null), LPT, N9)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].discharge.closureReason'] });
    expect(results(closed('non-engagement', 'PIER Team', 'partial'), LPT, N9)).toEqual(['not-applicable']);
    expect(results(closed('non-engagement', 'PIER Team', 'full', '2025-12-02'), LPT, N9)).toEqual(['not-applicable']);
    expect(results(closed('non-engagement', 'Test CMHT'), LPT, N9)).toEqual(['not-applicable']);
  });
  it('is not a rule of ELFT or Wales', () => {
    expect(findings(closed('non-engagement'), ELFT, N9)).toEqual([]);
    expect(findings(closed('non-engagement'), WALES, N9)).toEqual([]);
  });
});

describe('LPT-K6: a new person’s first risk assessment is made on the DMH & LD form', () => {
  const K6 = 'LPT-K6/first-risk-assessment-on-the-trust-form';
  const firstOn = (tool: string | null, later = 'dmh-ld-form') =>
    withRisks(['2025-02-03', '2025-06-01'], (x) => {
      const [first, second] = x.riskAssessments!;
      if (tool) first!.tool = tool as never;
      second!.tool = later as never;
    });
  it('the trust form or a specialist tool passes; another form fails at the first assessment, whatever the later ones', () => {
    expect(results(firstOn('dmh-ld-form'), LPT, K6)).toEqual(['pass']);
    expect(results(firstOn('hcr-20'), LPT, K6)).toEqual(['pass']);
    expect(findings(firstOn('other'), LPT, K6)[0]).toMatchObject({ result: 'fail', location: 'riskAssessments[0].tool', severity: 'warning' });
  });
  it('judges the first assessment of the episode known on the date of evaluation', () => {
    expect(results(firstOn('other', 'dmh-ld-form'), LPT, K6, '2025-02-02')).toEqual(['not-applicable']);
    expect(results(firstOn('dmh-ld-form', 'other'), LPT, K6)).toEqual(['pass']);
  });
  it('cannot be evaluated when the first one’s tool is not coded (free text alone does not count)', () => {
    const text = variant((x) => {
      x.riskAssessments = [{ id: 'ra0', date: '2025-02-03', method: 'DMH & LD Risk Assessment Form' }];
    });
    expect(findings(text, LPT, K6)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['riskAssessments[0].tool'] });
    expect(results(firstOn(null), LPT, K6)).toEqual(['cannot-evaluate']);
  });
  it('is not a rule of ELFT or Wales', () => {
    expect(findings(firstOn('other'), ELFT, K6)).toEqual([]);
    expect(findings(firstOn('other'), WALES, K6)).toEqual([]);
  });
});

describe('ELFT-K16: a risk assessment before discharge from CPA', () => {
  const K16 = 'ELFT-K16/risk-assessed-before-leaving-cpa';
  // On CPA from acceptance (6 January 2025) to 1 June 2025: 4 weeks before is 4 May.
  const leftCpa = (dates: string[], end: string | null = '2025-06-01', change: (x: CtpRecord) => void = () => {}) =>
    withRisks(dates, (x) => {
      x.episodes![0]!.cpaPeriods = [{ start: '2025-01-06', ...(end ? { end } : {}) }];
      change(x);
    });
  it('4 weeks before passes, a day more fails at the CPA period; on the day of leaving CPA passes, the day after does not count', () => {
    expect(results(leftCpa(['2025-05-04']), ELFT, K16)).toEqual(['pass']);
    expect(findings(leftCpa(['2025-05-03']), ELFT, K16)[0]).toMatchObject({ result: 'fail', location: 'episodes[0].cpaPeriods[0]', due: '2025-06-01', severity: 'warning' });
    expect(results(leftCpa(['2025-06-01']), ELFT, K16)).toEqual(['pass']);
    expect(results(leftCpa(['2025-06-02']), ELFT, K16)).toEqual(['fail']);
  });
  it('a person still on CPA, or leaving it after the date of evaluation, is not concerned', () => {
    expect(results(leftCpa([], null), ELFT, K16)).toEqual(['not-applicable']);
    expect(results(leftCpa([], '2025-12-02'), ELFT, K16)).toEqual(['not-applicable']);
  });
  it('cannot be evaluated when an assessment of the episode has no date', () => {
    const undated = leftCpa([], '2025-06-01', (x) => {
      x.riskAssessments = [{ id: 'ra0', reviewer: 'cc' }];
    });
    expect(findings(undated, ELFT, K16)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['riskAssessments[0].date'] });
  });
  it('is not a rule of LPT or Wales', () => {
    expect(findings(leftCpa([]), LPT, K16)).toEqual([]);
    expect(findings(leftCpa([]), WALES, K16)).toEqual([]);
  });
});

describe('ELFT-A14: another named worker when the coordinator is away 2 weeks or more', () => {
  const A14 = 'ELFT-A14/absence-of-2-weeks-covered';
  // Away from Monday 3 March 2025: the 14th day away is Sunday 16 March.
  const away = (end: string | undefined, cover?: { start: string; end?: string; covers?: string }) =>
    variant((x) => {
      const usual = x.coordinatorAppointments![0]!;
      usual.absences = [{ start: '2025-03-03', ...(end ? { end } : {}) }];
      if (cover) x.coordinatorAppointments!.push({ id: 'temp', practitioner: 'cc2', episode: 'ep', temporary: true, ...cover });
    });
  it('14 days away without cover fails at the absence; 13 days is not concerned', () => {
    expect(findings(away('2025-03-16'), ELFT, A14)[0]).toMatchObject({ result: 'fail', location: 'coordinatorAppointments[0].absences[0]', severity: 'warning' });
    expect(results(away('2025-03-15'), ELFT, A14)).toEqual(['not-applicable']);
  });
  it('an absence still open counts up to the date of evaluation: not concerned on its 13th day, failing on its 14th', () => {
    expect(results(away(undefined), ELFT, A14, '2025-03-15')).toEqual(['not-applicable']);
    expect(results(away(undefined), ELFT, A14, '2025-03-16')).toEqual(['fail']);
  });
  it('a temporary coordinator covering the appointment during the absence passes; one ended before it does not count', () => {
    expect(results(away('2025-03-31', { start: '2025-03-10', end: '2025-03-31', covers: 'appt' }), ELFT, A14)).toEqual(['pass']);
    expect(results(away('2025-03-31', { start: '2025-02-01', end: '2025-03-02', covers: 'appt' }), ELFT, A14)).toEqual(['fail']);
  });
  it('cannot be evaluated when a temporary coordinator during the absence does not say whom they covered', () => {
    expect(findings(away('2025-03-31', { start: '2025-03-10' }), ELFT, A14)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['coordinatorAppointments[1].covers'] });
  });
  it('is not a rule of LPT or Wales', () => {
    expect(findings(away('2025-03-31'), LPT, A14)).toEqual([]);
    expect(findings(away('2025-03-31'), WALES, A14)).toEqual([]);
  });
});

describe('LPT-A15: a coordinator away over 4 weeks is replaced', () => {
  const A15 = 'LPT-A15/absence-over-4-weeks-handed-on';
  // Away from Monday 3 March 2025: the 29th day away is Monday 31 March.
  const away = (end: string, change: (x: CtpRecord) => void = () => {}) =>
    variant((x) => {
      x.coordinatorAppointments![0]!.absences = [{ start: '2025-03-03', end }];
      change(x);
    });
  it('29 days away without a new coordinator fails; 28 days (4 weeks, not over) is not concerned', () => {
    expect(findings(away('2025-03-31'), LPT, A15)[0]).toMatchObject({ result: 'fail', location: 'coordinatorAppointments[0].absences[0]', severity: 'warning' });
    expect(results(away('2025-03-30'), LPT, A15)).toEqual(['not-applicable']);
  });
  it('the appointment ending during the absence (the person handed on) passes', () => {
    const handedOn = away('2025-04-30', (x) => changeCoordinator(x, { changeReason: 'Long-term sickness' }));
    expect(results(handedOn, LPT, A15)).toEqual(['pass']);
  });
  it('is not a rule of ELFT (whose limit is 2 weeks) or Wales', () => {
    expect(findings(away('2025-03-31'), ELFT, A15)).toEqual([]);
    expect(findings(away('2025-03-31'), WALES, A15)).toEqual([]);
    expect(results(away('2025-03-30'), ELFT, 'ELFT-A14/absence-of-2-weeks-covered')).toEqual(['fail']);
  });
});

describe('ELFT-X2: the care plan and the risk assessment reviewed before a transfer', () => {
  const PLAN = 'ELFT-X2/care-plan-reviewed-before-transfer';
  const RISK = 'ELFT-X2/risk-reviewed-before-transfer';
  // Transferred on 2 June 2025: 4 weeks before is 5 May.
  const transferred = (reviewedOn: string | null, riskDates: string[], change: (x: CtpRecord) => void = () => {}) =>
    withRisks(riskDates, (x) => {
      x.episodes![0]!.transfers = [{ date: '2025-06-02', team: 'North CMHT' }];
      if (reviewedOn) x.reviews = [{ id: 'rv', plan: 'plan', trigger: 'change-of-circumstances', heldOn: reviewedOn }];
      else delete x.reviews;
      change(x);
    });
  it('4 weeks before passes, a day more fails at the transfer; on the day of the transfer passes, after it does not count', () => {
    expect(results(transferred('2025-05-05', ['2025-05-05']), ELFT, PLAN)).toEqual(['pass']);
    expect(results(transferred('2025-05-05', ['2025-05-05']), ELFT, RISK)).toEqual(['pass']);
    expect(findings(transferred('2025-05-04', ['2025-05-04']), ELFT, PLAN)[0]).toMatchObject({
      result: 'fail',
      location: 'episodes[0].transfers[0]',
      due: '2025-06-02',
      severity: 'warning',
    });
    expect(results(transferred('2025-05-04', ['2025-05-04']), ELFT, RISK)).toEqual(['fail']);
    expect(results(transferred('2025-06-02', ['2025-06-02']), ELFT, PLAN)).toEqual(['pass']);
    expect(results(transferred('2025-06-03', ['2025-06-03']), ELFT, RISK)).toEqual(['fail']);
  });
  it('each is judged on its own: a plan review without a risk review passes one and fails the other', () => {
    expect(results(transferred('2025-05-20', []), ELFT, PLAN)).toEqual(['pass']);
    expect(results(transferred('2025-05-20', []), ELFT, RISK)).toEqual(['fail']);
    expect(results(transferred(null, ['2025-05-20']), ELFT, PLAN)).toEqual(['fail']);
  });
  it('a transfer after the date of evaluation is not concerned; an undated risk assessment cannot be judged', () => {
    expect(results(transferred(null, []), ELFT, PLAN, '2025-06-01')).toEqual(['not-applicable']);
    const undated = transferred('2025-05-20', [], (x) => {
      x.riskAssessments = [{ id: 'ra0' }];
    });
    expect(findings(undated, ELFT, RISK)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['riskAssessments[0].date'] });
  });
  it('is not a rule of LPT or Wales', () => {
    expect(findings(transferred(null, []), LPT, PLAN)).toEqual([]);
    expect(findings(transferred(null, []), WALES, RISK)).toEqual([]);
  });
});

describe('ELFT-S1: the consultant is told when a safeguarding adult alert is raised', () => {
  const S1 = 'ELFT-S1/consultant-told-of-safeguarding-alert';
  // Raised on Friday 4 April 2025: the next working day is Monday 7 April.
  const raised = (told: { role: string; at: string }[] | null, kind = 'safeguarding-adult', start: string | null = '2025-04-04') =>
    variant((x) => {
      x.flags = [{ id: 'sova', kind: kind as never, ...(start ? { start } : {}), ...(told ? { notified: told as never } : {}) }];
    });
  it('the psychiatrist told on the next working day passes, a day later fails at the alert, naming who', () => {
    expect(results(raised([{ role: 'psychiatrist', at: '2025-04-07T09:15:00+01:00' }]), ELFT, S1)).toEqual(['pass']);
    const late = findings(raised([{ role: 'psychiatrist', at: '2025-04-08' }]), ELFT, S1)[0]!;
    expect(late).toMatchObject({ result: 'fail', location: 'flags[0]', due: '2025-04-07', severity: 'error' });
    expect(late.message).toContain('psychiatrist');
  });
  it('telling someone else does not count; not told fails once the working day has passed, and is not yet due before', () => {
    expect(results(raised([{ role: 'gp', at: '2025-04-04' }]), ELFT, S1)).toEqual(['fail']);
    expect(results(raised(null), ELFT, S1, '2025-04-07')).toEqual(['not-applicable']);
    expect(results(raised(null), ELFT, S1, '2025-04-08')).toEqual(['fail']);
  });
  it('cannot be evaluated without the date the alert was raised; other alerts are not concerned', () => {
    expect(findings(raised(null, 'safeguarding-adult', null), ELFT, S1)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['flags[0].start'] });
    expect(results(raised(null, 'high-risk'), ELFT, S1)).toEqual(['not-applicable']);
  });
  it('is not a rule of LPT or Wales', () => {
    expect(findings(raised(null), LPT, S1)).toEqual([]);
    expect(findings(raised(null), WALES, S1)).toEqual([]);
  });
});

describe('LPT-CR2 and LPT-CR1: carers offered an assessment, and referred when they agree', () => {
  const CR2 = 'LPT-CR2/carer-offered-assessment';
  const CR1 = 'LPT-CR1/carer-referred-when-agreed';
  // Accepted on Monday 6 January 2025: 4 weeks on is 3 February.
  const carer = (assessment: object | null, change: (p: NonNullable<CtpRecord['relatedPeople']>[number]) => void = () => {}) =>
    variant((x) => {
      const person = { id: 'carer', roles: ['carer' as const], ...(assessment ? { carerAssessment: assessment } : {}) };
      change(person);
      x.relatedPeople = [person];
    });
  it('offered 4 weeks after acceptance passes, a day later fails at the carer; a referral counts as the offer', () => {
    expect(results(carer({ offeredOn: '2025-02-03' }), LPT, CR2)).toEqual(['pass']);
    expect(findings(carer({ offeredOn: '2025-02-04' }), LPT, CR2)[0]).toMatchObject({ result: 'fail', location: 'relatedPeople[0]', due: '2025-02-03', severity: 'warning' });
    expect(results(carer({ referredOn: '2025-01-20' }), LPT, CR2)).toEqual(['pass']);
  });
  it('other support offered to the carer is not the offer of an assessment', () => {
    const otherSupport = carer(null, (p) => Object.assign(p, { carerSupport: [{ kind: 'information', offeredOn: '2025-01-10' }] }));
    expect(results(otherSupport, LPT, CR2, '2025-02-04')).toEqual(['fail']);
  });
  it('never offered: not yet due on 3 February, failing from 4 February; a young carer counts, a paid carer does not', () => {
    expect(results(carer(null), LPT, CR2, '2025-02-03')).toEqual(['not-applicable']);
    expect(results(carer(null), LPT, CR2, '2025-02-04')).toEqual(['fail']);
    expect(
      results(
        carer(null, (p) => Object.assign(p, { roles: undefined, youngCarer: true })),
        LPT,
        CR2,
      ),
    ).toEqual(['fail']);
    expect(
      results(
        carer(null, (p) => Object.assign(p, { isPaidOrVolunteer: true })),
        LPT,
        CR2,
      ),
    ).toEqual(['not-applicable']);
  });
  it('cannot be evaluated without the date of acceptance', () => {
    const unknown = carer(null);
    delete unknown.episodes![0]!.acceptedOn;
    expect(findings(unknown, LPT, CR2)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].acceptedOn'] });
  });
  it('a carer who agreed is referred within 4 weeks of the offer: on the day passes, a day later fails; a refusal needs no referral', () => {
    expect(results(carer({ offeredOn: '2025-01-20', response: 'accepted', referredOn: '2025-02-17' }), LPT, CR1)).toEqual(['pass']);
    expect(findings(carer({ offeredOn: '2025-01-20', response: 'accepted', referredOn: '2025-02-18' }), LPT, CR1)[0]).toMatchObject({
      result: 'fail',
      location: 'relatedPeople[0].carerAssessment',
      due: '2025-02-17',
    });
    expect(results(carer({ offeredOn: '2025-01-20', response: 'accepted' }), LPT, CR1, '2025-02-18')).toEqual(['fail']);
    expect(results(carer({ offeredOn: '2025-01-20', response: 'declined' }), LPT, CR1)).toEqual(['not-applicable']);
    expect(findings(carer({ response: 'accepted', referredOn: '2025-02-01' }), LPT, CR1)[0]).toMatchObject({
      result: 'cannot-evaluate',
      missing: ['relatedPeople[0].carerAssessment.offeredOn'],
    });
  });
  it('are not rules of ELFT or Wales', () => {
    expect(findings(carer(null), ELFT, CR2)).toEqual([]);
    expect(findings(carer({ offeredOn: '2025-01-20', response: 'accepted' }), WALES, CR1)).toEqual([]);
  });
});

describe('ELFT-D15: the crisis team and the emergency duty team told the same day of an out-of-hours concern', () => {
  const CRISIS = 'ELFT-D15/crisis-team-told-same-day';
  const EDT = 'ELFT-D15/emergency-duty-team-told-same-day';
  // Raised on Saturday 25 October 2025; the clocks go back at 02:00 on Sunday 26 October.
  const concern = (told: { role: string; at: string }[], start: string | null = '2025-10-25') =>
    variant((x) => {
      x.flags = [{ id: 'ooh', kind: 'out-of-hours-concern', ...(start ? { start } : {}), ...(told.length > 0 ? { notified: told as never } : {}) }];
    });
  const both = (at: string) => [
    { role: 'crisis-team', at },
    { role: 'emergency-duty-team', at },
  ];
  it('told at 23:59 on the day passes; at 00:30 UK time the next day fails, even when written in UTC on the day before', () => {
    expect(results(concern(both('2025-10-25T23:59:00+01:00')), ELFT, CRISIS)).toEqual(['pass']);
    expect(results(concern(both('2025-10-25T22:59:00Z')), ELFT, EDT)).toEqual(['pass']);
    expect(findings(concern(both('2025-10-26T00:30:00+01:00')), ELFT, CRISIS)[0]).toMatchObject({
      result: 'fail',
      location: 'flags[0]',
      due: '2025-10-25',
      severity: 'warning',
    });
    expect(results(concern(both('2025-10-25T23:30:00Z')), ELFT, EDT)).toEqual(['fail']);
  });
  it('each team is judged on its own, and an untold one fails from the next day; no date raised cannot be evaluated', () => {
    expect(results(concern([{ role: 'crisis-team', at: '2025-10-25' }]), ELFT, CRISIS)).toEqual(['pass']);
    expect(results(concern([{ role: 'crisis-team', at: '2025-10-25' }]), ELFT, EDT, '2025-10-25')).toEqual(['not-applicable']);
    expect(results(concern([{ role: 'crisis-team', at: '2025-10-25' }]), ELFT, EDT, '2025-10-26')).toEqual(['fail']);
    expect(findings(concern([], null), ELFT, EDT)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['flags[0].start'] });
  });
  it('is not a rule of LPT or Wales', () => {
    expect(findings(concern([]), LPT, CRISIS)).toEqual([]);
    expect(findings(concern([]), WALES, EDT)).toEqual([]);
  });
});

describe('ELFT-N-4, N-3 and N-5: a review after disengagement, a refusal of contact or a loss of contact', () => {
  const N4 = 'ELFT-N-4/review-after-disengagement';
  const N3 = 'ELFT-N-3/review-after-refusal-of-contact';
  const N5 = 'ELFT-N-5/review-after-loss-of-contact';
  // Raised on Friday 7 March 2025: the next working day is Monday 10 March; 5 working days on is Friday 14 March.
  const alerted = (kind: string, heldOn: string | null, start: string | null = '2025-03-07') =>
    variant((x) => {
      x.flags = [{ id: 'alert', kind: kind as never, ...(start ? { start } : {}) }];
      if (heldOn) x.reviews = [{ id: 'rv', plan: 'plan', trigger: 'change-of-circumstances', heldOn }];
      else delete x.reviews;
    });
  it('disengagement: a review on the next working day passes, the day after fails at the alert', () => {
    expect(results(alerted('disengagement', '2025-03-10'), ELFT, N4)).toEqual(['pass']);
    expect(findings(alerted('disengagement', '2025-03-11'), ELFT, N4)[0]).toMatchObject({ result: 'fail', location: 'flags[0]', due: '2025-03-10', severity: 'warning' });
  });
  it('a review meeting counts as well as a review; one before the alert does not', () => {
    const meeting = variant((x) => {
      x.flags = [{ id: 'alert', kind: 'disengagement', start: '2025-03-07' }];
      delete x.reviews;
      x.encounters = [{ id: 'mdt', kind: 'review-meeting', status: 'finished', start: '2025-03-10T14:00:00Z' }];
    });
    expect(results(meeting, ELFT, N4)).toEqual(['pass']);
    expect(results(alerted('disengagement', '2025-03-06'), ELFT, N4)).toEqual(['fail']);
  });
  it('refusal and loss of contact: 5 working days pass, 6 fail; not yet due before', () => {
    expect(results(alerted('refusing-contact', '2025-03-14'), ELFT, N3)).toEqual(['pass']);
    expect(results(alerted('refusing-contact', '2025-03-17'), ELFT, N3)).toEqual(['fail']);
    expect(results(alerted('lost-contact', '2025-03-14'), ELFT, N5)).toEqual(['pass']);
    expect(results(alerted('lost-contact', null), ELFT, N5, '2025-03-14')).toEqual(['not-applicable']);
    expect(results(alerted('lost-contact', null), ELFT, N5, '2025-03-17')).toEqual(['fail']);
  });
  it('cannot be evaluated without the date raised; other alerts are not concerned; not rules of LPT or Wales', () => {
    expect(findings(alerted('disengagement', null, null), ELFT, N4)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['flags[0].start'] });
    expect(results(alerted('high-risk', null), ELFT, N4)).toEqual(['not-applicable']);
    expect(findings(alerted('disengagement', null), LPT, N4)).toEqual([]);
    expect(findings(alerted('lost-contact', null), WALES, N5)).toEqual([]);
  });
});

describe('LPT-V8: the GP is told of each review', () => {
  const V8 = 'LPT-V8/gp-told-of-each-review';
  // A review held on 1 July 2025: 14 days on is 15 July.
  const reviewed = (gpCopy: { status: string; date?: string } | null) =>
    variant((x) => {
      x.reviews = [{ id: 'rv', plan: 'plan', trigger: 'scheduled', heldOn: '2025-07-01' }];
      const plan = x.plans![0]!;
      plan.copies = (plan.copies ?? []).filter((c) => c.recipientRole !== 'gp');
      if (gpCopy) plan.copies.push({ id: 'gp-copy', recipientRole: 'gp', recipient: { kind: 'organisation', id: 'gp' }, ...gpCopy } as never);
      if (plan.copies.length === 0) delete plan.copies;
    });
  it('a copy to the GP 14 days after the review passes, 15 days fails at the review; one before the review does not count', () => {
    expect(results(reviewed({ status: 'sent', date: '2025-07-15' }), LPT, V8)).toEqual(['pass']);
    expect(findings(reviewed({ status: 'sent', date: '2025-07-16' }), LPT, V8)[0]).toMatchObject({
      result: 'fail',
      location: 'reviews[0]',
      due: '2025-07-15',
      severity: 'warning',
    });
    expect(results(reviewed({ status: 'sent', date: '2025-06-30' }), LPT, V8)).toEqual(['fail']);
  });
  it('none: not yet due on 15 July, failing from 16 July; a GP copy with no date cannot be judged', () => {
    expect(results(reviewed(null), LPT, V8, '2025-07-15')).toEqual(['not-applicable']);
    expect(results(reviewed(null), LPT, V8, '2025-07-16')).toEqual(['fail']);
    const undated = reviewed({ status: 'sent' });
    const gpIndex = undated.plans![0]!.copies!.findIndex((c) => c.id === 'gp-copy');
    expect(findings(undated, LPT, V8)[0]).toMatchObject({ result: 'cannot-evaluate', location: 'reviews[0]', missing: [`plans[0].copies[${gpIndex}].date`] });
  });
  it('is not a rule of ELFT or Wales', () => {
    expect(findings(reviewed(null), ELFT, V8)).toEqual([]);
    expect(findings(reviewed(null), WALES, V8)).toEqual([]);
  });
});

describe('ELFT-A2: a care coordinator within 24 hours of referral for someone detained under section 2', () => {
  const A2 = 'ELFT-A2/coordinator-within-24-hours-when-detained-under-section-2';
  // Referred at 10:00 on Thursday 9 January 2025 while detained under section 2.
  const detained = (appointedOn: string | null, detention: { section: string; start?: string; end?: string } | null = { section: 's2', start: '2025-01-02' }) =>
    variant((x) => {
      x.episodes![0]!.referral = { receivedOn: '2025-01-09', receivedAt: '2025-01-09T10:00:00Z' };
      if (detention) x.episodes![0]!.inpatientStays = [{ id: 'stay', admittedOn: '2025-01-02', detentions: [detention as never] }];
      if (appointedOn) x.coordinatorAppointments![0]!.start = appointedOn;
      else delete x.coordinatorAppointments;
    });
  it('appointed on the day of referral passes; two days later fails at the referral; the next day depends on times not held', () => {
    expect(results(detained('2025-01-09'), ELFT, A2)).toEqual(['pass']);
    expect(findings(detained('2025-01-11'), ELFT, A2)[0]).toMatchObject({ result: 'fail', location: 'episodes[0].referral', severity: 'warning' });
    expect(findings(detained('2025-01-10'), ELFT, A2)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['coordinatorAppointments[0].start'] });
  });
  it('none appointed: not yet due on the day after referral, failing once 24 hours have certainly passed', () => {
    expect(results(detained(null), ELFT, A2, '2025-01-10')).toEqual(['not-applicable']);
    expect(results(detained(null), ELFT, A2, '2025-01-11')).toEqual(['fail']);
  });
  it('concerns only a section 2 detention in force on the day of referral; one with no start date cannot be judged', () => {
    expect(results(detained('2025-01-11', { section: 's3', start: '2025-01-02' }), ELFT, A2)).toEqual(['not-applicable']);
    expect(results(detained('2025-01-11', { section: 's2', start: '2025-01-02', end: '2025-01-08' }), ELFT, A2)).toEqual(['not-applicable']);
    expect(results(detained('2025-01-11', null), ELFT, A2)).toEqual(['not-applicable']);
    expect(findings(detained('2025-01-11', { section: 's2' }), ELFT, A2)[0]).toMatchObject({
      result: 'cannot-evaluate',
      missing: ['episodes[0].inpatientStays[0].detentions[0].start'],
    });
  });
  it('is not a rule of LPT or Wales', () => {
    expect(findings(detained('2025-01-11'), LPT, A2)).toEqual([]);
    expect(findings(detained('2025-01-11'), WALES, A2)).toEqual([]);
  });
});

describe('LPT-K9: why the person was not involved in a risk assessment is recorded', () => {
  const K9 = 'LPT-K9/reason-recorded-when-not-involved';
  const assessed = (involvement: object) =>
    variant((x) => {
      x.riskAssessments = [{ id: 'ra0', date: '2025-02-03', ...involvement }];
    });
  it('not involved with a reason passes; without one fails at the reason', () => {
    expect(results(assessed({ patientInvolved: false, notInvolvedReason: 'Too unwell to take part on the ward; to be revisited.' }), LPT, K9)).toEqual(['pass']);
    expect(findings(assessed({ patientInvolved: false }), LPT, K9)[0]).toMatchObject({
      result: 'fail',
      location: 'riskAssessments[0].notInvolvedReason',
      severity: 'warning',
    });
  });
  it('an assessment the person took part in, or one that does not say, is not concerned; not a rule of ELFT or Wales', () => {
    expect(results(assessed({ patientInvolved: true }), LPT, K9)).toEqual(['not-applicable']);
    expect(results(assessed({}), LPT, K9)).toEqual(['not-applicable']);
    expect(findings(assessed({ patientInvolved: false }), ELFT, K9)).toEqual([]);
    expect(findings(assessed({ patientInvolved: false }), WALES, K9)).toEqual([]);
  });
});

describe('ELFT-R7: the person rung on the day of referral, and tried again the next day', () => {
  const FIRST = 'ELFT-R7/rung-on-the-day-of-referral';
  const AGAIN = 'ELFT-R7/tried-again-the-next-day';
  // Received on Friday 7 March 2025: the next working day is Monday 10 March.
  const referred = (attempts: { at: string; method: string; reached?: boolean }[]) =>
    variant((x) => {
      x.episodes![0]!.referral = { receivedOn: '2025-03-07', ...(attempts.length > 0 ? { contactAttempts: attempts as never } : {}) };
      delete x.encounters;
    });
  it('rung at 23:30 on the day passes; a call after midnight (UK time) fails at the referral; a letter is not a call', () => {
    expect(results(referred([{ at: '2025-03-07T23:30:00Z', method: 'telephone', reached: true }]), ELFT, FIRST)).toEqual(['pass']);
    expect(findings(referred([{ at: '2025-03-08T00:30:00Z', method: 'telephone', reached: true }]), ELFT, FIRST)[0]).toMatchObject({
      result: 'fail',
      location: 'episodes[0].referral',
      due: '2025-03-07',
    });
    expect(results(referred([{ at: '2025-03-07', method: 'letter' }]), ELFT, FIRST)).toEqual(['fail']);
    expect(results(referred([]), ELFT, FIRST, '2025-03-07')).toEqual(['not-applicable']);
  });
  it('an unanswered call on the day: tried again on Monday passes, on Tuesday fails; a call that reached them needs no other', () => {
    const missed = { at: '2025-03-07T11:00:00Z', method: 'telephone', reached: false };
    expect(results(referred([missed, { at: '2025-03-10T09:00:00Z', method: 'telephone', reached: false }]), ELFT, AGAIN)).toEqual(['pass']);
    expect(results(referred([missed, { at: '2025-03-11T09:00:00Z', method: 'sms' }]), ELFT, AGAIN)).toEqual(['fail']);
    expect(results(referred([missed]), ELFT, AGAIN, '2025-03-10')).toEqual(['not-applicable']);
    expect(results(referred([{ ...missed, reached: true }]), ELFT, AGAIN)).toEqual(['not-applicable']);
  });
  it('cannot be judged when whether the call on the day reached the person is not recorded; not a rule of LPT or Wales', () => {
    expect(findings(referred([{ at: '2025-03-07T11:00:00Z', method: 'telephone' }]), ELFT, AGAIN)[0]).toMatchObject({
      result: 'cannot-evaluate',
      missing: ['episodes[0].referral.contactAttempts[0].reached'],
    });
    expect(findings(referred([]), LPT, FIRST)).toEqual([]);
    expect(findings(referred([]), WALES, AGAIN)).toEqual([]);
  });
});

describe('ELFT-R3, R4, R5: a referral triaged by the manager and the consultant, logged and its rationale recorded within 24 hours', () => {
  const R3 = 'ELFT-R3/triaged-by-manager-and-consultant';
  const R4 = 'ELFT-R4/logged-within-24-hours';
  const R5 = 'ELFT-R5/triage-rationale-within-24-hours';
  // Received at 10:00 UK time on Saturday 29 March 2025; the clocks go forward at 01:00 UTC on Sunday 30 March.
  const referral = (extra: object) =>
    variant((x) => {
      x.episodes![0]!.referral = { receivedOn: '2025-03-29', receivedAt: '2025-03-29T10:00:00Z', ...extra };
    });
  it('logged across the spring clock change: 11:00 BST the next day is 24 hours and passes, 11:01 fails; no logging time cannot be judged', () => {
    expect(results(referral({ loggedAt: '2025-03-30T11:00:00+01:00' }), ELFT, R4)).toEqual(['pass']);
    expect(findings(referral({ loggedAt: '2025-03-30T11:01:00+01:00' }), ELFT, R4)[0]).toMatchObject({ result: 'fail', location: 'episodes[0].referral' });
    expect(findings(referral({}), ELFT, R4)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].referral.loggedAt'] });
  });
  it('the triage rationale within 24 hours of the triage: 24 hours passes, 24 and a minute fails, none fails once due', () => {
    const triage = (rationaleRecordedAt?: string) =>
      referral({ triage: { at: '2025-04-01T09:00:00+01:00', by: ['team-manager', 'psychiatrist'], ...(rationaleRecordedAt ? { rationaleRecordedAt } : {}) } });
    expect(results(triage('2025-04-02T09:00:00+01:00'), ELFT, R5)).toEqual(['pass']);
    expect(results(triage('2025-04-02T09:01:00+01:00'), ELFT, R5)).toEqual(['fail']);
    expect(results(triage(), ELFT, R5, '2025-04-02')).toEqual(['not-applicable']);
    expect(results(triage(), ELFT, R5, '2025-04-03')).toEqual(['fail']);
    expect(results(referral({}), ELFT, R5)).toEqual(['not-applicable']);
    expect(findings(referral({ triage: { by: ['team-manager'] } }), ELFT, R5)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].referral.triage.at'] });
  });
  it('triaged by the team manager and the consultant passes; without the consultant fails naming them; not recorded cannot be judged', () => {
    expect(results(referral({ triage: { by: ['team-manager', 'psychiatrist'] } }), ELFT, R3)).toEqual(['pass']);
    const without = findings(referral({ triage: { by: ['team-manager', 'care-coordinator'] } }), ELFT, R3)[0]!;
    expect(without).toMatchObject({ result: 'fail', location: 'episodes[0].referral.triage.by' });
    expect(without.message).toContain('psychiatrist');
    expect(findings(referral({}), ELFT, R3)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].referral.triage'] });
  });
  it('are not rules of LPT or Wales', () => {
    expect(findings(referral({}), LPT, R3)).toEqual([]);
    expect(findings(referral({}), WALES, R4)).toEqual([]);
  });
});

describe('LPT-V18: an advance statement of wishes offered at each review', () => {
  const V18 = 'LPT-V18/advance-statement-offered-at-review';
  const reviewed = (advanceStatement: { offered: boolean; decision?: 'made' | 'declined' } | null, heldOn = '2025-07-01') =>
    variant((x) => {
      x.reviews = [{ id: 'rv', plan: 'plan', trigger: 'scheduled', heldOn, ...(advanceStatement ? { advanceStatement } : {}) }];
    });
  it('offered with the decision recorded passes; not offered, or offered without the decision, fails at the review', () => {
    expect(results(reviewed({ offered: true, decision: 'declined' }), LPT, V18)).toEqual(['pass']);
    expect(findings(reviewed({ offered: false }), LPT, V18)[0]).toMatchObject({ result: 'fail', location: 'reviews[0].advanceStatement', severity: 'warning' });
    expect(results(reviewed({ offered: true }), LPT, V18)).toEqual(['fail']);
  });
  it('not recorded cannot be judged; a review not yet held is not concerned; not a rule of ELFT or Wales', () => {
    expect(findings(reviewed(null), LPT, V18)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['reviews[0].advanceStatement'] });
    expect(results(reviewed(null, '2025-12-02'), LPT, V18)).toEqual(['not-applicable']);
    expect(findings(reviewed({ offered: false }), ELFT, V18)).toEqual([]);
    expect(findings(reviewed({ offered: false }), WALES, V18)).toEqual([]);
  });
});

describe('LPT-A13: a joint visit when the change of coordinator is planned', () => {
  const A13 = 'LPT-A13/joint-visit-on-planned-change';
  // The first coordinator (cc) hands over to cc2 on 1 April 2025: 4 weeks either side is 4 March to 29 April.
  const handover = (planned: boolean | undefined, visitOn: string | null, withOutgoing = true) =>
    variant((x) => {
      changeCoordinator(x, planned === undefined ? {} : { changePlanned: planned });
      x.encounters = visitOn
        ? [
            {
              id: 'joint',
              status: 'finished',
              start: visitOn,
              mode: 'face-to-face',
              practitioner: 'cc2',
              participants: [{ role: 'care-coordinator', practitioner: withOutgoing ? 'cc' : 'cc2', attended: true }],
            },
          ]
        : [];
      if (!visitOn) delete x.encounters;
    });
  it('a joint visit 4 weeks after passes, a day later fails at the new appointment; 4 weeks before passes', () => {
    expect(results(handover(true, '2025-04-29'), LPT, A13)).toEqual(['pass']);
    expect(findings(handover(true, '2025-04-30'), LPT, A13)[0]).toMatchObject({
      result: 'fail',
      location: 'coordinatorAppointments[1]',
      due: '2025-04-29',
      severity: 'warning',
    });
    expect(results(handover(true, '2025-03-04'), LPT, A13)).toEqual(['pass']);
    expect(results(handover(true, '2025-03-03'), LPT, A13)).toEqual(['fail']);
  });
  it('a visit by the new coordinator alone is not joint; none: not yet due until 29 April', () => {
    expect(results(handover(true, '2025-04-10', false), LPT, A13)).toEqual(['fail']);
    expect(results(handover(true, null), LPT, A13, '2025-04-29')).toEqual(['not-applicable']);
    expect(results(handover(true, null), LPT, A13, '2025-04-30')).toEqual(['fail']);
  });
  it('an unplanned change is not concerned; one not said to be planned or not cannot be judged; not a rule of ELFT or Wales', () => {
    expect(results(handover(false, null), LPT, A13)).toEqual(['not-applicable']);
    expect(findings(handover(undefined, null), LPT, A13)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['coordinatorAppointments[1].changePlanned'] });
    expect(findings(handover(true, null), ELFT, A13)).toEqual([]);
    expect(findings(handover(true, null), WALES, A13)).toEqual([]);
  });
});

describe('LPT-K2: a stay with no discharge date', () => {
  const K2 = 'LPT-K2/risk-reviewed-weekly-in-hospital';
  it('ends at the latest with its episode, so weeks after the episode closed are not counted against it', () => {
    const open = withRisks(['2025-03-08', '2025-03-15'], (x) => {
      x.episodes![0]!.inpatientStays = [{ id: 's', admittedOn: '2025-03-01' }];
      x.episodes![0]!.status = 'finished';
      x.episodes![0]!.discharge = { date: '2025-03-20', kind: 'full' };
    });
    expect(results(open, LPT, K2)).toEqual(['pass']);
  });
  it('counts only assessments of its own episode (or of none)', () => {
    const other = withRisks(['2025-03-08', '2025-03-15'], (x) => {
      x.episodes![0]!.inpatientStays = [{ id: 's', admittedOn: '2025-03-01', dischargedOn: '2025-03-20' }];
      x.riskAssessments![1]!.episode = 'another-episode';
    });
    expect(findings(other, LPT, K2)[0]).toMatchObject({ result: 'fail', location: 'episodes[0].inpatientStays[0]' });
  });
});

describe('ELFT-V5 and LPT-M2: section 117 eligibility considered at reviews after a detention that brings it', () => {
  const V5 = 'ELFT-V5/section-117-reviewed-at-review';
  const M2 = 'LPT-M2/section-117-reviewed-at-review';
  const reviewed = (section: string | null, considered: boolean | null, heldOn = '2025-07-01') =>
    variant((x) => {
      if (section)
        x.episodes![0]!.inpatientStays = [
          { id: 'stay', admittedOn: '2025-03-01', dischargedOn: '2025-04-01', detentions: [{ section: section as never, start: '2025-03-01' }] },
        ];
      x.reviews = [{ id: 'rv', plan: 'plan', trigger: 'scheduled', heldOn, ...(considered === null ? {} : { section117Reviewed: considered }) }];
    });
  it('after a section 3 detention: considered passes, not considered fails at the review, not recorded cannot be judged', () => {
    expect(results(reviewed('s3', true), ELFT, V5)).toEqual(['pass']);
    expect(findings(reviewed('s3', false), ELFT, V5)[0]).toMatchObject({ result: 'fail', location: 'reviews[0].section117Reviewed', severity: 'warning' });
    expect(findings(reviewed('s37-41', null), LPT, M2)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['reviews[0].section117Reviewed'] });
  });
  it('a section 2 detention, none, or a review before the detention is not concerned', () => {
    expect(results(reviewed('s2', false), ELFT, V5)).toEqual(['not-applicable']);
    expect(results(reviewed(null, false), LPT, M2)).toEqual(['not-applicable']);
    expect(results(reviewed('s3', false, '2025-02-01'), ELFT, V5)).toEqual(['not-applicable']);
  });
  it('is a rule of both English packs under its own row, and not of Wales', () => {
    expect(results(reviewed('s3', false), LPT, M2)).toEqual(['fail']);
    expect(findings(reviewed('s3', false), LPT, V5)).toEqual([]);
    expect(findings(reviewed('s3', false), WALES, V5)).toEqual([]);
  });
});
