import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/errors.js';
import { checkIntegrity, indexRecord } from '../../src/record/integrity.js';
import { parseRecord } from '../../src/record/parse-record.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { minimalRecord } from '../helpers/minimal-record.js';

/** The item at `i` of a list the minimal record is known to have. */
function at<T>(items: T[] | undefined, i = 0): T {
  const item = items?.[i];
  if (item === undefined) throw new Error(`fixture has no item ${i}`);
  return item;
}

const plan = (r: CtpRecord, i = 0) => at(r.plans, i);
const outcome = (r: CtpRecord) => at(plan(r).outcomes);
const action = (r: CtpRecord) => at(outcome(r).actions);
const appointment = (r: CtpRecord) => at(r.coordinatorAppointments);
const episode = (r: CtpRecord) => at(r.episodes);
const review = (r: CtpRecord) => at(r.reviews);
const encounter = (r: CtpRecord) => at(r.encounters);

/** A second version of the minimal plan, with fresh outcome, action and copy ids. */
function addVersion2(r: CtpRecord): NonNullable<CtpRecord['plans']> {
  const v2 = structuredClone(plan(r));
  v2.id = 'plan-v2';
  v2.version = 2;
  at(v2.outcomes).id = 'o1-v2';
  at(at(v2.outcomes).actions).id = 'a1-v2';
  at(v2.copies).id = 'c1-v2';
  r.plans = [plan(r), v2];
  return r.plans;
}

function withStay(r: CtpRecord): NonNullable<ReturnType<typeof episode>['inpatientStays']>[number] {
  const stay: NonNullable<ReturnType<typeof episode>['inpatientStays']>[number] = {
    id: 'stay',
    admittedOn: '2025-03-01',
    dischargedOn: '2025-03-20',
    followUpContactOn: '2025-03-24',
  };
  episode(r).inpatientStays = [stay];
  return stay;
}

function withPart3(r: CtpRecord): NonNullable<CtpRecord['part3Requests']>[number] {
  const request: NonNullable<CtpRecord['part3Requests']>[number] = {
    id: 'p3',
    receivedAt: '2025-05-01T10:00:00Z',
    requester: 'donee',
    requesterPerson: 'carer',
    status: 'completed',
    localAuthority: 'la',
    assessment: { startedOn: '2025-05-10', concludedOn: '2025-05-12', assessor: 'cc', partner: 'lhb' },
  };
  r.part3Requests = [request];
  return request;
}

interface Case {
  readonly rule: string;
  readonly expression: string;
  readonly code: OperationOutcomeIssue['code'];
  readonly mutate: (r: CtpRecord) => void;
}

const cases: Case[] = [
  // ids unique within each collection
  {
    rule: 'organisation ids are unique',
    expression: 'organisations[3].id',
    code: 'duplicate',
    mutate: (r) => void r.organisations?.push({ id: 'lhb', kind: 'other', name: 'Other' }),
  },
  {
    rule: 'practitioner ids are unique',
    expression: 'practitioners[1].id',
    code: 'duplicate',
    mutate: (r) => void r.practitioners?.push({ id: 'cc', name: { family: 'Other' } }),
  },
  {
    rule: 'related person ids are unique',
    expression: 'relatedPeople[1].id',
    code: 'duplicate',
    mutate: (r) => void r.relatedPeople?.push({ id: 'carer', name: { family: 'Other' }, roles: ['carer'] }),
  },
  {
    rule: 'care team ids are unique',
    expression: 'careTeam[1].id',
    code: 'duplicate',
    mutate: (r) => void r.careTeam?.push({ ...at(r.careTeam) }),
  },
  {
    rule: 'episode ids are unique',
    expression: 'episodes[1].id',
    code: 'duplicate',
    mutate: (r) => void r.episodes?.push({ ...episode(r), status: 'finished' }),
  },
  {
    rule: 'coordinator appointment ids are unique',
    expression: 'coordinatorAppointments[1].id',
    code: 'duplicate',
    mutate: (r) => void r.coordinatorAppointments?.push({ ...appointment(r), start: '2025-06-01' }),
  },
  {
    rule: 'diagnosis ids are unique',
    expression: 'diagnoses[1].id',
    code: 'duplicate',
    mutate: (r) => void r.diagnoses?.push({ ...at(r.diagnoses) }),
  },
  {
    rule: 'plan version ids are unique',
    expression: 'plans[1].id',
    code: 'duplicate',
    mutate: (r) => void (at(addVersion2(r), 1).id = 'plan-v1'),
  },
  {
    rule: 'review ids are unique',
    expression: 'reviews[1].id',
    code: 'duplicate',
    mutate: (r) => void r.reviews?.push({ ...review(r) }),
  },
  {
    rule: 'encounter ids are unique',
    expression: 'encounters[1].id',
    code: 'duplicate',
    mutate: (r) => void r.encounters?.push({ ...encounter(r) }),
  },
  {
    rule: 'Part 3 request ids are unique',
    expression: 'part3Requests[1].id',
    code: 'duplicate',
    mutate: (r) => {
      const p3 = withPart3(r);
      r.part3Requests = [p3, { ...p3 }];
    },
  },
  {
    rule: 'inpatient stay ids are unique across episodes',
    expression: 'episodes[1].inpatientStays[0].id',
    code: 'duplicate',
    mutate: (r) => {
      const stay = withStay(r);
      r.episodes?.push({ ...episode(r), id: 'ep2', inpatientStays: [{ ...stay }] });
    },
  },
  {
    rule: 'outcome ids are unique across plan versions',
    expression: 'plans[1].outcomes[0].id',
    code: 'duplicate',
    mutate: (r) => void (at(at(addVersion2(r), 1).outcomes).id = 'o1'),
  },
  {
    rule: 'action ids are unique across the record',
    expression: 'plans[0].outcomes[1].actions[0].id',
    code: 'duplicate',
    mutate: (r) => void plan(r).outcomes?.push({ ...outcome(r), id: 'o2', actions: [{ ...action(r) }] }),
  },
  {
    rule: 'action ids are unique between outcome actions and plan-level actions',
    expression: 'plans[0].actions[0].id',
    code: 'duplicate',
    mutate: (r) => void (plan(r).actions = [{ ...action(r) }]),
  },
  {
    rule: 'copy ids are unique across the record',
    expression: 'plans[1].copies[0].id',
    code: 'duplicate',
    mutate: (r) => void (at(at(addVersion2(r), 1).copies).id = 'c1'),
  },
  {
    rule: '(planId, version) is unique',
    expression: 'plans[1].version',
    code: 'duplicate',
    mutate: (r) => void (at(addVersion2(r), 1).version = 1),
  },

  // local references resolve
  {
    rule: 'registered GP practice → organisations',
    expression: 'patient.registeredGpPractice',
    code: 'not-found',
    mutate: (r) => void ((r.patient ??= {}).registeredGpPractice = 'nope'),
  },
  {
    rule: 'care team member actor → practitioners',
    expression: 'careTeam[0].member.id',
    code: 'not-found',
    mutate: (r) => void (at(r.careTeam).member = { kind: 'practitioner', id: 'nope' }),
  },
  {
    rule: 'episode responsible bodies → organisations',
    expression: 'episodes[0].responsibleBodies[1]',
    code: 'not-found',
    mutate: (r) => void (episode(r).responsibleBodies = ['lhb', 'nope']),
  },
  {
    rule: 'inpatient stay hospital → organisations',
    expression: 'episodes[0].inpatientStays[0].hospital',
    code: 'not-found',
    mutate: (r) => void (withStay(r).hospital = 'nope'),
  },
  {
    rule: 'discharging body → organisations',
    expression: 'episodes[0].discharge.dischargingBody',
    code: 'not-found',
    mutate: (r) => void (episode(r).discharge = { date: '2025-09-01', kind: 'full', dischargingBody: 'nope' }),
  },
  {
    rule: 'appointment practitioner → practitioners',
    expression: 'coordinatorAppointments[0].practitioner',
    code: 'not-found',
    mutate: (r) => void (appointment(r).practitioner = 'nope'),
  },
  {
    rule: 'appointment appointing body → organisations',
    expression: 'coordinatorAppointments[0].appointingBody',
    code: 'not-found',
    mutate: (r) => void (appointment(r).appointingBody = 'nope'),
  },
  {
    rule: 'appointment employer → organisations',
    expression: 'coordinatorAppointments[0].employer',
    code: 'not-found',
    mutate: (r) => void (appointment(r).employer = 'nope'),
  },
  { rule: 'appointment episode → episodes', expression: 'coordinatorAppointments[0].episode', code: 'not-found', mutate: (r) => void (appointment(r).episode = 'nope') },
  {
    rule: 'temporary appointment covers → coordinatorAppointments',
    expression: 'coordinatorAppointments[1].covers',
    code: 'not-found',
    mutate: (r) => void r.coordinatorAppointments?.push({ ...appointment(r), id: 'temp', temporary: true, covers: 'nope', start: '2025-07-01' }),
  },
  {
    rule: 'an appointment does not cover itself',
    expression: 'coordinatorAppointments[0].covers',
    code: 'invariant',
    mutate: (r) => void (appointment(r).covers = 'appt'),
  },
  { rule: 'diagnosis episode → episodes', expression: 'diagnoses[0].episode', code: 'not-found', mutate: (r) => void (at(r.diagnoses).episode = 'nope') },
  { rule: 'plan review → reviews', expression: 'plans[0].review', code: 'not-found', mutate: (r) => void (plan(r).review = 'nope') },
  {
    rule: 'plan review is a review of the same plan',
    expression: 'plans[0].review',
    code: 'invariant',
    mutate: (r) => {
      r.plans?.push({ ...plan(r), id: 'other-v1', planId: 'other', outcomes: [], copies: [] });
      r.reviews?.push({ id: 'rv-other', plan: 'other', trigger: 'request' });
      plan(r).review = 'rv-other';
    },
  },
  { rule: 'plan episode → episodes', expression: 'plans[0].episode', code: 'not-found', mutate: (r) => void (plan(r).episode = 'nope') },
  {
    rule: 'plan coordinator appointment → coordinatorAppointments',
    expression: 'plans[0].coordinatorAppointment',
    code: 'not-found',
    mutate: (r) => void (plan(r).coordinatorAppointment = 'nope'),
  },
  { rule: 'plan addresses → diagnoses', expression: 'plans[0].addresses[0]', code: 'not-found', mutate: (r) => void (plan(r).addresses = ['nope']) },
  {
    rule: 'plan responsible providers → organisations',
    expression: 'plans[0].responsibleProviders[1]',
    code: 'not-found',
    mutate: (r) => void (plan(r).responsibleProviders = ['lhb', 'nope']),
  },
  {
    rule: 'action who-by organisation → organisations',
    expression: 'plans[0].outcomes[0].actions[0].whoBy[1].id',
    code: 'not-found',
    mutate: (r) => void (action(r).whoBy = [{ kind: 'patient' }, { kind: 'organisation', id: 'nope' }]),
  },
  {
    rule: 'action who-by related person → relatedPeople',
    expression: 'plans[0].outcomes[0].actions[0].whoBy[0].id',
    code: 'not-found',
    mutate: (r) => void (action(r).whoBy = [{ kind: 'related-person', id: 'cc' }]),
  },
  {
    rule: 'plan-level action who-by → practitioners',
    expression: 'plans[0].actions[0].whoBy[0].id',
    code: 'not-found',
    mutate: (r) => void (plan(r).actions = [{ id: 'a-plan', whoBy: [{ kind: 'practitioner', id: 'nope' }] }]),
  },
  {
    rule: 'crisis contact organisation → organisations',
    expression: 'plans[0].crisisPlan.contacts[0].organisation',
    code: 'not-found',
    mutate: (r) => void (plan(r).crisisPlan = { actions: ['Phone'], contacts: [{ service: 'Crisis team', organisation: 'nope' }] }),
  },
  {
    rule: 'care coordinator signature → practitioners',
    expression: 'plans[0].signatures.careCoordinator.practitioner',
    code: 'not-found',
    mutate: (r) => void (plan(r).signatures = { careCoordinator: { practitioner: 'nope', signedOn: '2025-02-01' } }),
  },
  {
    rule: 'copy recipient → relatedPeople',
    expression: 'plans[0].copies[0].recipient.id',
    code: 'not-found',
    mutate: (r) => void (at(plan(r).copies).recipient = { kind: 'related-person', id: 'nope' }),
  },
  { rule: 'review plan → a planId', expression: 'reviews[0].plan', code: 'not-found', mutate: (r) => void (review(r).plan = 'plan-v1') },
  { rule: 'review plan version exists', expression: 'reviews[0].planVersion', code: 'not-found', mutate: (r) => void (review(r).planVersion = 2) },
  {
    rule: 'review requester → practitioners',
    expression: 'reviews[0].request.requester.id',
    code: 'not-found',
    mutate: (r) => void (review(r).request = { receivedOn: '2025-05-01', requestedBy: 'care-team-member', requester: { kind: 'practitioner', id: 'nope' } }),
  },
  { rule: 'encounter practitioner → practitioners', expression: 'encounters[0].practitioner', code: 'not-found', mutate: (r) => void (encounter(r).practitioner = 'nope') },
  { rule: 'encounter episode → episodes', expression: 'encounters[0].episode', code: 'not-found', mutate: (r) => void (encounter(r).episode = 'nope') },
  { rule: 'encounter review → reviews', expression: 'encounters[0].review', code: 'not-found', mutate: (r) => void (encounter(r).review = 'nope') },
  {
    rule: 'Part 3 requester person → relatedPeople',
    expression: 'part3Requests[0].requesterPerson',
    code: 'not-found',
    mutate: (r) => void (withPart3(r).requesterPerson = 'nope'),
  },
  {
    rule: 'Part 3 local authority → organisations',
    expression: 'part3Requests[0].localAuthority',
    code: 'not-found',
    mutate: (r) => void (withPart3(r).localAuthority = 'nope'),
  },
  {
    rule: 'Part 3 assessor → practitioners',
    expression: 'part3Requests[0].assessment.assessor',
    code: 'not-found',
    mutate: (r) => void (withPart3(r).assessment = { assessor: 'nope' }),
  },
  {
    rule: 'Part 3 partner → organisations',
    expression: 'part3Requests[0].assessment.partner',
    code: 'not-found',
    mutate: (r) => void (withPart3(r).assessment = { partner: 'nope' }),
  },

  // date order
  { rule: 'care team membership end ≥ start', expression: 'careTeam[0].end', code: 'invariant', mutate: (r) => void (at(r.careTeam).end = '2025-01-09') },
  { rule: 'appointment end ≥ start', expression: 'coordinatorAppointments[0].end', code: 'invariant', mutate: (r) => void (appointment(r).end = '2025-01-01') },
  {
    rule: 'action end ≥ start',
    expression: 'plans[0].outcomes[0].actions[0].end',
    code: 'invariant',
    mutate: (r) => Object.assign(action(r), { start: '2025-03-01', end: '2025-02-28' }),
  },
  {
    rule: 'encounter end ≥ start (instants with offsets)',
    expression: 'encounters[0].end',
    code: 'invariant',
    mutate: (r) => Object.assign(encounter(r), { start: '2025-03-01T09:00:00Z', end: '2025-03-01T10:00:00+02:00' }),
  },
  {
    rule: 'encounter end ≥ start (date and instant)',
    expression: 'encounters[0].end',
    code: 'invariant',
    mutate: (r) => Object.assign(encounter(r), { start: '2025-03-02', end: '2025-03-01T23:00:00Z' }),
  },
  {
    rule: 'encounter end ≥ start (partial dates compared at their precision)',
    expression: 'encounters[0].end',
    code: 'invariant',
    mutate: (r) => Object.assign(encounter(r), { start: '2025-04', end: '2025-03-31' }),
  },
  {
    rule: 'dischargedOn ≥ admittedOn',
    expression: 'episodes[0].inpatientStays[0].dischargedOn',
    code: 'invariant',
    mutate: (r) => void (withStay(r).dischargedOn = '2025-02-28'),
  },
  {
    rule: 'follow-up contact ≥ hospital discharge',
    expression: 'episodes[0].inpatientStays[0].followUpContactOn',
    code: 'invariant',
    mutate: (r) => void (withStay(r).followUpContactOn = '2025-03-19'),
  },
  {
    rule: 'discharge from services ≥ acceptance',
    expression: 'episodes[0].discharge.date',
    code: 'invariant',
    mutate: (r) => void (episode(r).discharge = { date: '2025-01-05', kind: 'full' }),
  },
  {
    rule: 'review request decided ≥ received',
    expression: 'reviews[0].request.decidedOn',
    code: 'invariant',
    mutate: (r) => void (review(r).request = { receivedOn: '2025-05-10', requestedBy: 'patient', decision: 'accepted', decidedOn: '2025-05-09' }),
  },
  {
    rule: 'related person period end ≥ start',
    expression: 'relatedPeople[0].period.end',
    code: 'invariant',
    mutate: (r) => void (at(r.relatedPeople).period = { start: '2025-05-10', end: '2025-05-09' }),
  },
  {
    rule: 'contact request replied ≥ asked',
    expression: 'contactRequests[0].repliedAt',
    code: 'invariant',
    mutate: (r) => void (r.contactRequests = [{ id: 'call', at: '2025-05-10', from: 'patient', repliedAt: '2025-05-09' }]),
  },
  {
    rule: 'contact request related person → relatedPeople',
    expression: 'contactRequests[0].relatedPerson',
    code: 'not-found',
    mutate: (r) => void (r.contactRequests = [{ id: 'call', at: '2025-05-10', from: 'carer', relatedPerson: 'nope' }]),
  },
  {
    rule: 'referral organisation → organisations',
    expression: 'referrals[0].to',
    code: 'not-found',
    mutate: (r) => void (r.referrals = [{ id: 'ref', madeOn: '2025-05-10', requester: { kind: 'patient' }, to: 'nope' }]),
  },
  {
    rule: 'Part 3 assessment concluded ≥ started',
    expression: 'part3Requests[0].assessment.concludedOn',
    code: 'invariant',
    mutate: (r) => void (withPart3(r).assessment = { startedOn: '2025-05-10', concludedOn: '2025-05-09' }),
  },
];

describe('checkIntegrity', () => {
  it('finds nothing wrong with the minimal record', () => {
    expect(checkIntegrity(minimalRecord())).toEqual([]);
  });

  it.each(cases)('$rule → $expression', ({ mutate, expression, code }) => {
    const record = minimalRecord();
    mutate(record);
    const issues = checkIntegrity(record);
    expect(issues).toEqual([{ severity: 'error', code, expression: [expression], diagnostics: expect.stringMatching(new RegExp(`^${escapeRegExp(expression)}: `)) }]);
  });

  it('never puts the offending id in the message', () => {
    const record = minimalRecord();
    (record.patient ??= {}).registeredGpPractice = 'Secret-Surgery-Id';
    record.organisations?.push({ id: 'lhb', kind: 'other', name: 'Other' });
    const text = JSON.stringify(checkIntegrity(record));
    expect(text).not.toContain('Secret-Surgery-Id');
    expect(text).not.toContain('"lhb"');
    expect(text).toContain('duplicates the id of organisations[0].id');
  });

  it('accepts actors of kind patient and care-team without an id', () => {
    const record = minimalRecord();
    action(record).whoBy = [{ kind: 'patient' }, { kind: 'care-team' }];
    expect(checkIntegrity(record)).toEqual([]);
  });

  it('accepts equal start and end dates', () => {
    const record = minimalRecord();
    Object.assign(action(record), { start: '2025-03-01', end: '2025-03-01' });
    Object.assign(encounter(record), { start: '2025-03-01', end: '2025-03-01T09:00:00Z' });
    expect(checkIntegrity(record)).toEqual([]);
    Object.assign(encounter(record), { start: '2025-03', end: '2025-03-01' });
    expect(checkIntegrity(record)).toEqual([]);
  });

  it('does not throw on input of the wrong shape', () => {
    const broken = { plans: [null, 5, { outcomes: 'x', copies: [{ recipient: null }] }], episodes: 'x', reviews: [{ plan: 3 }] } as unknown as CtpRecord;
    expect(() => checkIntegrity(broken)).not.toThrow();
  });
});

describe('indexRecord', () => {
  it('indexes items by id and plan versions by planId and version', () => {
    const record = minimalRecord();
    addVersion2(record);
    const index = indexRecord(record);
    expect(index.organisations.get('gp')?.kind).toBe('gp-practice');
    expect(index.planVersions.get('plan')?.get(2)?.id).toBe('plan-v2');
    expect(index.actions.has('a1-v2')).toBe(true);
    expect(index.copies.has('c1')).toBe(true);
  });
});

describe('parseRecord with integrity problems', () => {
  it('throws INPUT_INVALID carrying the integrity issues', () => {
    const record = minimalRecord();
    plan(record).coordinatorAppointment = 'nope';
    let error: unknown;
    try {
      parseRecord(record, 'fixture.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('INPUT_INVALID');
    expect((error as InputError).issues.map((i) => i.expression?.[0])).toEqual(['plans[0].coordinatorAppointment']);
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
