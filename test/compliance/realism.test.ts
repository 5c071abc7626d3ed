/**
 * The record holds what the source holds, mistakes included, and the rules judge it (issue 11,
 * point 1): every value a real EPR may hold is accepted by the schema and reported by its rule at
 * the rule's force. Every person here is invented.
 */
import { describe, expect, it } from 'vitest';
import { findingIssue } from '../../src/compliance/outcome.js';
import { type CtpRecord, recordSchema } from '../../src/record/record.schema.js';
import { coordinatorProfessions, eligibleCoordinatorProfessions, part3Requesters, validPart3Requesters } from '../../src/record/vocabulary.js';
import { compliantRecord, findingsOf, formerUser, resultsOf, variant } from './helpers.js';

type Request = NonNullable<CtpRecord['part3Requests']>[number];
type Eligibility = NonNullable<Request['eligibility']>;

describe('CoP-P2-13 a coordinator of any profession is recorded, and an ineligible one fails', () => {
  const key = 'CoP-P2-13/eligible-profession';
  const ineligible = coordinatorProfessions.filter((p) => !eligibleCoordinatorProfessions.includes(p));
  it('the vocabulary holds professions beyond the nine eligible ones', () => {
    expect(ineligible).toEqual(expect.arrayContaining(['nurse-adult', 'support-worker', 'healthcare-assistant', 'other']));
  });
  it.each(ineligible)('fails as an error for %s, whatever the registration', (profession) => {
    const r = variant((x) => Object.assign(x.coordinatorAppointments![0]!, { profession, ...(profession === 'other' ? { professionText: 'Peer mentor' } : {}) }));
    const [finding] = findingsOf(r, key);
    expect(finding).toMatchObject({ result: 'fail', severity: 'error', location: 'coordinatorAppointments[0].profession' });
    expect(finding!.message).toMatch(
      /^The care coordinator appointed at coordinatorAppointments\[0\] is recorded as .+, which is not a profession eligible to act as care coordinator\.$/,
    );
    expect(finding!.message).not.toContain('Peer mentor');
  });
  it('fails an adult nurse even without a registration (not cannot-evaluate)', () => {
    const r = variant((x) => {
      x.coordinatorAppointments![0]!.profession = 'nurse-adult';
      delete x.practitioners![0]!.registration;
    });
    expect(findingsOf(r, key)[0]!.message).toBe(
      'The care coordinator appointed at coordinatorAppointments[0] is recorded as adult nurse, which is not a profession eligible to act as care coordinator.',
    );
  });
  it('fails a temporary coordinator of an ineligible profession too (3.14)', () => {
    const r = variant((x) =>
      x.coordinatorAppointments!.push({ id: 't', practitioner: 'cc2', profession: 'support-worker', start: '2025-03-01', end: '2025-03-10', temporary: true, covers: 'appt' }),
    );
    expect(findingsOf(r, key).map((f) => [f.result, f.location])).toEqual([
      ['pass', 'coordinatorAppointments[0]'],
      ['fail', 'coordinatorAppointments[1].profession'],
    ]);
  });
  it('names the appointment as the subject when one practitioner holds two appointments without a registration', () => {
    const r = variant((x) => {
      delete x.practitioners![0]!.registration;
      Object.assign(x.coordinatorAppointments![0]!, { end: '2025-02-28', endReason: 'replaced' });
      x.coordinatorAppointments!.push({ id: 'appt2', practitioner: 'cc', profession: 'nurse-mental-health', appointingBody: 'lhb', episode: 'ep', start: '2025-03-01' });
    });
    expect(findingsOf(r, key).map((f) => [f.location, f.subject])).toEqual([
      ['practitioners[0].registration', 'coordinatorAppointments[0]'],
      ['practitioners[0].registration', 'coordinatorAppointments[1]'],
    ]);
  });
});

describe('CoP-P2-34 a plan with both agreement statements marked is recorded and reported', () => {
  const key = 'CoP-P2-34/one-agreement-statement';
  const statement = (s: 'agreed-s18-2' | 'not-agreed-s18-6' | 'both-marked') => variant((r) => (r.plans![0]!.agreement = { statement: s, reasons: 'R' }));
  it('passes one statement, either way', () => {
    expect(resultsOf(statement('agreed-s18-2'), key)).toEqual(['pass']);
    expect(resultsOf(statement('not-agreed-s18-6'), key)).toEqual(['pass']);
  });
  it('fails both as an error, naming the plan version', () => {
    expect(findingsOf(statement('both-marked'), key)[0]).toMatchObject({
      result: 'fail',
      severity: 'error',
      location: 'plans[0].agreement.statement',
      message: 'Plan version 1 (plans[0]): Both agreement statements are marked, so the plan does not say whether it was agreed with the person.',
    });
    expect(resultsOf(statement('both-marked'), 'CoP-P2-34/agreement-statement')).toEqual(['pass']);
  });
  it('does not apply when no statement is recorded (agreement-statement reports that)', () => {
    const none = variant((r) => delete r.plans![0]!.agreement);
    expect(resultsOf(none, key)).toEqual(['not-applicable']);
    expect(resultsOf(none, 'CoP-P2-34/agreement-statement')).toEqual(['fail']);
  });
});

describe('CoP-P2-44 information sharing may be "not ascertainable"', () => {
  const key = 'CoP-P2-44/information-sharing-agreed';
  it('accepts it as a recorded status, which the rule counts as recorded', () => {
    expect(
      resultsOf(
        variant((r) => (r.patient!.informationSharing = { status: 'not-ascertainable', recordedOn: '2025-01-20' })),
        key,
      ),
    ).toEqual(['pass']);
    expect(
      resultsOf(
        variant((r) => delete r.patient!.informationSharing),
        key,
      ),
    ).toEqual(['fail']);
  });
});

/** A former user, discharged on 2022-06-01, asking on 2025-05-01 (helpers.ts). */
const former = (request: Partial<Request>) => formerUser({ status: 'received', ...request });

describe('CoP-P3-02 a request from someone who cannot make one is recorded and reported', () => {
  const key = 'CoP-P3-02/valid-requester';
  const invalid = part3Requesters.filter((r) => !validPart3Requesters.includes(r));
  it.each(validPart3Requesters)('passes a request made by %s', (requester) => {
    expect(resultsOf(former({ requester }), key, '2025-07-01')).toEqual(['pass']);
  });
  it.each(invalid)('fails as an error a request made by %s', (requester) => {
    const [finding] = findingsOf(former({ requester }), key, '2025-07-01');
    expect(finding).toMatchObject({ result: 'fail', severity: 'error', location: 'part3Requests[0].requester' });
    expect(finding!.message).toContain('not a valid request under the Measure');
  });
  it('the carer’s request is valid input, names the carer by role, and no Part 3 clock runs for it', () => {
    const r = former({ requester: 'carer', requesterPerson: 'carer' });
    expect(recordSchema.safeParse(r).success).toBe(true);
    expect(findingsOf(r, key, '2025-07-01')[0]!.message).toMatch(/^The request at part3Requests\[0\] was made by a carer;/);
    // Received 2025-05-01 with no assessment: a valid request fails CoP-P3-12 by July; this one is not a Part 3 request.
    expect(resultsOf(former({}), 'CoP-P3-12/response-time', '2025-07-01')).toEqual(['fail']);
    expect(resultsOf(r, 'CoP-P3-12/response-time', '2025-07-01')).toEqual(['not-applicable']);
  });
});

describe('CoP-P3-10 a frivolous or vexatious finding records who decided and that the grounds were given', () => {
  const fv = (eligibility: Partial<Eligibility>) =>
    former({ status: 'declined', eligibility: { decision: 'ineligible', frivolousOrVexatious: true, reason: 'Grounds', decidedOn: '2025-05-02', ...eligibility } });
  it('refusal-recorded passes with grounds, date and decision maker; fails without the decision maker', () => {
    const key = 'CoP-P3-10/refusal-recorded';
    expect(resultsOf(fv({ decidedBy: 'cc' }), key, '2025-07-01')).toEqual(['pass']);
    expect(findingsOf(fv({}), key, '2025-07-01')[0]).toMatchObject({
      result: 'fail',
      severity: 'error',
      location: 'part3Requests[0].eligibility.decidedBy',
      message: 'The decision that the request is frivolous or vexatious at part3Requests[0] is recorded without who decided.',
    });
  });
  it('refusal-recorded names everything missing, and does not ask an ordinary refusal for a decision maker', () => {
    const key = 'CoP-P3-10/refusal-recorded';
    expect(findingsOf(fv({ reason: undefined, decidedOn: undefined }), key, '2025-07-01')[0]!.message).toBe(
      'The decision that the request is frivolous or vexatious at part3Requests[0] is recorded without its grounds, its date and who decided.',
    );
    expect(resultsOf(former({ eligibility: { decision: 'ineligible', reason: 'Not discharged', decidedOn: '2025-05-02' } }), key, '2025-07-01')).toEqual(['pass']);
  });
  it('grounds-given passes when the person was told, warns when not, and does not apply to other refusals', () => {
    const key = 'CoP-P3-10/grounds-given';
    expect(resultsOf(fv({ decidedBy: 'cc', groundsGivenOn: '2025-05-03' }), key, '2025-07-01')).toEqual(['pass']);
    expect(findingsOf(fv({ decidedBy: 'cc' }), key, '2025-07-01')[0]).toMatchObject({
      result: 'fail',
      severity: 'warning',
      location: 'part3Requests[0].eligibility.groundsGivenOn',
    });
    expect(resultsOf(former({ eligibility: { decision: 'ineligible', reason: 'R', decidedOn: '2025-05-02' } }), key, '2025-07-01')).toEqual(['not-applicable']);
  });
});

describe('CoP-P3-13 whether services were identified may be unrecorded', () => {
  const key = 'CoP-P3-13/services-identified-stated';
  const report = (servicesIdentified: boolean | undefined) =>
    former({
      status: 'completed',
      assessment: { startedOn: '2025-05-10', concludedOn: '2025-05-16', assessor: 'cc' },
      report: { providedOn: '2025-05-20', method: 'hand', ...(servicesIdentified === undefined ? {} : { servicesIdentified }) },
    });
  it('passes either answer', () => {
    expect(resultsOf(report(true), key, '2025-07-01')).toEqual(['pass']);
    expect(resultsOf(report(false), key, '2025-07-01')).toEqual(['pass']);
  });
  it('cannot be evaluated (a warning) when the record does not hold it', () => {
    expect(findingsOf(report(undefined), key, '2025-07-01')[0]).toMatchObject({
      result: 'cannot-evaluate',
      severity: 'warning',
      location: 'part3Requests[0].report.servicesIdentified',
    });
  });
  it('does not apply before a report', () => {
    expect(resultsOf(former({}), key, '2025-07-01')).toEqual(['not-applicable']);
  });
});

describe('a Part 3 report recorded without how it was delivered', () => {
  // Concluded Friday 2025-05-16: the 10th working day is Monday 2025-06-02 (26 May is a bank holiday).
  const sent = (providedOn: string) =>
    former({ status: 'completed', assessment: { startedOn: '2025-05-10', concludedOn: '2025-05-16', assessor: 'cc' }, report: { providedOn, servicesIdentified: false } });
  it('CoP-P3-14 cannot tell a report sent in time (on the last day) from one that does not count', () => {
    expect(findingsOf(sent('2025-06-02'), 'CoP-P3-14/report-within-10-working-days', '2025-07-01')[0]).toMatchObject({
      result: 'cannot-evaluate',
      missing: ['part3Requests[0].report.method'],
    });
  });
  it('CoP-P3-14 fails one sent a day late, however it went', () => {
    expect(findingsOf(sent('2025-06-03'), 'CoP-P3-14/report-within-10-working-days', '2025-07-01')[0]).toMatchObject({ result: 'fail', due: '2025-06-02' });
  });
  it('CoP-P3-15 cannot evaluate how it went', () => {
    expect(findingsOf(sent('2025-05-20'), 'CoP-P3-15/report-method', '2025-07-01')[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['how the report was delivered'] });
  });
});

describe('CoP-P3-15 a report sent by email is recorded and fails', () => {
  it.each(['email', 'portal', 'other', 'fax', 'other-agreed'] as const)('fails %s', (method) => {
    const r = former({
      status: 'completed',
      assessment: { concludedOn: '2025-05-16', assessor: 'cc' },
      report: { providedOn: '2025-05-20', method, servicesIdentified: true },
    });
    expect(findingsOf(r, 'CoP-P3-15/report-method', '2025-07-01')[0]).toMatchObject({ result: 'fail', severity: 'error' });
  });
});

describe('one finding per first plan and per first appointment, however many episodes share them', () => {
  /** The health board's and the council's episodes of the same care, accepted the same day; the appointment and plan name neither. */
  const twoBodies = (change: (r: CtpRecord) => void = () => {}) =>
    variant((r) => {
      r.episodes!.push({ id: 'ep-la', status: 'active', acceptedOn: '2025-01-06', responsibleBodies: ['la'] });
      delete r.coordinatorAppointments![0]!.episode;
      delete r.plans![0]!.episode;
      change(r);
    });
  it('CoP-P2-47 judges the shared first plan once', () => {
    const late = twoBodies((r) => Object.assign(r.plans![0]!, { madeOn: '2025-03-01', completedOn: '2025-03-01' }));
    const found = findingsOf(late, 'CoP-P2-47/first-plan-within-6-weeks');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ result: 'fail', location: 'plans[0]' });
    expect(found[0]!.message).toBe(
      'The first care and treatment plan, plan version 1 (plans[0]), was made 50 days after the care coordinator was appointed; the limit is 6 weeks.',
    );
    expect(resultsOf(twoBodies(), 'CoP-P2-47/first-plan-within-6-weeks')).toEqual(['pass']);
  });
  it('CoP-P2-11 judges the shared first appointment once', () => {
    expect(resultsOf(twoBodies(), 'CoP-P2-11/appointed-within-14-days')).toEqual(['pass']);
  });
  it('one coordinator acts for the person (3.3): an appointment under the health board’s episode serves the council’s too', () => {
    const linked = variant((r) => r.episodes!.push({ id: 'ep-la', status: 'active', acceptedOn: '2025-01-06', responsibleBodies: ['la'] }));
    expect(findingsOf(linked, 'CoP-P2-11/appointed-within-14-days').map((f) => [f.result, f.location])).toEqual([['pass', 'coordinatorAppointments[0]']]);
    expect(findingsOf(linked, 'CoP-P2-47/first-plan-within-6-weeks').map((f) => [f.result, f.location])).toEqual([['pass', 'plans[0]']]);
  });
  it('an episode during which no coordinator was appointed at all still fails', () => {
    const none = variant((r) => {
      r.episodes!.push({ id: 'ep-la', status: 'active', acceptedOn: '2025-03-01', responsibleBodies: ['la'] });
      Object.assign(r.coordinatorAppointments![0]!, { end: '2025-02-20', endReason: 'replaced' });
    });
    expect(
      findingsOf(none, 'CoP-P2-11/appointed-within-14-days')
        .filter((f) => f.location === 'episodes[1]')
        .map((f) => f.result),
    ).toEqual(['fail']);
  });
});

describe('ELFT-F1 two gaps between face-to-face contacts in one episode are two findings', () => {
  it('places each gap where it closed: at the late contact, or at the episode when still open', () => {
    const r = variant((x) => x.encounters!.push({ id: 'e2', kind: 'contact', status: 'finished', start: '2025-04-15', mode: 'face-to-face', episode: 'ep' }));
    const found = findingsOf(r, 'ELFT-F1/face-to-face-monthly', '2025-06-01', 'luton-bedfordshire-elft');
    expect(found.map((f) => [f.result, f.location, f.message])).toEqual([
      ['fail', 'encounters[1]', 'This face-to-face contact came more than 1 month after the previous one.'],
      ['fail', 'episodes[0]', 'No face-to-face contact for more than 1 month up to the evaluation date.'],
    ]);
  });
});

describe('consultees are named by role and place in the record', () => {
  it('CoP-P2-41 tells two people with parental responsibility apart', () => {
    const r = variant((x) => {
      x.relatedPeople!.push({ id: 'p1', name: { text: 'Parent One' }, roles: ['parental-responsibility'] });
      x.relatedPeople!.push({ id: 'p2', name: { text: 'Parent Two' }, roles: ['parental-responsibility'] });
    });
    const fails = findingsOf(r, 'CoP-P2-41/consultees-consulted').filter((f) => f.result === 'fail');
    expect(fails.map((f) => f.message)).toEqual([
      'The person with parental responsibility (relatedPeople[1]) was not consulted on plan version 1 (plans[0]), and no reason is recorded.',
      'The person with parental responsibility (relatedPeople[2]) was not consulted on plan version 1 (plans[0]), and no reason is recorded.',
    ]);
    expect(fails.map((f) => f.subject)).toEqual(['relatedPeople[1]', 'relatedPeople[2]']);
  });
});

describe('a review asked for by someone the Code does not name, or held for another reason, is recorded', () => {
  const requested = (requestedBy: 'other' | 'care-team-member' | 'carer') =>
    variant((r) => {
      r.reviews = [
        {
          id: 'rv',
          plan: 'plan',
          trigger: 'other',
          request: { receivedOn: '2025-03-01', requestedBy, decision: 'refused-other', decisionReason: 'R', decidedOn: '2025-03-02', explanationSentOn: '2025-03-03' },
        },
      ];
    });
  it('CoP-P2-69 judges only requests from the person or a carer, naming the requester in words', () => {
    const key = 'CoP-P2-69/patient-carer-request';
    expect(resultsOf(requested('other'), key)).toEqual(['not-applicable']);
    expect(findingsOf(requested('carer'), key)[0]).toMatchObject({
      result: 'fail',
      message: 'A review requested by a carer was refused at reviews[0]; such a request cannot be refused on this ground.',
    });
  });
  it('CoP-P2-68 does not take someone else for a provider', () => {
    expect(resultsOf(requested('other'), 'CoP-P2-68/provider-request-held')).toEqual(['not-applicable']);
  });
});

describe('a Part 3 request known only by its date is recorded, and judged as far as the date allows (CoP-P3-12)', () => {
  const key = 'CoP-P3-12/response-time';
  const onDay = (receivedAt: string, priority: 'emergency' | 'urgent' | 'routine', startedOn?: string, start?: string) =>
    variant(
      (r) => {
        if (start) r.encounters = [{ id: 'as', kind: 'assessment', status: 'finished', start }];
      },
      former({ receivedAt, priority, ...(startedOn ? { assessment: { startedOn } } : {}) }),
    );
  it('routine: 28 days counted from the date, the 28th day on time and the 29th late', () => {
    expect(resultsOf(onDay('2025-05-01', 'routine', '2025-05-29'), key, '2025-07-01')).toEqual(['pass']);
    expect(findingsOf(onDay('2025-05-01', 'routine', '2025-05-30'), key, '2025-07-01')[0]).toMatchObject({ result: 'fail', due: '2025-05-29' });
  });
  it('urgent (48 hours): a start on the next day is in time whenever the request came; two days later, late either way; in between, not known', () => {
    expect(resultsOf(onDay('2025-05-01', 'urgent', '2025-05-02'), key, '2025-07-01')).toEqual(['pass']);
    expect(findingsOf(onDay('2025-05-01', 'urgent', '2025-05-04'), key, '2025-07-01')[0]).toMatchObject({ result: 'fail', due: '2025-05-03' });
    const unknown = findingsOf(onDay('2025-05-01', 'urgent', '2025-05-03'), key, '2025-07-01')[0]!;
    expect(unknown).toMatchObject({ result: 'cannot-evaluate', missing: ['part3Requests[0].receivedAt (the time of day)', 'the time the assessment started'] });
  });
  it('emergency (4 hours), to the hour: a start by 04:00 on the day is in time, one from 04:00 the next day is late, anything between is not known', () => {
    expect(resultsOf(onDay('2025-05-01', 'emergency', undefined, '2025-05-01T04:00:00+01:00'), key, '2025-07-01')).toEqual(['pass']);
    expect(resultsOf(onDay('2025-05-01', 'emergency', undefined, '2025-05-01T04:00:01+01:00'), key, '2025-07-01')).toEqual(['cannot-evaluate']);
    expect(resultsOf(onDay('2025-05-01', 'emergency', undefined, '2025-05-02T03:59:59+01:00'), key, '2025-07-01')).toEqual(['cannot-evaluate']);
    expect(resultsOf(onDay('2025-05-01', 'emergency', undefined, '2025-05-02T04:00:00+01:00'), key, '2025-07-01')).toEqual(['fail']);
    expect(resultsOf(onDay('2025-05-01', 'emergency', undefined, '2025-05-01T12:00:00+01:00'), key, '2025-07-01')).toEqual(['cannot-evaluate']);
  });
  it('counts the day in Wales across the clock change: a request dated 2025-03-30 (clocks go forward at 01:00 UTC) is due by 05:00 BST at the earliest', () => {
    // Midnight in Wales on 30 March is 00:00 UTC (still GMT); 4 hours on is 04:00 UTC, 05:00 BST.
    expect(resultsOf(onDay('2025-03-30', 'emergency', undefined, '2025-03-30T05:00:00+01:00'), key, '2025-07-01')).toEqual(['pass']);
    expect(resultsOf(onDay('2025-03-30', 'emergency', undefined, '2025-03-30T05:00:01+01:00'), key, '2025-07-01')).toEqual(['cannot-evaluate']);
    // The day ends at 23:00 UTC (midnight BST): a request in its last second is due 4 hours on, just before 04:00 BST on the 31st.
    expect(resultsOf(onDay('2025-03-30', 'emergency', undefined, '2025-03-31T03:59:59+01:00'), key, '2025-07-01')).toEqual(['cannot-evaluate']);
    expect(resultsOf(onDay('2025-03-30', 'emergency', undefined, '2025-03-31T04:00:00+01:00'), key, '2025-07-01')).toEqual(['fail']);
  });
  it('is not yet due, then fails, when nothing has started', () => {
    expect(resultsOf(onDay('2025-05-01', 'urgent'), key, '2025-05-03')).toEqual(['not-applicable']);
    expect(resultsOf(onDay('2025-05-01', 'urgent'), key, '2025-05-04')).toEqual(['fail']);
  });
});

describe('the subject travels with the finding into its OperationOutcome issue', () => {
  it('as a "subject" part of the compliance-finding extension, beside the location', () => {
    const r = variant((x) => x.relatedPeople!.push({ id: 'p1', name: { text: 'Parent One' }, roles: ['parental-responsibility'] }));
    const fail = findingsOf(r, 'CoP-P2-50/copies-to-recipients').find((f) => f.result === 'fail')!;
    const issue = findingIssue(fail);
    expect(issue.expression).toEqual(['plans[0].copies']);
    expect(issue.extension![0]!.extension).toContainEqual({ url: 'subject', valueString: 'relatedPeople[1]' });
    expect(JSON.stringify(issue)).not.toContain('Parent One');
  });
});

describe('the compliant record stays compliant', () => {
  it('passes every new check', () => {
    const r = compliantRecord();
    expect(resultsOf(r, 'CoP-P2-34/one-agreement-statement')).toEqual(['pass']);
    expect(resultsOf(r, 'CoP-P2-13/eligible-profession')).toEqual(['pass']);
  });
});
