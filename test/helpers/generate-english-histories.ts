/**
 * The synthetic histories of generate-histories.ts with the evidence the English trust policies
 * need added, for the compliance benchmark: teams (community, assertive outreach, early
 * intervention), referrals with their time and priority, staff whole-time equivalents and AMHP
 * rota days, roughly monthly contacts (some missed, cancelled or unplanned, with follow-up
 * attempts), review meetings with participants, timed hospital discharges and follow-up, risk
 * assessments (with their tool and the person's part), incidents, alerts (with who was told),
 * children in the household and carers' assessments, discharge letter sections and closure
 * reasons, periods on CPA, detentions, referral triage and contact attempts, advance statements and
 * section 117 at reviews, coordinators' absences and planned changes, when each was in the room at
 * a review and whether the person agreed to an invitee, MDT meetings on referral and before
 * discharge, case conferences on a refused discharge, carers' consent and what was shared with
 * them, consent to care in each episode and advocacy considered at assessments; from
 * generate-health-histories.ts, medicines, physical health checks and outcome measures; places
 * on waiting lists (generate-waiting-lists.ts); and decisions the person's capacity was assessed
 * for, with the IMCA (generate-capacity-decisions.ts).
 * Deterministic, from its own seeded stream, so the histories themselves are unchanged.
 */
import type { CtpRecord } from '../../src/record/record.schema.js';
import { addDays, daysBetween, type IsoDate } from '../../src/time/dates.js';
import { londonOffsetMinutes } from '../../src/time/elapsed.js';
import { withCapacityDecisions } from './generate-capacity-decisions.js';
import { addPlanHistory } from './generate-english-plans.js';
import { withHealthEvidence } from './generate-health-histories.js';
import { generateHistories, seededRandom } from './generate-histories.js';
import { withWaitingLists } from './generate-waiting-lists.js';

type Encounter = NonNullable<CtpRecord['encounters']>[number];
type RiskAssessment = NonNullable<CtpRecord['riskAssessments']>[number];
type Incident = NonNullable<CtpRecord['incidents']>[number];

const TEAMS = ['Community Mental Health Team', 'Community Mental Health Team', 'Community Mental Health Team', 'Assertive Outreach Team', 'PIER Team'];
const LETTER = ['continuing-services', 'support-networks', 'medication', 'relapse-plan', 'accessing-help', 'contingency-plan'] as const;

/** A UK local time on a date, written with the offset then in force. */
function ukTime(date: IsoDate, hour: number, minute: number): string {
  const offset = londonOffsetMinutes(Date.parse(`${date}T12:00:00Z`));
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date}T${two(hour)}:${two(minute)}:00${offset === 60 ? '+01:00' : 'Z'}`;
}

export function withEnglishEvidence(records: readonly CtpRecord[], seed = 20260101): CtpRecord[] {
  const random = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const chance = (p: number) => random() < p;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const planRandom = seededRandom(seed + 1);
  const english = records.map((base) => {
    const r = structuredClone(base);
    const to = r.source.extractedAt.slice(0, 10);
    r.practitioners = r.practitioners?.map((p) => ({
      ...p,
      wholeTimeEquivalent: pick([1, 1, 0.8, 0.6]),
      ...(chance(0.2) ? { amhpRotaDays: 1 } : {}),
    }));
    r.careTeam = [{ id: 'ct-psy', role: 'psychiatrist', member: { kind: 'practitioner', id: 'cc3' } }];
    if (chance(0.25)) {
      r.relatedPeople = [
        ...(r.relatedPeople ?? []),
        { id: 'child', name: { given: ['Child'] }, dateOfBirth: addDays(to, -int(365, 6000)), inHousehold: true, ...(chance(0.7) ? { youngCarer: chance(0.2) } : {}) },
      ];
    }
    if (chance(0.1)) r.flags = [{ id: 'hr', kind: 'high-risk', start: addDays(to, -int(100, 1500)) }];
    if (chance(0.15)) {
      const raised = addDays(to, -int(30, 900));
      const kind = pick(['safeguarding-adult', 'disengagement', 'out-of-hours-concern', 'lost-contact'] as const);
      const role = kind === 'out-of-hours-concern' ? 'crisis-team' : 'psychiatrist';
      r.flags = [...(r.flags ?? []), { id: 'alert', kind, start: raised, ...(chance(0.8) ? { notified: [{ role, at: ukTime(addDays(raised, int(0, 2)), 15, 0) }] } : {}) }];
    }
    r.relatedPeople = r.relatedPeople?.map((p) =>
      p.roles?.includes('carer') && chance(0.8)
        ? { ...p, carerAssessment: { offeredOn: addDays(to, -int(100, 2000)), response: pick(['accepted', 'declined', 'self-assessment'] as const) } }
        : p,
    );
    // The person's decisions on sharing with carers, what was shared, the carer's consent to their details and their own plan.
    r.relatedPeople = r.relatedPeople?.map((p) => {
      if (!p.roles?.includes('carer')) return p;
      const agreedOn = addDays(to, -int(200, 2000));
      return {
        ...p,
        ...(chance(0.3) ? { carerPlan: { madeOn: addDays(agreedOn, int(0, 60)), ...(chance(0.5) ? { reviewedOn: [addDays(agreedOn, int(200, 400))] } : {}) } } : {}),
        ...(chance(0.7) ? { sharingConsent: [{ decision: chance(0.9) ? ('agreed' as const) : ('declined' as const), recordedOn: agreedOn }] } : {}),
        ...(chance(0.5) ? { informationShared: [{ id: 'shared-1', on: addDays(agreedOn, int(-10, 300)), ...(chance(0.3) ? { atDischarge: true } : {}) }] } : {}),
        ...(chance(0.8) ? { detailsConsent: { agreed: chance(0.95), recordedOn: agreedOn } } : {}),
      };
    });
    const usual = (r.coordinatorAppointments ?? []).filter((a) => !a.temporary);
    usual.slice(1).forEach((a) => {
      a.changePlanned = chance(0.6);
    });
    if (usual[0]?.start !== undefined && chance(0.1)) usual[0].absences = [{ start: addDays(usual[0].start, int(30, 300)), end: addDays(usual[0].start, int(310, 340)) }];
    const encounters: Encounter[] = [];
    const risks: RiskAssessment[] = [];
    const incidents: Incident[] = [];
    for (const episode of r.episodes ?? []) {
      const accepted = episode.acceptedOn!;
      const ends = episode.discharge?.date ?? to;
      episode.team = pick(TEAMS);
      const referred = addDays(accepted, -int(1, 30));
      const hour = int(8, 16);
      episode.referral = {
        receivedOn: referred,
        receivedAt: ukTime(referred, hour, int(0, 59)),
        priority: pick(['routine', 'routine', 'urgent'] as const),
        loggedAt: ukTime(referred, hour + 1, int(0, 59)),
        triage: {
          at: ukTime(addDays(referred, int(0, 1)), 12, 0),
          by: chance(0.8) ? ['team-manager', 'psychiatrist'] : ['team-manager'],
          rationaleRecordedAt: ukTime(addDays(referred, int(1, 2)), 11, 0),
        },
        contactAttempts: [{ at: ukTime(referred, 17, 30), method: 'telephone', reached: chance(0.6) }],
      };
      if (chance(0.5)) episode.cpaPeriods = [{ start: accepted, ...(episode.discharge ? { end: episode.discharge.date } : {}) }];
      // Consent asked for when the referral came in, before the assessment, now and then a few days late.
      if (chance(0.85))
        episode.consentToCare = chance(0.9)
          ? { decision: 'agreed', recordedOn: addDays(referred, chance(0.9) ? 0 : int(1, 10)) }
          : { decision: 'capacity-in-doubt', recordedOn: referred, ...(chance(0.7) ? { capacityAssessedOn: referred } : {}) };
      encounters.push({
        id: `${episode.id}-assess`,
        kind: 'assessment',
        status: 'finished',
        start: ukTime(addDays(referred, int(0, 20)), 10, 0),
        mode: 'face-to-face',
        episode: episode.id,
      });
      for (let on = addDays(accepted, int(3, 20)), n = 0; on <= ends; on = addDays(on, int(20, 40)), n++) {
        const missed = chance(0.1);
        const id = `${episode.id}-c${n}`;
        if (missed) {
          encounters.push({
            id,
            kind: 'contact',
            status: 'did-not-attend',
            start: ukTime(on, 10, 0),
            mode: 'face-to-face',
            planned: chance(0.9),
            followUpAttempts: [
              { at: ukTime(addDays(on, int(0, 2)), 14, 0), method: 'telephone', reached: chance(0.5) },
              ...(chance(0.8) ? [{ at: addDays(on, int(1, 8)), method: 'opt-in-letter' as const }] : []),
            ],
            episode: episode.id,
          });
        } else if (chance(0.05)) {
          encounters.push({
            id,
            kind: 'contact',
            status: 'cancelled',
            cancellation: { by: pick(['patient', 'service'] as const) },
            start: ukTime(on, 11, 0),
            episode: episode.id,
          });
        } else {
          encounters.push({
            id,
            kind: 'contact',
            status: 'finished',
            start: ukTime(on, int(9, 16), 0),
            mode: pick(['face-to-face', 'face-to-face', 'telephone'] as const),
            planned: true,
            episode: episode.id,
          });
        }
      }
      for (let on = addDays(accepted, int(0, 35)), n = 0; on <= ends; on = addDays(on, int(120, 200)), n++) {
        risks.push({
          id: `${episode.id}-ra${n}`,
          date: on,
          reason: n === 0 ? 'initial' : 'scheduled',
          reviewer: 'cc1',
          episode: episode.id,
          method: 'DMH & LD Risk Assessment Form',
          ...(n === 0 ? { tool: pick(['dmh-ld-form', 'dmh-ld-form', 'hcr-20', 'other'] as const) } : {}),
          ...(chance(0.2) ? { patientInvolved: false, ...(chance(0.7) ? { notInvolvedReason: 'Declined to take part.' } : {}) } : {}),
        });
      }
      for (const stay of episode.inpatientStays ?? []) {
        if (stay.admittedOn !== undefined && chance(0.3)) stay.detentions = [{ section: pick(['s2', 's3', 's3', 's37-41'] as const), start: stay.admittedOn }];
        // A restricted patient's case worker at the Ministry of Justice, rung before a discharge from the team.
        if (stay.detentions?.[0]?.section === 's37-41' && episode.discharge && chance(0.7))
          encounters.push({
            id: `${stay.id}-moj`,
            kind: 'contact',
            status: 'finished',
            start: ukTime(addDays(episode.discharge.date, -int(1, 20)), 11, 0),
            mode: 'telephone',
            episode: episode.id,
            participants: [{ role: 'moj-case-worker', attended: true }],
          });
        if (stay.dischargedOn !== undefined) {
          stay.dischargedAt = ukTime(stay.dischargedOn, int(9, 17), int(0, 59));
          const followUp = addDays(stay.dischargedOn, int(1, 6));
          if (followUp <= ends)
            encounters.push({ id: `${stay.id}-fu`, kind: 'follow-up', status: 'finished', start: ukTime(followUp, int(9, 17), 0), mode: 'face-to-face', episode: episode.id });
        }
        const stayEnds = stay.dischargedOn ?? ends;
        for (let on = addDays(stay.admittedOn!, int(1, 9)), n = 0; on <= stayEnds; on = addDays(on, int(5, 9)), n++) {
          risks.push({ id: `${stay.id}-ra${n}`, date: on, reason: 'inpatient-weekly', reviewer: 'cc1', episode: episode.id });
        }
      }
      for (let n = 0, count = int(0, 2); n < count && daysBetween(accepted, ends) > 30; n++) {
        const on = addDays(accepted, int(10, daysBetween(accepted, ends)));
        const id = `${episode.id}-inc${n}`;
        incidents.push({
          id,
          date: ukTime(on, int(0, 23), int(0, 59)),
          kind: pick(['self-harm', 'violence', 'safeguarding'] as const),
          episode: episode.id,
          ...(chance(0.9) ? { reportedOn: { system: pick(['datix', 'eirf'] as const), reference: `R${int(1000, 99999)}` } } : {}),
        });
        const after = addDays(on, int(0, 10));
        if (after <= ends) risks.push({ id: `${id}-ra`, date: after, reason: 'incident', reviewer: 'cc1', incident: id, episode: episode.id });
      }
      if (episode.discharge)
        episode.discharge = {
          ...episode.discharge,
          writtenInformationGivenOn: addDays(episode.discharge.date, int(1, 12)),
          copiedToGp: true,
          letterSections: LETTER.filter(() => chance(0.9)) as never,
          closureReason: pick(['treatment-completed', 'treatment-completed', 'non-engagement', 'moved-away'] as const),
        };
      if (episode.discharge?.letterSections?.length === 0) delete episode.discharge.letterSections;
      // Meetings about the person: the hub and spoke MDT that opened the referral, the discussion before discharge, a case conference on a refused one.
      if (chance(0.2)) {
        encounters.push({
          id: `${episode.id}-mdt`,
          kind: 'mdt-meeting',
          status: 'finished',
          start: episode.referral.receivedAt!,
          purpose: 'referral',
          episode: episode.id,
          participants: [
            { role: 'care-coordinator', practitioner: 'cc1', attended: true },
            { role: 'psychiatrist', practitioner: 'cc3', attended: chance(0.9) },
          ],
        });
      }
      if (episode.discharge && chance(0.8)) {
        const on = addDays(episode.discharge.date, -int(0, 120));
        encounters.push({
          id: `${episode.id}-discharge-mdt`,
          kind: chance(0.7) ? 'mdt-meeting' : 'contact',
          status: 'finished',
          start: ukTime(on, 11, 0),
          purpose: 'discharge',
          episode: episode.id,
          ...(chance(0.6) ? { section117Considered: chance(0.8) } : {}),
        });
        if (chance(0.1)) {
          const held = addDays(on, -int(7, 30));
          encounters.push({
            id: `${episode.id}-case-conference`,
            kind: 'case-conference',
            status: 'finished',
            start: ukTime(held, 10, 0),
            end: ukTime(held, 11, 30),
            purpose: 'refused-discharge',
            episode: episode.id,
            participants: [
              { role: 'patient', invited: true, attended: chance(0.8) },
              { role: 'team-manager', attended: true },
            ],
            ...(chance(0.9) ? { letterToPersonAt: ukTime(addDays(held, int(0, 2)), 15, 0) } : {}),
          });
        }
      }
    }
    for (const review of r.reviews ?? []) {
      if (review.heldOn === undefined) continue;
      if (chance(0.8)) review.advanceStatement = { offered: chance(0.9), ...(chance(0.8) ? { decision: pick(['made', 'declined'] as const) } : {}) };
      if (chance(0.5)) review.section117Reviewed = chance(0.8);
      encounters.push({
        id: `${review.id}-meeting`,
        kind: 'review-meeting',
        status: 'finished',
        start: ukTime(review.heldOn, 14, 0),
        review: review.id,
        participants: [
          { role: 'patient', attended: chance(0.9), period: { start: ukTime(review.heldOn, 14, chance(0.2) ? int(10, 40) : 0), end: ukTime(review.heldOn, 15, 0) } },
          { role: 'care-coordinator', practitioner: 'cc1', attended: true, period: { start: ukTime(review.heldOn, 14, 0), end: ukTime(review.heldOn, 15, 0) } },
          { role: 'psychiatrist', practitioner: 'cc3', invited: true, attended: chance(0.8), ...(chance(0.5) ? { patientAgreed: chance(0.9) } : {}) },
        ],
      });
    }
    for (const assessment of r.assessments ?? []) if (chance(0.7)) assessment.advocacyConsidered = chance(0.85);
    for (const plan of r.plans ?? []) {
      const action = plan.outcomes?.[0]?.actions?.[0];
      if (action && chance(0.3)) action.section117 = chance(0.5);
    }
    if (encounters.length > 0) r.encounters = encounters;
    if (risks.length > 0) r.riskAssessments = risks;
    if (incidents.length > 0) r.incidents = incidents;
    addPlanHistory(r, planRandom);
    return r;
  });
  // Physical health, medication and outcome measures, waiting lists and capacity decisions, each from its own seeded stream.
  return withCapacityDecisions(withWaitingLists(withHealthEvidence(english)));
}

/**
 * Generated histories with the English evidence as input files of the canonical format, named
 * `english-history-N`: the evidence no bundled example holds, for tests that start from examples.
 */
export function englishEvidenceExamples(count: number): { source: 'ctp'; name: string; text: string }[] {
  return withEnglishEvidence(generateHistories(count)).map((r, i) => ({ source: 'ctp', name: `english-history-${i}`, text: JSON.stringify(r, null, 2) }));
}
