/**
 * Internal integrity of a canonical CTP record: what the zod schema cannot see because it needs
 * the whole record. Ids are unique; every local reference points at an entry of the right
 * collection; plan versions are unique; start and end dates are in order.
 *
 * The checks are pure and read only ids, references and dates. They tolerate input of the
 * wrong shape (skipping what they cannot read) so that `parseRecord` can run them on input that
 * also failed the schema. They are not compliance rules: a record can be intact and still break
 * the Measure.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { outcomeIssue } from '../input/zod-outcome.js';
import type { Actor, CtpRecord, Outcome, PlanVersion } from './record.schema.js';

type Item<K extends keyof CtpRecord> = NonNullable<CtpRecord[K]> extends readonly (infer T)[] ? T : never;
export type Organisation = Item<'organisations'>;
export type Practitioner = Item<'practitioners'>;
export type RelatedPerson = Item<'relatedPeople'>;
export type CareTeamMember = Item<'careTeam'>;
export type Episode = Item<'episodes'>;
export type InpatientStay = NonNullable<Episode['inpatientStays']>[number];
export type CoordinatorAppointment = Item<'coordinatorAppointments'>;
export type Diagnosis = Item<'diagnoses'>;
export type Review = Item<'reviews'>;
export type Encounter = Item<'encounters'>;
export type Part3Request = Item<'part3Requests'>;
export type Action = NonNullable<PlanVersion['actions']>[number] | NonNullable<Outcome['actions']>[number];
export type Copy = NonNullable<PlanVersion['copies']>[number];

/** Every identified item of a record by its local id (the first one, if an id is duplicated). */
export interface RecordIndex {
  readonly organisations: ReadonlyMap<string, Organisation>;
  readonly practitioners: ReadonlyMap<string, Practitioner>;
  readonly relatedPeople: ReadonlyMap<string, RelatedPerson>;
  readonly careTeam: ReadonlyMap<string, CareTeamMember>;
  readonly episodes: ReadonlyMap<string, Episode>;
  readonly inpatientStays: ReadonlyMap<string, InpatientStay>;
  readonly coordinatorAppointments: ReadonlyMap<string, CoordinatorAppointment>;
  readonly diagnoses: ReadonlyMap<string, Diagnosis>;
  /** Plan versions by their own `id`. */
  readonly plans: ReadonlyMap<string, PlanVersion>;
  /** Plan versions grouped by `planId`, then by `version`. */
  readonly planVersions: ReadonlyMap<string, ReadonlyMap<number, PlanVersion>>;
  readonly outcomes: ReadonlyMap<string, Outcome>;
  readonly actions: ReadonlyMap<string, Action>;
  readonly copies: ReadonlyMap<string, Copy>;
  readonly reviews: ReadonlyMap<string, Review>;
  readonly encounters: ReadonlyMap<string, Encounter>;
  readonly part3Requests: ReadonlyMap<string, Part3Request>;
}

/** The collections a local reference can point into. */
export type Collection = Exclude<keyof RecordIndex, 'planVersions'>;

/**
 * Indexes a record by local id, for resolving references.
 *
 * @param record - A parsed record.
 * @returns Maps from id to item; `planVersions` maps planId → version → plan.
 */
export function indexRecord(record: CtpRecord): RecordIndex {
  const byId = <T extends { id: string }>(items: Iterable<T>): Map<string, T> => {
    const map = new Map<string, T>();
    for (const item of items) if (typeof item.id === 'string' && !map.has(item.id)) map.set(item.id, item);
    return map;
  };
  const plans = list(record.plans).map(([p]) => p);
  const outcomes = plans.flatMap((p) => list(p.outcomes).map(([o]) => o));
  const actions: Action[] = plans.flatMap((p) => [...list(p.outcomes).flatMap(([o]) => list(o.actions).map(([a]) => a)), ...list(p.actions).map(([a]) => a)]);
  const planVersions = new Map<string, Map<number, PlanVersion>>();
  for (const plan of plans) {
    if (typeof plan.planId !== 'string') continue;
    const versions = planVersions.get(plan.planId) ?? new Map<number, PlanVersion>();
    if (typeof plan.version === 'number' && !versions.has(plan.version)) versions.set(plan.version, plan);
    planVersions.set(plan.planId, versions);
  }
  return {
    organisations: byId(list(record.organisations).map(([x]) => x)),
    practitioners: byId(list(record.practitioners).map(([x]) => x)),
    relatedPeople: byId(list(record.relatedPeople).map(([x]) => x)),
    careTeam: byId(list(record.careTeam).map(([x]) => x)),
    episodes: byId(list(record.episodes).map(([x]) => x)),
    inpatientStays: byId(list(record.episodes).flatMap(([e]) => list(e.inpatientStays).map(([s]) => s))),
    coordinatorAppointments: byId(list(record.coordinatorAppointments).map(([x]) => x)),
    diagnoses: byId(list(record.diagnoses).map(([x]) => x)),
    plans: byId(plans),
    planVersions,
    outcomes: byId(outcomes),
    actions: byId(actions),
    copies: byId(plans.flatMap((p) => list(p.copies).map(([c]) => c))),
    reviews: byId(list(record.reviews).map(([x]) => x)),
    encounters: byId(list(record.encounters).map(([x]) => x)),
    part3Requests: byId(list(record.part3Requests).map(([x]) => x)),
  };
}

/**
 * Checks a record's internal integrity.
 *
 * - ids are unique within each collection; outcome, action (in outcomes or directly on the
 *   plan), copy and inpatient-stay ids are unique across the whole record (they become resource ids);
 * - every local reference resolves in the collection it names, including actors by kind,
 *   `covers` (another appointment), `review.plan` (a planId) and `review.planVersion`;
 * - (planId, version) is unique;
 * - end dates are not before start dates (and discharge not before admission or acceptance,
 *   decisions not before requests, conclusions not before starts).
 *
 * @param record - A record that passed the schema (or, best effort, one that did not).
 * @param options - `unreliableSections`: top-level record fields (e.g. `plans`) that failed the
 *   schema; references into them are not checked, since a broken item there would only make
 *   them look unresolved.
 * @returns One error issue per problem, with the `expression` of the offending field; no values.
 */
export function checkIntegrity(record: CtpRecord, options: IntegrityOptions = {}): OperationOutcomeIssue[] {
  const issues: OperationOutcomeIssue[] = [];
  const ids = collectIds(record, issues);
  const skipped = options.unreliableSections ?? new Set<string>();
  const ref = (expression: string, value: unknown, collection: Collection): void => {
    if (typeof value !== 'string' || skipped.has(sectionOf[collection])) return;
    if (!ids[collection].has(value)) {
      issues.push(outcomeIssue('not-found', expression, `refers to no entry in ${collectionLabels[collection]}`));
    }
  };
  const refs = (expression: string, values: unknown, collection: Collection): void => {
    if (!Array.isArray(values)) return;
    values.forEach((value, i) => ref(`${expression}[${i}]`, value, collection));
  };
  const actor = (expression: string, a: Actor | undefined): void => {
    if (typeof a !== 'object' || a === null) return;
    const collection = actorCollections[a.kind as string];
    if (collection !== undefined) ref(`${expression}.id`, a.id, collection);
  };
  const order = (startExpr: string, start: unknown, endExpr: string, end: unknown, what: string): void => {
    if (isBefore(end, start)) issues.push(outcomeIssue('invariant', endExpr, `is earlier than ${startExpr} (${what})`));
  };

  const { patient } = record;
  if (typeof patient === 'object' && patient !== null) ref('patient.registeredGpPractice', patient.registeredGpPractice, 'organisations');

  for (const [m, i] of list(record.careTeam)) {
    const at = `careTeam[${i}]`;
    actor(`${at}.member`, m.member);
    order(`${at}.start`, m.start, `${at}.end`, m.end, 'membership ends before it starts');
  }

  for (const [e, i] of list(record.episodes)) {
    const at = `episodes[${i}]`;
    refs(`${at}.responsibleBodies`, e.responsibleBodies, 'organisations');
    for (const [s, j] of list(e.inpatientStays)) {
      const stay = `${at}.inpatientStays[${j}]`;
      ref(`${stay}.hospital`, s.hospital, 'organisations');
      order(`${stay}.admittedOn`, s.admittedOn, `${stay}.dischargedOn`, s.dischargedOn, 'discharged before admitted');
      order(`${stay}.dischargedOn`, s.dischargedOn, `${stay}.followUpContactOn`, s.followUpContactOn, 'follow-up before discharge');
    }
    const d = e.discharge;
    if (typeof d === 'object' && d !== null) {
      ref(`${at}.discharge.dischargingBody`, d.dischargingBody, 'organisations');
      order(`${at}.acceptedOn`, e.acceptedOn, `${at}.discharge.date`, d.date, 'discharged before accepted into services');
    }
  }

  for (const [c, i] of list(record.coordinatorAppointments)) {
    const at = `coordinatorAppointments[${i}]`;
    ref(`${at}.practitioner`, c.practitioner, 'practitioners');
    ref(`${at}.appointingBody`, c.appointingBody, 'organisations');
    ref(`${at}.employer`, c.employer, 'organisations');
    ref(`${at}.episode`, c.episode, 'episodes');
    ref(`${at}.covers`, c.covers, 'coordinatorAppointments');
    ref(`${at}.delegatedBy`, c.delegatedBy, 'organisations');
    if (typeof c.covers === 'string' && c.covers === c.id) {
      issues.push(outcomeIssue('invariant', `${at}.covers`, 'refers to the appointment itself'));
    }
    order(`${at}.start`, c.start, `${at}.end`, c.end, 'appointment ends before it starts');
  }

  for (const [d, i] of list(record.diagnoses)) ref(`diagnoses[${i}].episode`, d.episode, 'episodes');

  for (const [p, i] of list(record.plans)) {
    const at = `plans[${i}]`;
    ref(`${at}.review`, p.review, 'reviews');
    if (typeof p.review === 'string') {
      const review = skipped.has('reviews') ? undefined : ids.reviews.get(p.review);
      if (review !== undefined && typeof review.plan === 'string' && review.plan !== p.planId) {
        issues.push(outcomeIssue('invariant', `${at}.review`, 'refers to a review of a different plan (its plan is not this planId)'));
      }
    }
    ref(`${at}.episode`, p.episode, 'episodes');
    ref(`${at}.coordinatorAppointment`, p.coordinatorAppointment, 'coordinatorAppointments');
    refs(`${at}.addresses`, p.addresses, 'diagnoses');
    refs(`${at}.responsibleProviders`, p.responsibleProviders, 'organisations');
    const checkAction = (act: string, a: Action): void => {
      for (const [who, w] of list(a.whoBy)) actor(`${act}.whoBy[${w}]`, who);
      order(`${act}.start`, a.start, `${act}.end`, a.end, 'action ends before it starts');
    };
    for (const [o, j] of list(p.outcomes)) {
      for (const [a, k] of list(o.actions)) checkAction(`${at}.outcomes[${j}].actions[${k}]`, a);
    }
    for (const [a, k] of list(p.actions)) checkAction(`${at}.actions[${k}]`, a);
    for (const [c, j] of list(p.crisisPlan?.contacts)) ref(`${at}.crisisPlan.contacts[${j}].organisation`, c.organisation, 'organisations');
    ref(`${at}.signatures.careCoordinator.practitioner`, p.signatures?.careCoordinator?.practitioner, 'practitioners');
    for (const [c, j] of list(p.copies)) actor(`${at}.copies[${j}].recipient`, c.recipient);
    for (const [c, j] of list(p.consultations)) actor(`${at}.consultations[${j}].consultee`, c.consultee);
  }

  for (const [r, i] of list(record.reviews)) {
    const at = `reviews[${i}]`;
    if (typeof r.plan === 'string' && !skipped.has('plans')) {
      const versions = ids.planVersions.get(r.plan);
      if (versions === undefined) {
        issues.push(outcomeIssue('not-found', `${at}.plan`, 'refers to no plan (no plans[].planId matches)'));
      } else if (typeof r.planVersion === 'number' && !versions.has(r.planVersion)) {
        issues.push(outcomeIssue('not-found', `${at}.planVersion`, 'refers to a version that the plan does not have'));
      }
    }
    const request = r.request;
    if (typeof request === 'object' && request !== null) {
      actor(`${at}.request.requester`, request.requester);
      order(`${at}.request.decidedOn`, request.decidedOn, `${at}.request.explanationSentOn`, request.explanationSentOn, 'refusal explained before it was decided');
      order(`${at}.request.receivedOn`, request.receivedOn, `${at}.request.decidedOn`, request.decidedOn, 'decided before received');
    }
  }

  for (const [r, i] of list(record.reviews)) {
    for (const [p, j] of list(r.participants)) actor(`reviews[${i}].participants[${j}]`, p);
    for (const [a, j] of list(r.outcomeAchievements)) ref(`reviews[${i}].outcomeAchievements[${j}].outcome`, a.outcome, 'outcomes');
  }
  for (const [e, i] of list(record.episodes)) {
    for (const [t, j] of list(e.transfers)) {
      ref(`episodes[${i}].transfers[${j}].from`, t.from, 'organisations');
      ref(`episodes[${i}].transfers[${j}].to`, t.to, 'organisations');
    }
  }
  for (const [r, i] of list(record.part3Requests)) for (const [x, j] of list(r.referrals)) ref(`part3Requests[${i}].referrals[${j}].provider`, x.provider, 'organisations');

  const assessmentIds = new Map<string, string>();
  for (const [a, i] of list(record.assessments)) {
    const at = `assessments[${i}]`;
    const previous = typeof a.id === 'string' ? assessmentIds.get(a.id) : undefined;
    if (previous !== undefined) issues.push(outcomeIssue('duplicate', `${at}.id`, `duplicates the id of ${previous}`));
    else if (typeof a.id === 'string') assessmentIds.set(a.id, `${at}.id`);
    ref(`${at}.assessor`, a.assessor, 'practitioners');
    ref(`${at}.episode`, a.episode, 'episodes');
    ref(`${at}.review`, a.review, 'reviews');
    for (const [c, j] of list(a.carerViews)) ref(`${at}.carerViews[${j}].person`, c.person, 'relatedPeople');
  }

  const departureIds = new Map<string, string>();
  for (const [d, i] of list(record.departures)) {
    const at = `departures[${i}]`;
    const previous = typeof d.id === 'string' ? departureIds.get(d.id) : undefined;
    if (previous !== undefined) issues.push(outcomeIssue('duplicate', `${at}.id`, `duplicates the id of ${previous}`));
    else if (typeof d.id === 'string') departureIds.set(d.id, `${at}.id`);
    ref(`${at}.recordedBy`, d.recordedBy, 'practitioners');
    const aboutCollections: Collection[] = ['plans', 'reviews', 'coordinatorAppointments', 'episodes', 'part3Requests', 'copies'];
    if (typeof d.about === 'string' && !aboutCollections.some((c) => skipped.has(sectionOf[c]) || ids[c].has(d.about!))) {
      issues.push(outcomeIssue('not-found', `${at}.about`, 'refers to no plan version, review, appointment, episode, copy or Part 3 request'));
    }
  }

  for (const [e, i] of list(record.encounters)) {
    const at = `encounters[${i}]`;
    ref(`${at}.practitioner`, e.practitioner, 'practitioners');
    ref(`${at}.episode`, e.episode, 'episodes');
    ref(`${at}.review`, e.review, 'reviews');
    order(`${at}.start`, e.start, `${at}.end`, e.end, 'encounter ends before it starts');
    for (const [p, j] of list(e.participants)) {
      ref(`${at}.participants[${j}].practitioner`, p.practitioner, 'practitioners');
      ref(`${at}.participants[${j}].relatedPerson`, p.relatedPerson, 'relatedPeople');
      order(`${at}.participants[${j}].period.start`, p.period?.start, `${at}.participants[${j}].period.end`, p.period?.end, 'participant leaves before joining');
    }
  }

  // The English policies' sections: ids unique within each, and their references resolve.
  const uniqueIds = (section: string, items: readonly (readonly [{ id?: unknown }, number])[]): Set<string> => {
    const seen = new Map<string, string>();
    for (const [item, i] of items) {
      if (typeof item.id !== 'string') continue;
      const previous = seen.get(item.id);
      if (previous !== undefined) issues.push(outcomeIssue('duplicate', `${section}[${i}].id`, `duplicates the id of ${previous}`));
      else seen.set(item.id, `${section}[${i}].id`);
    }
    return new Set(seen.keys());
  };
  const incidentIds = uniqueIds('incidents', list(record.incidents));
  uniqueIds('flags', list(record.flags));
  uniqueIds('riskAssessments', list(record.riskAssessments));
  for (const [x, i] of list(record.incidents)) ref(`incidents[${i}].episode`, x.episode, 'episodes');
  for (const [f, i] of list(record.flags)) order(`flags[${i}].start`, f.start, `flags[${i}].end`, f.end, 'alert ends before it starts');
  for (const [a, i] of list(record.riskAssessments)) {
    const at = `riskAssessments[${i}]`;
    ref(`${at}.reviewer`, a.reviewer, 'practitioners');
    ref(`${at}.episode`, a.episode, 'episodes');
    if (typeof a.incident === 'string' && !skipped.has('incidents') && !incidentIds.has(a.incident)) {
      issues.push(outcomeIssue('not-found', `${at}.incident`, 'refers to no entry in incidents'));
    }
  }

  // Physical health, medication and outcome measures (English policies).
  uniqueIds('medications', list(record.medications));
  uniqueIds('physicalHealthChecks', list(record.physicalHealthChecks));
  uniqueIds('outcomeMeasures', list(record.outcomeMeasures));
  for (const [m, i] of list(record.medications)) {
    const at = `medications[${i}]`;
    ref(`${at}.prescriber`, m.prescriber, 'practitioners');
    ref(`${at}.episode`, m.episode, 'episodes');
    order(`${at}.start`, m.start, `${at}.end`, m.end, 'medicine stopped before it started');
    for (const [r, j] of list(m.reviews)) ref(`${at}.reviews[${j}].by`, r.by, 'practitioners');
    for (const [a, j] of list(m.administrations)) ref(`${at}.administrations[${j}].by`, a.by, 'practitioners');
  }
  for (const [c, i] of list(record.physicalHealthChecks)) {
    ref(`physicalHealthChecks[${i}].by`, c.by, 'practitioners');
    ref(`physicalHealthChecks[${i}].episode`, c.episode, 'episodes');
  }
  for (const [o, i] of list(record.outcomeMeasures)) {
    ref(`outcomeMeasures[${i}].by`, o.by, 'practitioners');
    ref(`outcomeMeasures[${i}].episode`, o.episode, 'episodes');
  }

  // English policies: kinds of plan, discharge, ward and transfer (engplans). Plans of a named
  // kind are CarePlans in FHIR beside the care plan's versions, so their ids may not repeat those.
  uniqueIds('otherPlans', list(record.otherPlans));
  const planVersionIds = new Set(list(record.plans).map(([p]) => (p as { id?: unknown }).id));
  for (const [p, i] of list(record.otherPlans)) {
    const at = `otherPlans[${i}]`;
    if (planVersionIds.has(p.id)) issues.push(outcomeIssue('duplicate', `${at}.id`, 'repeats the id of a care plan version'));
    ref(`${at}.episode`, p.episode, 'episodes');
    ref(`${at}.author`, p.author, 'practitioners');
  }
  uniqueIds('letters', list(record.letters));
  const encounterIds = new Set(list(record.encounters).map(([e]) => (e as { id?: unknown }).id));
  const reviewIds = new Set(list(record.reviews).map(([r]) => (r as { id?: unknown }).id));
  for (const [l, i] of list(record.letters)) {
    if (typeof l.encounter === 'string' && !encounterIds.has(l.encounter))
      issues.push(outcomeIssue('not-found', `letters[${i}].encounter`, 'refers to no entry in encounters'));
    if (typeof l.review === 'string' && !reviewIds.has(l.review)) issues.push(outcomeIssue('not-found', `letters[${i}].review`, 'refers to no entry in reviews'));
  }

  for (const [p, i] of list(record.relatedPeople)) {
    order(`relatedPeople[${i}].period.start`, p.period?.start, `relatedPeople[${i}].period.end`, p.period?.end, 'relationship ends before it starts');
    uniqueIds(`relatedPeople[${i}].informationShared`, list(p.informationShared));
  }

  for (const [r, i] of list(record.referrals)) {
    actor(`referrals[${i}].requester`, r.requester);
    ref(`referrals[${i}].to`, r.to, 'organisations');
  }

  for (const [r, i] of list(record.contactRequests)) {
    ref(`contactRequests[${i}].relatedPerson`, r.relatedPerson, 'relatedPeople');
    order(`contactRequests[${i}].at`, r.at, `contactRequests[${i}].repliedAt`, r.repliedAt, 'reply before the request');
  }

  // Waiting lists (English policies): ids unique, references resolve, a place ends after it began.
  const waitingIds = uniqueIds('waitingListEntries', list(record.waitingListEntries));
  for (const [w, i] of list(record.waitingListEntries)) {
    const at = `waitingListEntries[${i}]`;
    ref(`${at}.episode`, w.episode, 'episodes');
    actor(`${at}.referrer`, w.referrer);
    order(`${at}.addedOn`, w.addedOn, `${at}.removedOn`, w.removedOn, 'leaves the list before joining it');
    if (typeof w.transferredFrom === 'string' && !skipped.has('waitingListEntries') && (!waitingIds.has(w.transferredFrom) || w.transferredFrom === w.id)) {
      issues.push(outcomeIssue('not-found', `${at}.transferredFrom`, 'refers to no other entry in waitingListEntries'));
    }
  }

  for (const [r, i] of list(record.part3Requests)) {
    const at = `part3Requests[${i}]`;
    ref(`${at}.requesterPerson`, r.requesterPerson, 'relatedPeople');
    ref(`${at}.localAuthority`, r.localAuthority, 'organisations');
    if (typeof r.eligibility === 'object' && r.eligibility !== null) ref(`${at}.eligibility.decidedBy`, r.eligibility.decidedBy, 'practitioners');
    const a = r.assessment;
    if (typeof a === 'object' && a !== null) {
      ref(`${at}.assessment.assessor`, a.assessor, 'practitioners');
      ref(`${at}.assessment.partner`, a.partner, 'organisations');
      order(`${at}.assessment.startedOn`, a.startedOn, `${at}.assessment.concludedOn`, a.concludedOn, 'concluded before started');
    }
  }

  return issues;
}

/** Options of `checkIntegrity`. */
export interface IntegrityOptions {
  /** Top-level fields of the record (e.g. `plans`, `organisations`) known to be malformed. */
  readonly unreliableSections?: ReadonlySet<string>;
}

/** The top-level record field each collection lives in. */
const sectionOf: Readonly<Record<Collection, keyof CtpRecord>> = {
  organisations: 'organisations',
  practitioners: 'practitioners',
  relatedPeople: 'relatedPeople',
  careTeam: 'careTeam',
  episodes: 'episodes',
  inpatientStays: 'episodes',
  coordinatorAppointments: 'coordinatorAppointments',
  diagnoses: 'diagnoses',
  plans: 'plans',
  outcomes: 'plans',
  actions: 'plans',
  copies: 'plans',
  reviews: 'reviews',
  encounters: 'encounters',
  part3Requests: 'part3Requests',
};

const collectionLabels: Readonly<Record<Collection, string>> = {
  organisations: 'organisations',
  practitioners: 'practitioners',
  relatedPeople: 'relatedPeople',
  careTeam: 'careTeam',
  episodes: 'episodes',
  inpatientStays: 'episodes[].inpatientStays',
  coordinatorAppointments: 'coordinatorAppointments',
  diagnoses: 'diagnoses',
  plans: 'plans',
  outcomes: 'plans[].outcomes',
  actions: 'plans[].outcomes[].actions',
  copies: 'plans[].copies',
  reviews: 'reviews',
  encounters: 'encounters',
  part3Requests: 'part3Requests',
};

const actorCollections: Readonly<Record<string, Collection | undefined>> = {
  practitioner: 'practitioners',
  organisation: 'organisations',
  'related-person': 'relatedPeople',
};

/** Registers every id, reporting duplicates, and returns the index used to resolve references. */
function collectIds(record: CtpRecord, issues: OperationOutcomeIssue[]): RecordIndex {
  const seen = new Map<Collection, Map<string, string>>();
  const register = (collection: Collection, expression: string, id: unknown): void => {
    if (typeof id !== 'string') return;
    const first = seen.get(collection) ?? new Map<string, string>();
    seen.set(collection, first);
    const previous = first.get(id);
    if (previous === undefined) first.set(id, expression);
    else issues.push(outcomeIssue('duplicate', expression, `duplicates the id of ${previous}`));
  };
  const each = <T extends { id: string }>(collection: Collection, name: string, items: readonly T[] | undefined): void => {
    for (const [item, i] of list(items)) register(collection, `${name}[${i}].id`, item.id);
  };
  each('organisations', 'organisations', record.organisations);
  each('practitioners', 'practitioners', record.practitioners);
  each('relatedPeople', 'relatedPeople', record.relatedPeople);
  each('careTeam', 'careTeam', record.careTeam);
  each('episodes', 'episodes', record.episodes);
  for (const [e, i] of list(record.episodes)) each('inpatientStays', `episodes[${i}].inpatientStays`, e.inpatientStays);
  each('coordinatorAppointments', 'coordinatorAppointments', record.coordinatorAppointments);
  each('diagnoses', 'diagnoses', record.diagnoses);
  each('plans', 'plans', record.plans);
  const versions = new Map<string, string>();
  for (const [p, i] of list(record.plans)) {
    if (typeof p.planId === 'string' && typeof p.version === 'number') {
      const key = `${p.planId}\u0000${p.version}`;
      const previous = versions.get(key);
      if (previous === undefined) versions.set(key, `plans[${i}]`);
      else issues.push(outcomeIssue('duplicate', `plans[${i}].version`, `duplicates the planId and version of ${previous}`));
    }
    for (const [o, j] of list(p.outcomes)) {
      register('outcomes', `plans[${i}].outcomes[${j}].id`, o.id);
      for (const [a, k] of list(o.actions)) register('actions', `plans[${i}].outcomes[${j}].actions[${k}].id`, a.id);
    }
    for (const [a, k] of list(p.actions)) register('actions', `plans[${i}].actions[${k}].id`, a.id);
    each('copies', `plans[${i}].copies`, p.copies);
  }
  each('reviews', 'reviews', record.reviews);
  each('encounters', 'encounters', record.encounters);
  each('part3Requests', 'part3Requests', record.part3Requests);
  return indexRecord(record);
}

/** The object entries of an array, with their positions; anything else reads as empty. */
function list<T>(items: readonly T[] | undefined | null): [T, number][] {
  if (!Array.isArray(items)) return [];
  const out: [T, number][] = [];
  items.forEach((item: T, i) => {
    if (typeof item === 'object' && item !== null) out.push([item, i]);
  });
  return out;
}

/**
 * Whether `a` is certainly before `b`. Both are FHIR-style dates (`YYYY`, `YYYY-MM`,
 * `YYYY-MM-DD`) or date-times with an offset. Two date-times compare as instants; otherwise the
 * calendar parts compare at the coarser precision of the two (an instant keeps its own date), so
 * `2025-03` is not before `2025-03-14`.
 */
function isBefore(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  if (a.includes('T') && b.includes('T')) {
    const ta = Date.parse(a);
    const tb = Date.parse(b);
    return !Number.isNaN(ta) && !Number.isNaN(tb) && ta < tb;
  }
  const da = a.split('T')[0] ?? '';
  const db = b.split('T')[0] ?? '';
  const n = Math.min(da.length, db.length);
  return da.slice(0, n) < db.slice(0, n);
}
