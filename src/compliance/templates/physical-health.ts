/**
 * Physical health and medication (English trust policies: ELFT §15, §16; LPT SOP §6.11, §6.12,
 * §6.16, App 4): checks when an antipsychotic is started, at its follow-up and every year after,
 * before each CPA review, the GP told of abnormal findings, the prescriber's yearly review, a depot
 * not given past its review date, and what follows a missed depot or physical health clinic.
 */
import { z } from 'zod';
import { clinicKinds, clinicKindVocabulary, physicalHealthChecks, physicalHealthCheckVocabulary } from '../../record/health-vocabulary.js';
import type { CtpRecord } from '../../record/record.schema.js';
import { addDays, dayNumberOfIsoDate, daysBetween, fromDayNumber, type IsoDate, LAST_FOUR_DIGIT_DAY } from '../../time/dates.js';
import { type Duration, dueDate, dueDayNumber, formatDuration } from '../../time/duration.js';
import { londonDateOfValue } from '../../time/elapsed.js';
import { perPerson, type RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate, type Emit } from '../template.js';
import { at, firstIndexFrom, judgeDeadline } from './common.js';
import { capitalise } from './wording.js';

type Medication = NonNullable<CtpRecord['medications']>[number];
type Check = NonNullable<CtpRecord['physicalHealthChecks']>[number];
type Kind = (typeof physicalHealthChecks)[number];

const kindsParam = z.array(z.enum(physicalHealthChecks)).min(1);
/** Each kind's name as messages write it, worked out once when the module loads. */
const kindName = Object.fromEntries(physicalHealthChecks.map((k) => [k, physicalHealthCheckVocabulary[k].display.toLowerCase()])) as Readonly<Record<Kind, string>>;
const names = (kinds: readonly Kind[]) => {
  let text = '';
  for (let i = 0; i < kinds.length; i++) text += i === 0 ? kindName[kinds[i]!] : `, ${kindName[kinds[i]!]}`;
  return text;
};
/** The kinds' names for messages, worked out once per rule when its pack loads. */
const withKindNames = <P extends { kinds: readonly Kind[] }>(p: P) => ({ ...p, kindNames: names(p.kinds) });
/** "medicine 2": how findings name a medicine without its name (which may say more than it should). */
const medicineName = (f: RecordFacts, m: Medication) => `the antipsychotic (medicine ${f.indexOf(m) + 1})`;

/**
 * Physical health checks with the UK date each was made or offered, by date, and apart, in record
 * order, those known only by their month or year. Worked out once per person, as several rules
 * read them.
 */
const checksByDate = perPerson((f): { readonly dated: readonly DatedCheck[]; readonly loose: readonly Check[] } => {
  const dated: DatedCheck[] = [];
  const loose: Check[] = [];
  for (const check of f.record.physicalHealthChecks ?? []) {
    const on = f.ukDateOf(check.date);
    if (on !== undefined) dated.push({ check, on });
    else loose.push(check);
  }
  return { dated: dated.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0)), loose };
});

/** The physical health checks with a UK date, by date (checksByDate). */
const datedChecks = (f: RecordFacts): readonly DatedCheck[] => checksByDate(f).dated;

interface DatedCheck {
  readonly check: Check;
  readonly on: IsoDate;
}

/** The index of the first check (by date) on or after `date`. */
const firstCheckFrom = (checks: readonly DatedCheck[], date: IsoDate): number => firstIndexFrom(checks, checkDate, date);
const checkDate = (c: DatedCheck): IsoDate => c.on;

/** Where checks of the kinds are dated too loosely (a month or a year) to be placed. */
const looselyDated = (f: RecordFacts, kinds: readonly Kind[]) =>
  checksByDate(f)
    .loose.filter((c) => kinds.includes(c.kind))
    .map((c) => `${at.item(f, 'physicalHealthChecks', c)}.date`);

/** The kinds among `kinds` with no check (made or declined) dated from `from` to `to`. */
function missingKinds(checks: readonly DatedCheck[], kinds: readonly Kind[], from: IsoDate, to: IsoDate): Kind[] {
  // One pass over the window gathers the kinds checked in it.
  const checked: Kind[] = [];
  for (let i = firstCheckFrom(checks, from); i < checks.length && checks[i]!.on <= to; i++) checked.push(checks[i]!.check.kind);
  return kinds.filter((k) => !checked.includes(k));
}

/** A medicine's start, or undefined after saying it cannot be judged without one. */
function startOf(f: RecordFacts, emit: Emit, medication: Medication, what: string): IsoDate | undefined {
  if (medication.start !== undefined) return medication.start;
  const location = at.item(f, 'medications', medication);
  emit.cannotEvaluate([`${location}.start`], `When ${what} was started is not recorded.`, location);
  return undefined;
}

/** The person's antipsychotics, worked out once per person, as several rules read them. */
const antipsychotics = perPerson((f): readonly Medication[] => (f.record.medications ?? []).filter((m) => m.class === 'antipsychotic'));

/** The clinic rules judge appointments at a clinic, and nothing else. */
const atClinic = () => ['encounters.clinic'] as const;

/** The medicine rules judge the person's medicines (antipsychotics, depots), and nothing else. */
const onMedicines = () => ['medications'] as const;

/**
 * Starts of antipsychotic treatment on or before the evaluation date. With `restartGap`, a start
 * within that time of another antipsychotic running is a continuation, not a new start (LPT SOP
 * App 4: a restart counts "after a 3-month gap"); a high-dose start always counts when `highDose`.
 * A medicine with no start date cannot be placed.
 */
function newStarts(f: RecordFacts, emit: Emit, c: { restartGap?: Duration | undefined; highDose: boolean }): { medication: Medication; start: IsoDate }[] {
  const all = antipsychotics(f);
  const starts: { medication: Medication; start: IsoDate }[] = [];
  for (const medication of all) {
    const start = startOf(f, emit, medication, 'the antipsychotic');
    if (start === undefined || start > f.asOf) continue;
    if (!(c.highDose && medication.highDose === true) && c.restartGap !== undefined && continuesAnother(f, all, medication, start, c.restartGap)) continue;
    starts.push({ medication, start });
  }
  return starts;
}

/** Whether another of the antipsychotics started before `start` and ran to within `gap` of it. */
function continuesAnother(f: RecordFacts, all: readonly Medication[], medication: Medication, start: IsoDate, gap: Duration): boolean {
  for (const other of all) {
    if (other === medication || other.start === undefined || other.start >= start) continue;
    if (other.end === undefined || dueDate(other.end, gap, f.calendar) >= start) return true;
  }
  return false;
}

/** The day an antipsychotic stopped, if it has by the evaluation date. */
const stoppedOn = (f: RecordFacts, m: Medication): IsoDate | undefined => (m.end !== undefined && m.end <= f.asOf ? m.end : undefined);

/**
 * Baseline physical health checks when an antipsychotic is started: each kind named made (or
 * offered and declined) from `before` the start to `after` it (ELFT §15; LPT SOP §6.12, App 4).
 */
export const baselinePhysicalChecks = defineTemplate({
  name: 'baseline-physical-checks',
  params: z
    .object({ kinds: kindsParam, before: durationParam, after: durationParam, restartGap: durationParam.optional(), highDose: z.boolean().default(false) })
    .strict()
    .transform(withKindNames),
  tightening: { after: 'lower' },
  silentWithout: onMedicines,
  evaluate(f, params, emit) {
    const { kinds, kindNames, before, after, restartGap, highDose } = params();
    const starts = newStarts(f, emit, { restartGap, highDose });
    if (starts.length === 0) return;
    const checks = datedChecks(f);
    for (const { medication, start } of starts) {
      const location = at.item(f, 'medications', medication);
      const from = windowBefore(f, start, before);
      const due = dueDate(start, after, f.calendar);
      const missing = missingKinds(checks, kinds, from, due);
      if (missing.length === 0) {
        emit.pass(`Baseline checks (${kindNames}) were made when ${medicineName(f, medication)} was started.`, location);
        continue;
      }
      const loose = looselyDated(f, missing);
      if (loose.length > 0) {
        emit.cannotEvaluate(loose, `Whether the baseline checks were made depends on checks dated only by month or year.`, location);
        continue;
      }
      if (due >= f.asOf) {
        emit.notApplicable(`Not yet due: ${formatDuration(after)} from the start of ${medicineName(f, medication)} have not passed.`, location);
        continue;
      }
      emit.fail(
        `No ${names(missing)} from ${formatDuration(before)} before to ${formatDuration(after)} after ${medicineName(f, medication)} was started on ${start}.`,
        location,
        { due },
      );
    }
  },
});

/** The first day of a window of `d` up to `date` (as many days back as `d` runs forward from it). */
export function windowBefore(f: RecordFacts, date: IsoDate, d: Duration): IsoDate {
  const day = dayNumberOfIsoDate(date);
  const due = Number.isNaN(day) ? Number.NaN : dueDayNumber(day, d, f.calendar);
  // On day numbers when `date` is a calendar date and the due date has a four-digit year (what dueDate writes then); otherwise (NaN, hours) as written.
  if (Number.isNaN(due) || due > LAST_FOUR_DIGIT_DAY) return addDays(date, -daysBetween(date, dueDate(date, d, f.calendar)));
  return fromDayNumber(day - (due - day));
}

/**
 * The follow-up checks after an antipsychotic is started: each kind named made (or declined)
 * from `from` to `by` after the start (LPT SOP App 4, form 2 "at the 3-month follow-up"). A
 * medicine stopped before `from` needs none.
 */
export const followUpPhysicalChecks = defineTemplate({
  name: 'follow-up-physical-checks',
  params: z
    .object({ kinds: kindsParam, from: durationParam, by: durationParam, restartGap: durationParam.optional() })
    .strict()
    .transform(withKindNames)
    .transform((p) => ({ ...p, passed: `Follow-up checks (${p.kindNames}) were made ${formatDuration(p.from)} to ${formatDuration(p.by)} after the start.` })),
  tightening: { by: 'lower' },
  silentWithout: onMedicines,
  evaluate(f, params, emit) {
    const { kinds, from, by, restartGap, passed } = params();
    const starts = newStarts(f, emit, { restartGap, highDose: false });
    if (starts.length === 0) return;
    const checks = datedChecks(f);
    for (const { medication, start } of starts) {
      const location = at.item(f, 'medications', medication);
      const opens = dueDate(start, from, f.calendar);
      const due = dueDate(start, by, f.calendar);
      const stopped = stoppedOn(f, medication);
      if (stopped !== undefined && stopped < opens) {
        emit.notApplicable(`${capitalise(medicineName(f, medication))} was stopped before the follow-up was due.`, location);
        continue;
      }
      const missing = missingKinds(checks, kinds, opens, due);
      if (missing.length === 0) {
        emit.pass(passed, location);
        continue;
      }
      const loose = looselyDated(f, missing);
      if (loose.length > 0) emit.cannotEvaluate(loose, 'Whether the follow-up checks were made depends on checks dated only by month or year.', location);
      else if (due >= f.asOf) emit.notApplicable(`Not yet due: ${formatDuration(by)} from the start of ${medicineName(f, medication)} have not passed.`, location);
      else
        emit.fail(`No ${names(missing)} from ${formatDuration(from)} to ${formatDuration(by)} after ${medicineName(f, medication)} was started on ${start}.`, location, {
          due,
        });
    }
  },
});

/**
 * While a person takes an antipsychotic, each kind named is checked at least every `every`,
 * counted from the start (LPT SOP App 4: "annual metabolic monitoring"). One finding per medicine,
 * naming each kind that went longer and when it first fell due.
 */
export const physicalChecksWhileTreated = defineTemplate({
  name: 'physical-checks-while-treated',
  params: z.object({ kinds: kindsParam, every: durationParam }).strict().transform(withKindNames),
  tightening: { every: 'lower' },
  silentWithout: onMedicines,
  evaluate(f, params, emit) {
    const medications = antipsychotics(f);
    if (medications.length === 0) return;
    const { kinds, kindNames, every } = params();
    const checks = datedChecks(f);
    const dueAfter = dueDates(f, every);
    for (const medication of medications) {
      const location = at.item(f, 'medications', medication);
      const start = startOf(f, emit, medication, 'the antipsychotic');
      if (start === undefined || start > f.asOf) continue;
      const to = stoppedOn(f, medication) ?? f.asOf;
      const overdue = overdueKinds(checks, kinds, dueAfter, start, to);
      if (overdue.length === 0) {
        if (dueAfter(start) >= to) emit.notApplicable(`Not yet due: ${formatDuration(every)} on ${medicineName(f, medication)} have not passed.`, location);
        else emit.pass(`${capitalise(kindNames)} checked at least every ${formatDuration(every)} on ${medicineName(f, medication)}.`, location);
        continue;
      }
      let due = overdue[0]!.due;
      for (const o of overdue) if (o.due < due) due = o.due;
      emit.fail(`On ${medicineName(f, medication)}, more than ${formatDuration(every)} went without ${names(overdue.map((o) => o.kind))}.`, location, { due });
    }
  },
});

/**
 * dueDate of `d` from each anchor asked, keeping the last: anchors come in runs (checks of several
 * kinds made the same day, injections under the same review), so most are worked out once.
 */
function dueDates(f: RecordFacts, d: Duration): (from: IsoDate) => IsoDate {
  let lastFrom: IsoDate | undefined;
  let lastDue = '';
  return (from) => {
    if (from !== lastFrom) {
      lastFrom = from;
      lastDue = dueDate(from, d, f.calendar);
    }
    return lastDue;
  };
}

/**
 * Each of `kinds` that went unchecked for longer than allowed (`dueAfter` the start or its previous
 * check) from `start` to `to`, in the kinds' order, with the first day it fell due: one pass over
 * the checks for every kind, each kind's count stopping at its first lapse.
 */
function overdueKinds(
  checks: readonly DatedCheck[],
  kinds: readonly Kind[],
  dueAfter: (from: IsoDate) => IsoDate,
  start: IsoDate,
  to: IsoDate,
): { kind: Kind; due: IsoDate }[] {
  // By the position of each kind's first mention in `kinds`, so a kind named twice is judged alike.
  const previous: IsoDate[] = kinds.map(() => start);
  const lapsed: (IsoDate | undefined)[] = kinds.map(() => undefined);
  for (let i = firstCheckFrom(checks, start); i < checks.length && checks[i]!.on <= to; i++) {
    const { check, on } = checks[i]!;
    const k = kinds.indexOf(check.kind);
    if (k < 0 || lapsed[k] !== undefined) continue;
    const due = dueAfter(previous[k]!);
    if (on > due) lapsed[k] = due;
    else previous[k] = on;
  }
  const overdue: { kind: Kind; due: IsoDate }[] = [];
  for (const kind of kinds) {
    const k = kinds.indexOf(kind);
    let due = lapsed[k];
    if (due === undefined) {
      const last = dueAfter(previous[k]!);
      if (to > last) due = lapsed[k] = last;
    }
    if (due !== undefined) overdue.push({ kind, due });
  }
  return overdue;
}

/**
 * Reviews held (CPA meetings): a review's date, or a review meeting not linked to a review held the
 * same day. Worked out once per person, as several rules read them.
 */
export const heldReviews = perPerson((f): readonly { on: IsoDate; location: string }[] => {
  const held: { on: IsoDate; location: string }[] = [];
  const ids: string[] = [];
  for (const r of f.record.reviews ?? []) {
    if (r.heldOn === undefined || r.heldOn > f.asOf) continue;
    held.push({ on: r.heldOn, location: at.item(f, 'reviews', r) });
    ids.push(r.id);
  }
  const reviewCount = held.length;
  for (const c of f.contacts) {
    if (c.encounter.kind !== 'review-meeting' || c.date > f.asOf) continue;
    let linked = false;
    for (let i = 0; i < reviewCount && !linked; i++) linked = ids[i] === c.encounter.review || held[i]!.on === c.date;
    if (!linked) held.push({ on: c.date, location: at.item(f, 'encounters', c.encounter) });
  }
  return held;
});

/** Whether an antipsychotic was being taken on `date`. */
const onAntipsychoticOn = (medications: readonly Medication[], date: IsoDate) =>
  medications.some((m) => m.start !== undefined && m.start <= date && (m.end === undefined || m.end >= date));

/**
 * For everyone on an antipsychotic, physical health including cardio-metabolic risk factors is
 * reviewed before each CPA review: a check of one of the kinds named within `within` up to the day
 * (ELFT §16).
 */
export const physicalReviewBeforeReview = defineTemplate({
  name: 'physical-review-before-review',
  params: z
    .object({ kinds: kindsParam, within: durationParam })
    .strict()
    .transform(withKindNames)
    .transform((p) => ({ ...p, notReviewed: `The person takes an antipsychotic and physical health (${p.kindNames}) was not reviewed in the ${formatDuration(p.within)}` })),
  silentWithout: onMedicines,
  evaluate(f, params, emit) {
    const medications = antipsychotics(f);
    if (medications.length === 0) return;
    const { kinds, within, notReviewed } = params();
    const checks = datedChecks(f);
    for (const { on, location } of heldReviews(f)) {
      if (!onAntipsychoticOn(medications, on)) {
        const unknown = medications.filter((m) => m.start === undefined && (m.end === undefined || m.end >= on)).map((m) => `${at.item(f, 'medications', m)}.start`);
        if (unknown.length > 0) emit.cannotEvaluate(unknown, `Whether the person took an antipsychotic at the CPA review of ${on} depends on when it was started.`, location);
        continue;
      }
      const done = lastCheckOf(checks, kinds, windowBefore(f, on, within), on);
      if (done !== undefined) emit.pass(`Physical health was reviewed on ${done.on}, before the CPA review of ${on}.`, location);
      else emit.fail(`${notReviewed} before the CPA review of ${on}.`, location);
    }
  },
});

/** The latest check (by date, the last in record order on a day) of one of the kinds dated from `from` to `to`. */
function lastCheckOf(checks: readonly DatedCheck[], kinds: readonly Kind[], from: IsoDate, to: IsoDate): DatedCheck | undefined {
  for (let i = firstIndexFrom(checks, checkDate, to, true) - 1; i >= 0 && checks[i]!.on >= from; i--) if (kinds.includes(checks[i]!.check.kind)) return checks[i];
  return undefined;
}

/** The GP is told of an abnormal physical health finding within a time of the check (ELFT §15; LPT SOP §6.11). */
export const gpToldOfAbnormalFinding = defineTemplate({
  name: 'gp-told-of-abnormal-finding',
  params: z.object({ within: durationParam }).strict(),
  tightening: { within: 'lower' },
  silentWithout: () => ['physicalHealthChecks'],
  evaluate(f, params, emit) {
    const { within } = params();
    for (const check of f.record.physicalHealthChecks ?? []) {
      if (check.abnormal !== true) continue;
      const location = at.item(f, 'physicalHealthChecks', check);
      const on = f.ukDateOf(check.date);
      if (on === undefined) {
        emit.cannotEvaluate([`${location}.date`], 'The abnormal finding is dated only by month or year.', location);
        continue;
      }
      judgeDeadline(f, emit, {
        anchor: on,
        done: check.gpInformedOn,
        limit: within,
        what: `The GP was told of the abnormal ${kindName[check.kind]}`,
        notDone: `The GP has not been told of the abnormal ${kindName[check.kind]}`,
        since: 'the check',
        location,
      });
    }
  },
});

/**
 * Every medicine (or only depots) has a prescriber review at least every `every`, from its start to
 * its end or the evaluation date (LPT SOP §6.16.1.1, §6.16.8). Judged like the risk review interval:
 * a late review fails where it is, a gap still open fails at the medicine.
 */
export const prescriberReviewInterval = defineTemplate({
  name: 'prescriber-review-interval',
  params: z.object({ every: durationParam, depotOnly: z.boolean().default(false) }).strict(),
  tightening: { every: 'lower' },
  silentWithout: onMedicines,
  evaluate(f, params, emit) {
    const { every, depotOnly } = params();
    for (const medication of f.record.medications ?? []) {
      if (depotOnly && medication.depot !== true) continue;
      const location = at.item(f, 'medications', medication);
      const start = startOf(f, emit, medication, 'the medicine');
      if (start === undefined || start > f.asOf) continue;
      const to = stoppedOn(f, medication) ?? f.asOf;
      let previous = start;
      let failures = 0;
      const reviews = [...(medication.reviews ?? [])].filter((r) => r.on <= to).sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
      for (const review of reviews) {
        if (review.on < previous) continue;
        const due = dueDate(previous, every, f.calendar);
        if (review.on > due) {
          failures += 1;
          emit.fail(
            `The prescriber reviewed medicine ${f.indexOf(medication) + 1} more than ${formatDuration(every)} after ${previous === start ? 'its start' : 'the previous review'}.`,
            `${location}.reviews[${(medication.reviews ?? []).indexOf(review)}]`,
            { due },
          );
        }
        previous = review.on;
      }
      const due = dueDate(previous, every, f.calendar);
      if (to > due) {
        failures += 1;
        emit.fail(`Medicine ${f.indexOf(medication) + 1} has gone more than ${formatDuration(every)} without a prescriber review.`, location, { due });
      }
      if (failures > 0) continue;
      if (reviews.length > 0) emit.pass(`The prescriber reviewed medicine ${f.indexOf(medication) + 1} at least every ${formatDuration(every)}.`, location);
      else if (to < f.asOf) emit.notApplicable(`Medicine ${f.indexOf(medication) + 1} was stopped before a review fell due.`, location);
      else emit.notApplicable(`Not yet due: ${formatDuration(every)} from the start of medicine ${f.indexOf(medication) + 1} have not passed.`, location);
    }
  },
});

/**
 * A depot is not given once the review date on its chart has passed (LPT SOP §6.16.5). The review
 * date in force is the one set at the latest review before the injection; where a review set none,
 * or there has been no review, pont reads it as `every` after that review or the start (the
 * policy's yearly minimum).
 */
export const depotWithinReviewDate = defineTemplate({
  name: 'depot-within-review-date',
  params: z.object({ every: durationParam }).strict(),
  tightening: { every: 'lower' },
  silentWithout: onMedicines,
  evaluate(f, params, emit) {
    const { every } = params();
    // Injections in a row mostly fall under the same review: its default review date is worked out once for them.
    const defaultReviewDate = dueDates(f, every);
    for (const medication of f.record.medications ?? []) {
      if (medication.depot !== true) continue;
      const location = at.item(f, 'medications', medication);
      const reviews = [...(medication.reviews ?? [])].sort((a, b) => (a.on < b.on ? 1 : a.on > b.on ? -1 : 0));
      const administrations = medication.administrations ?? [];
      for (let i = 0; i < administrations.length; i++) {
        // No other check reads an injection's time, so its UK date is not kept in the facts' cache (ukDateOf).
        const on = londonDateOfValue(administrations[i]!.at);
        if (on !== undefined && on > f.asOf) continue;
        const where = `${location}.administrations[${i}]`;
        if (on === undefined) {
          emit.cannotEvaluate([`${where}.at`], 'The injection is dated only by month or year.', where);
          continue;
        }
        const last = reviews.find((r) => r.on <= on);
        const from = last?.on ?? medication.start;
        if (from === undefined) {
          emit.cannotEvaluate([`${location}.start`], 'Neither a review nor the start of the depot is recorded, so its review date is unknown.', where);
          continue;
        }
        const reviewDate = last?.nextReviewOn ?? defaultReviewDate(from);
        if (on > reviewDate) emit.fail(`The depot was given on ${on}, after its review date of ${reviewDate} had passed.`, where, { due: reviewDate });
        else emit.pass(`The depot was given on ${on}, within its review date of ${reviewDate}.`, where);
      }
    }
  },
});

type Encounter = NonNullable<CtpRecord['encounters']>[number];
type Clinic = (typeof clinicKinds)[number];

/** Each clinic's appointments in record order, worked out once per person: the clinic rules here and in support-and-clinics.ts read them. */
const clinicAppointments = perPerson((f): ReadonlyMap<Clinic, readonly Encounter[]> => {
  const byClinic = new Map<Clinic, Encounter[]>();
  for (const encounter of f.record.encounters ?? []) {
    if (encounter.clinic === undefined) continue;
    const list = byClinic.get(encounter.clinic);
    if (list === undefined) byClinic.set(encounter.clinic, [encounter]);
    else list.push(encounter);
  }
  return byClinic;
});

/** The appointments (encounters) at a kind of clinic, in record order. */
export const appointmentsAt = (f: RecordFacts, clinic: Clinic): readonly Encounter[] => clinicAppointments(f).get(clinic) ?? [];

/** UK dates of the risk assessments, in record order; one dated by month or year alone is left out. Worked out once per person, as several rules read them. */
export const riskAssessmentUkDates = perPerson((f): readonly IsoDate[] => {
  const dates: IsoDate[] = [];
  for (const r of f.record.riskAssessments ?? []) {
    const on = r.date === undefined ? undefined : f.ukDateOf(r.date);
    if (on !== undefined) dates.push(on);
  }
  return dates;
});

interface MissedAppointments {
  /** Those with a UK date on or before the evaluation date. */
  readonly dated: readonly { encounter: Encounter; on: IsoDate; location: string }[];
  /** Where those without a date are. */
  readonly undated: readonly string[];
}

/** Each clinic's missed appointments (missedAt), worked out once per person and clinic: several rules follow up those of the same clinic. */
const missedAppointments = perPerson(() => new Map<Clinic, MissedAppointments>());

function missedAppointmentsAt(f: RecordFacts, clinic: Clinic): MissedAppointments {
  const byClinic = missedAppointments(f);
  const known = byClinic.get(clinic);
  if (known !== undefined) return known;
  const dated: { encounter: Encounter; on: IsoDate; location: string }[] = [];
  const undated: string[] = [];
  for (const encounter of appointmentsAt(f, clinic)) {
    if (encounter.status !== 'did-not-attend') continue;
    const location = at.item(f, 'encounters', encounter);
    const on = encounter.start === undefined ? undefined : f.ukDateOf(encounter.start);
    if (on === undefined) undated.push(location);
    else if (on <= f.asOf) dated.push({ encounter, on, location });
  }
  const missed = { dated, undated };
  byClinic.set(clinic, missed);
  return missed;
}

/** Missed appointments at a kind of clinic, with the UK date each was for; says where one has no date. */
function missedAt(f: RecordFacts, emit: Emit, clinic: Clinic): readonly { encounter: Encounter; on: IsoDate; location: string }[] {
  const { dated, undated } = missedAppointmentsAt(f, clinic);
  for (const location of undated) emit.cannotEvaluate([`${location}.start`], 'When the missed appointment was is not recorded.', location);
  return dated;
}

/** UK dates of the depot appointments held or booked (not cancelled). */
function depotAppointmentDates(f: RecordFacts): IsoDate[] {
  const dates: IsoDate[] = [];
  for (const e of appointmentsAt(f, 'depot')) {
    const on = e.status === 'cancelled' || e.start === undefined ? undefined : f.ukDateOf(e.start);
    if (on !== undefined) dates.push(on);
  }
  return dates;
}

/** The earliest of the dates that `follows` takes, if any. */
function earliestOf(dates: readonly IsoDate[], follows: (d: IsoDate) => boolean): IsoDate | undefined {
  let first: IsoDate | undefined;
  for (const d of dates) if (follows(d) && (first === undefined || d < first)) first = d;
  return first;
}

/**
 * After a missed depot appointment: a risk assessment within `within` of the day, and another depot
 * appointment within `rebookedWithin` (LPT SOP §6.16.10).
 */
export const afterMissedDepot = defineTemplate({
  name: 'after-missed-depot',
  params: z.object({ of: z.enum(['risk-assessment', 'rebooked']), within: durationParam }).strict(),
  tightening: { within: 'lower' },
  silentWithout: atClinic,
  evaluate(f, params, emit) {
    const { of, within } = params();
    const missed = missedAt(f, emit, 'depot');
    if (missed.length === 0) return;
    // What can follow a missed appointment, by UK date: a risk assessment that day or after, or another depot appointment a later day.
    const risk = of === 'risk-assessment';
    const dates = risk ? riskAssessmentUkDates(f) : depotAppointmentDates(f);
    for (const { on, location } of missed) {
      const done = earliestOf(dates, (d) => (risk ? d >= on : d > on));
      judgeDeadline(f, emit, {
        anchor: on,
        done,
        limit: within,
        what: risk ? 'A risk assessment was made' : 'Another depot appointment was held or booked',
        notDone: risk ? 'No risk assessment has been made' : 'No other depot appointment has been booked',
        since: 'the missed depot appointment',
        location,
      });
    }
  },
});

/** Whoever referred the person to a clinic is told of a missed appointment there within a time (LPT SOP App 4). */
export const referrerToldOfMissedClinic = defineTemplate({
  name: 'referrer-told-of-missed-clinic',
  params: z
    .object({ clinic: z.enum(clinicKinds), within: durationParam })
    .strict()
    .transform((p) => ({ ...p, since: `the missed ${clinicKindVocabulary[p.clinic].display.toLowerCase()} appointment` })),
  tightening: { within: 'lower' },
  silentWithout: atClinic,
  evaluate(f, params, emit) {
    const { clinic, within, since } = params();
    for (const { encounter, on, location } of missedAt(f, emit, clinic)) {
      judgeDeadline(f, emit, {
        anchor: on,
        done: encounter.referrerInformedOn,
        limit: within,
        what: 'The referrer was told',
        notDone: 'The referrer has not been told',
        since,
        location,
      });
    }
  },
});

export const physicalHealthTemplates = [
  baselinePhysicalChecks,
  followUpPhysicalChecks,
  physicalChecksWhileTreated,
  physicalReviewBeforeReview,
  gpToldOfAbnormalFinding,
  prescriberReviewInterval,
  depotWithinReviewDate,
  afterMissedDepot,
  referrerToldOfMissedClinic,
];
