/**
 * The English kinds of plan added to a generated history (generate-english-histories.ts), from
 * their own seeded stream: interim and full safety plans, a best-interest care plan where the
 * person did not take part in planning, leave plans for hospital stays, now and then a step-down
 * plan with its reviews, the parts of each risk formulation, and when each contact's note and
 * outcome were entered (mostly the same or the next day, now and then later); and for hospital
 * stays the time of admission, when the community team was told, weekly contacts with the ward
 * (some at ward rounds), discharge summaries with what they held, and Care and Treatment Reviews;
 * discharge checklists about every six months, and a discharge's steps and destination; letters
 * after assessments and reviews, mostly within a week; whether the person was in crisis at a
 * transfer, and the introductory meeting; an information pack now and then.
 */
import type { CtpRecord } from '../../src/record/record.schema.js';
import { addDays, datePart } from '../../src/time/dates.js';

type OtherPlan = NonNullable<CtpRecord['otherPlans']>[number];

export function addPlanHistory(r: CtpRecord, random: () => number): void {
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const chance = (p: number) => random() < p;
  const to = r.source.extractedAt.slice(0, 10);
  const plans: OtherPlan[] = [];
  for (const episode of r.episodes ?? []) {
    const accepted = episode.acceptedOn;
    if (accepted === undefined) continue;
    const ends = episode.discharge?.date ?? to;
    const made = (kind: OtherPlan['kind'], on: string, extra: Partial<OtherPlan> = {}) => {
      if (on <= ends) plans.push({ id: `${episode.id}-${kind}-${plans.length}`, kind, episode: episode.id, madeOn: on, author: 'cc1', ...extra });
    };
    if (chance(0.8)) made('interim-safety-plan', addDays(accepted, int(0, 3)), { givenTo: [{ role: 'patient', on: addDays(accepted, int(0, 4)) }] });
    const assessed = (r.assessments ?? [])
      .filter((a) => a.episode === episode.id)
      .map((a) => a.date)
      .sort()[0];
    if (assessed !== undefined && chance(0.8)) made('safety-plan', addDays(assessed, int(0, 12)));
    for (const stay of episode.inpatientStays ?? []) {
      if (stay.admittedOn !== undefined && chance(0.4)) {
        const contents = (['rationale', 'timescale', 'crisis-plan', 'contingency-plan'] as const).filter(() => chance(0.85));
        made('leave-plan', addDays(stay.admittedOn, int(5, 20)), contents.length > 0 ? { contents } : {});
      }
    }
    const checklists: NonNullable<typeof episode.dischargeChecklists> = [];
    for (let on = addDays(accepted, int(120, 200)); on <= ends; on = addDays(on, int(150, 200))) {
      checklists.push({ completedOn: on, uploaded: chance(0.9), ...(chance(0.8) ? { referencedInNotes: chance(0.9) } : {}) });
    }
    if (checklists.length > 0 && chance(0.7)) episode.dischargeChecklists = checklists;
    if (episode.discharge && chance(0.8)) {
      const steps = (
        ['discharge-checklist', 'wellbeing-workbook', 'relapse-plan', 'access-point-details', 'signposting', 'mdt-discussion', 'gp-informed', 'next-service-engaged'] as const
      ).filter(() => chance(0.8));
      if (steps.length > 0) episode.discharge.steps = [...steps];
      episode.discharge.destination = chance(0.7) ? 'primary-care' : 'outpatients';
    }
    if (chance(0.5)) {
      const contents = (
        ['service-description', 'coordinator-contact', 'out-of-hours-contact', 'care-plan-and-medication', 'relapse-and-crisis-plan', 'how-to-give-views'] as const
      ).filter(() => chance(0.9));
      episode.informationPack = { givenOn: addDays(accepted, int(0, 40)), ...(contents.length > 0 ? { contents: [...contents] } : {}) };
    }
    if (chance(0.05)) {
      const on = addDays(accepted, int(30, 200));
      const reviewedOn = [1, 2, 3, 4, 5].map((n) => addDays(on, n * int(80, 100))).filter((d) => d <= ends);
      made('step-down-plan', on, reviewedOn.length > 0 ? { reviewedOn } : {});
    }
  }
  for (const plan of r.plans ?? []) {
    if (plan.madeOn === undefined || !chance(0.1)) continue;
    plan.involvement = { tookPart: false };
    if (chance(0.8))
      plans.push({
        id: `${plan.id}-bi`,
        kind: 'best-interest-care-plan',
        madeOn: addDays(plan.madeOn, int(0, 20)),
        givenTo: [{ role: 'patient', on: addDays(plan.madeOn, int(1, 30)) }],
        ...(plan.episode ? { episode: plan.episode } : {}),
      });
  }
  if (plans.length > 0) r.otherPlans = plans;
  const letters: NonNullable<CtpRecord['letters']> = [];
  for (const contact of r.encounters ?? []) {
    const on = contact.start === undefined ? undefined : datePart(contact.start);
    if (contact.kind !== 'assessment' || contact.status !== 'finished' || on === undefined || !chance(0.8)) continue;
    letters.push({ id: `${contact.id}-letter`, kind: 'assessment-outcome', sentOn: addDays(on, int(1, 9)), to: ['patient', 'gp'], encounter: contact.id });
  }
  for (const review of r.reviews ?? []) {
    if (review.heldOn === undefined || !chance(0.8)) continue;
    letters.push({
      id: `${review.id}-letter`,
      kind: 'review-outcome',
      sentOn: addDays(review.heldOn, int(1, 9)),
      to: ['gp'],
      review: review.id,
      medicationChanged: chance(0.2),
    });
  }
  if (letters.length > 0) r.letters = letters;
  for (const transfer of (r.episodes ?? []).flatMap((e) => e.transfers ?? [])) {
    if (chance(0.8)) transfer.personInCrisis = chance(0.05);
    if (chance(0.7)) transfer.introductoryMeetingOn = addDays(transfer.date, int(-20, 20));
  }
  for (const contact of r.encounters ?? []) {
    if (contact.start === undefined || (contact.status !== 'finished' && contact.status !== 'did-not-attend') || !chance(0.7)) continue;
    const after = (days: number) => {
      const at = Date.parse(contact.start!) + days * 86_400_000 + int(1, 7) * 3_600_000;
      return Number.isNaN(at) ? addDays(datePart(contact.start!)!, days) : new Date(at).toISOString().replace('.000Z', 'Z');
    };
    contact.auditTimes = {
      ...(contact.status === 'finished' ? { noteRecordedAt: after(chance(0.9) ? 0 : int(1, 4)) } : {}),
      outcomedAt: after(chance(0.9) ? 0 : int(1, 3)),
    };
  }
  for (const stay of (r.episodes ?? []).flatMap((e) => e.inpatientStays ?? [])) {
    if (stay.admittedOn === undefined) continue;
    stay.admittedAt = `${stay.admittedOn}T${String(int(8, 11)).padStart(2, '0')}:00:00Z`;
    if (chance(0.8)) stay.communityTeamToldAt = addDays(stay.admittedOn, int(0, 2));
    if (chance(0.1)) stay.outOfArea = true;
    const last = stay.dischargedOn ?? to;
    const contacts: NonNullable<typeof stay.wardContacts> = [];
    for (let on = addDays(stay.admittedOn, int(2, 8)); on <= last; on = addDays(on, int(5, 9))) contacts.push({ at: on, by: 'care-coordinator', wardRound: chance(0.7) });
    if (contacts.length > 0) stay.wardContacts = contacts;
    if (chance(0.2)) stay.careAndTreatmentReviews = [{ kind: chance(0.8) ? 'community' : 'post-admission', on: addDays(stay.admittedOn, -int(0, 30)) }];
    if (stay.dischargedOn !== undefined && chance(0.8)) {
      const contents = (['weight', 'height', 'bmi', 'bloods', 'physical-observations', 'annual-health-check', 'medication'] as const).filter(() => chance(0.85));
      stay.dischargeSummaries = (['gp', 'patient', 'community-team'] as const)
        .filter(() => chance(0.8))
        .map((to) => ({ to, sentOn: addDays(stay.dischargedOn!, int(1, 18)), ...(contents.length > 0 ? { contents: [...contents] } : {}) }));
      if (stay.dischargeSummaries.length === 0) delete stay.dischargeSummaries;
    }
  }
  for (const risk of r.riskAssessments ?? []) {
    if (chance(0.7)) risk.formulation = (['problem', 'predisposing', 'precipitating', 'perpetuating', 'protective'] as const).filter(() => chance(0.9)) as never;
    if (risk.formulation?.length === 0) delete risk.formulation;
  }
}
