/**
 * Hospital stays under the English trust policies: the community team told of an admission (LPT
 * CCP Appendix 1), a community Care and Treatment Review before it (LPT CCP §3.7), contact with
 * the ward while the person is in (LPT CCP §3.9 and Appendix 1; ELFT §20), the discharge summary,
 * its recipients and contents, and a crisis and contingency plan in place at discharge (LPT CCP
 * §3.13 and Appendix 1).
 */
import { z } from 'zod';
import { dischargeSummaryContents, dischargeSummaryContentVocabulary, summaryRecipients, summaryRecipientVocabulary } from '../../record/english-plans-vocabulary.js';
import { meetingRoles } from '../../record/english-vocabulary.js';
import type { CtpRecord } from '../../record/record.schema.js';
import type { IsoDate } from '../../time/dates.js';
import type { Duration } from '../../time/duration.js';
import { type Episode, perPerson, type RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate, type Emit } from '../template.js';
import { at, judgeDeadline } from './common.js';
import { judgeEvery } from './english-plans.js';
import { capitalise, lowerFirst } from './wording.js';

type Stay = NonNullable<Episode['inpatientStays']>[number];
type Plan = NonNullable<CtpRecord['plans']>[number];

interface StayAt {
  readonly stay: Stay;
  readonly episode: Episode;
  readonly location: string;
}

/** Each stay with its episode and where it is in the record, for the packs' settings by team type: shared by the ward rules. */
const allStays = perPerson((f): readonly StayAt[] => {
  const all: StayAt[] = [];
  for (const episode of f.record.episodes ?? []) {
    const inpatientStays = episode.inpatientStays;
    if (inpatientStays === undefined || inpatientStays.length === 0) continue;
    const episodeAt = at.item(f, 'episodes', episode);
    for (const stay of inpatientStays) all.push({ stay, episode, location: `${episodeAt}.inpatientStays[${f.indexOf(stay)}]` });
  }
  return all;
});

/** The person's stays; most people have none, which is told without the index. */
function stays(f: RecordFacts): readonly StayAt[] {
  return (f.record.episodes ?? []).some((e) => e.inpatientStays !== undefined && e.inpatientStays.length > 0) ? allStays(f) : [];
}

const allDischarged = perPerson((f): readonly (StayAt & { on: IsoDate })[] => {
  const out: (StayAt & { on: IsoDate })[] = [];
  for (const s of allStays(f)) if (s.stay.dischargedOn !== undefined && s.stay.dischargedOn <= f.asOf) out.push({ ...s, on: s.stay.dischargedOn });
  return out;
});

/** Stays discharged by the date of evaluation, with the day of discharge. */
function discharged(f: RecordFacts): readonly (StayAt & { on: IsoDate })[] {
  return stays(f).length === 0 ? [] : allDischarged(f);
}

const applies = z.boolean().default(true);

/** Every ward rule judges only stays in hospital. */
const inHospital = () => ['episodes.inpatientStays'] as const;

/**
 * The ward tells the community team of an admission within a time of it (LPT CCP Appendix 1: the
 * assertive outreach and early intervention teams within 24 hours, by email). Hours run from the
 * time of admission where the record holds it; no record of telling is not done.
 */
export const communityTeamToldOfAdmission = defineTemplate({
  name: 'community-team-told-of-admission',
  params: z.object({ within: durationParam, applies }).strict(),
  tightening: { within: 'lower' },
  silentWithout: inHospital,
  evaluate(f, params, emit) {
    for (const { stay, episode, location } of stays(f)) {
      const { within, applies } = params(episode);
      if (!applies || stay.admittedOn === undefined || stay.admittedOn > f.asOf) continue;
      const told = stay.communityTeamToldAt;
      judgeDeadline(f, emit, {
        anchor: stay.admittedOn,
        anchorAt: { value: stay.admittedAt ?? stay.admittedOn, path: `${location}.admittedAt` },
        done: told === undefined ? undefined : f.ukDateOf(told),
        doneAt: told === undefined ? undefined : { value: told, path: `${location}.communityTeamToldAt` },
        limit: within,
        what: 'The ward told the community team',
        notDone: 'The ward is not recorded as telling the community team of the admission',
        since: 'the admission',
        location,
      });
    }
  },
});

/**
 * An admission is preceded by a community Care and Treatment Review (LPT CCP §3.7: for people
 * with a learning disability or autism, an admission without one is a breach and a reportable
 * incident). A review on the day of admission counts.
 */
export const communityReviewBeforeAdmission = defineTemplate({
  name: 'community-review-before-admission',
  params: z.object({ applies }).strict(),
  silentWithout: inHospital,
  evaluate(f, params, emit) {
    for (const { stay, episode, location } of stays(f)) {
      if (!params(episode).applies) continue;
      if (stay.admittedOn === undefined) {
        if (stay.dischargedOn !== undefined && stay.dischargedOn <= f.asOf)
          emit.cannotEvaluate([`${location}.admittedOn`], 'When the person was admitted is not recorded.', location);
        continue;
      }
      if (stay.admittedOn > f.asOf) continue;
      const admitted = stay.admittedOn;
      if ((stay.careAndTreatmentReviews ?? []).some((r) => r.kind === 'community' && r.on <= admitted)) {
        emit.pass('A community Care and Treatment Review was held before the admission.', location);
      } else {
        emit.fail('The person was admitted without a community Care and Treatment Review: a breach to report as an incident.', location);
      }
    }
  },
});

/**
 * While the person is in hospital, contact with the ward at least `every` from admission to
 * discharge (LPT CCP §3.9: weekly with an out-of-area ward; Appendix 1: the community nurse on the
 * weekly ward round; ELFT §20: the coordinator at the initial ward round, with `onlyFirst`). Only
 * contacts of the given kind count; nothing is due once the person is discharged. With `onCpa`,
 * a stay that began outside the periods on CPA the record holds is not judged.
 */
export const wardContactInterval = defineTemplate({
  name: 'ward-contact-interval',
  params: z
    .object({
      every: durationParam,
      wardRound: z.boolean().default(false),
      by: z.array(z.enum(meetingRoles)).min(1).optional(),
      outOfAreaOnly: z.boolean().default(false),
      onlyFirst: z.boolean().default(false),
      onCpa: z.boolean().default(false),
      applies,
    })
    .strict(),
  tightening: { every: 'lower' },
  silentWithout: inHospital,
  evaluate(f, params, emit) {
    for (const { stay, episode, location } of stays(f)) {
      const p = params(episode);
      if (!p.applies || (p.outOfAreaOnly && stay.outOfArea !== true) || stay.admittedOn === undefined || stay.admittedOn > f.asOf) continue;
      if (p.onCpa && !onCpaOn(episode, stay.admittedOn)) continue;
      judgeContacts(f, emit, {
        stay,
        location,
        contacts: countingContacts(f, stay, location, p),
        every: p.every,
        onlyFirst: p.onlyFirst,
        what: p.wardRound ? 'a ward round' : 'contact with the ward',
      });
    }
  },
});

/** The stay's ward contacts that count (of the kind and by whom the rule names), with a UK date, by date, each with its location. */
function countingContacts(f: RecordFacts, stay: Stay, location: string, p: { wardRound: boolean; by?: readonly string[] | undefined }): { on: IsoDate; location: string }[] {
  const counting: { on: IsoDate; location: string }[] = [];
  const contacts = stay.wardContacts ?? [];
  for (let i = 0; i < contacts.length; i++) {
    const c = contacts[i]!;
    if ((p.wardRound && c.wardRound !== true) || (p.by !== undefined && (c.by === undefined || !p.by.includes(c.by)))) continue;
    const on = f.ukDateOf(c.at);
    if (on !== undefined) counting.push({ on, location: `${location}.wardContacts[${i}]` });
  }
  return counting.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
}

/** Whether the episode's periods on CPA, when it holds any, cover a day. */
function onCpaOn(episode: Episode, day: IsoDate): boolean {
  const periods = episode.cpaPeriods;
  if (periods === undefined) return true;
  return periods.some((p) => (p.start === undefined || p.start <= day) && (p.end === undefined || p.end >= day));
}

function judgeContacts(
  f: RecordFacts,
  emit: Emit,
  c: { stay: Stay; location: string; contacts: { on: IsoDate; location: string }[]; every: Duration; onlyFirst: boolean; what: string },
): void {
  const left = c.stay.dischargedOn;
  judgeEvery(f, emit, {
    start: c.stay.admittedOn!,
    events: c.contacts,
    every: c.every,
    sameDayCounts: true,
    stop: (due) => left !== undefined && left < due,
    onlyFirst: c.onlyFirst,
    location: c.location,
    what: `${capitalise(c.what)} was recorded`,
    notDone: `No ${c.what} is recorded`,
    since: ['the admission', 'the one before'],
  });
}

/** The recipient as a sentence names them ("the GP", "someone else"), worked out once per rule when its pack loads. */
function withRecipientName<P extends { to: (typeof summaryRecipients)[number] }>(p: P): P & { recipient: string } {
  const who = lowerFirst(summaryRecipientVocabulary[p.to].display);
  return { ...p, recipient: who === 'someone else' ? who : `the ${who}` };
}

/**
 * A discharge summary goes to a recipient within a time of discharge from hospital (LPT CCP
 * §3.13: to the GP; Appendix 1: within 14 days to the person, the GP and the community team for
 * a person with a learning disability).
 */
export const dischargeSummarySent = defineTemplate({
  name: 'discharge-summary-sent',
  params: z
    .object({ to: z.enum(summaryRecipients), within: durationParam, applies })
    .strict()
    .transform(withRecipientName),
  tightening: { within: 'lower' },
  silentWithout: inHospital,
  evaluate(f, params, emit) {
    for (const { stay, episode, location, on } of discharged(f)) {
      const { to, within, applies, recipient } = params(episode);
      if (!applies) continue;
      let sent: IsoDate | undefined;
      for (const s of stay.dischargeSummaries ?? []) if (s.to === to && s.sentOn >= on && s.sentOn <= f.asOf && (sent === undefined || s.sentOn < sent)) sent = s.sentOn;
      judgeDeadline(f, emit, {
        anchor: on,
        done: sent,
        limit: within,
        what: `A discharge summary was sent to ${recipient}`,
        notDone: `No discharge summary to ${recipient} is recorded`,
        since: 'discharge from hospital',
        location,
      });
    }
  },
});

/**
 * What the discharge summaries of a stay hold, together, includes what the policy lists (LPT CCP
 * Appendix 1: the learning disability discharge pack's weight, height, BMI, bloods, physical
 * observations and annual health check). A stay with no summary is left to the rule on sending one.
 */
export const dischargeSummaryHolds = defineTemplate({
  name: 'discharge-summary-holds',
  params: z.object({ contents: z.array(z.enum(dischargeSummaryContents)).min(1), applies }).strict(),
  silentWithout: inHospital,
  evaluate(f, params, emit) {
    for (const { stay, episode, location } of discharged(f)) {
      const { contents, applies } = params(episode);
      const summaries = stay.dischargeSummaries ?? [];
      if (!applies || summaries.length === 0) continue;
      if (summaries.every((s) => s.contents === undefined)) {
        emit.cannotEvaluate(
          summaries.map((_, i) => `${location}.dischargeSummaries[${i}].contents`),
          'What the discharge summary held is not recorded.',
          location,
        );
        continue;
      }
      const held = new Set(summaries.flatMap((s) => s.contents ?? []));
      const missing = contents.filter((c) => !held.has(c));
      if (missing.length === 0) emit.pass('The discharge summary holds everything the policy lists.', location);
      else emit.fail(`The discharge summary lacks: ${missing.map((c) => lowerFirst(dischargeSummaryContentVocabulary[c].display)).join('; ')}.`, location);
    }
  },
});

/**
 * A crisis and contingency plan is in place when the person leaves hospital (LPT CCP §3.13): the
 * latest version of the care plan made by the day of discharge has a crisis plan.
 */
export const crisisPlanAtDischarge = defineTemplate({
  name: 'crisis-plan-at-discharge',
  params: z.object({ applies }).strict(),
  silentWithout: inHospital,
  evaluate(f, params, emit) {
    for (const { episode, location, on } of discharged(f)) {
      if (!params(episode).applies) continue;
      const ofEpisode = (f.record.plans ?? []).filter((p) => p.episode === undefined || p.episode === episode.id);
      const latest = ofEpisode
        .filter((p): p is Plan & { madeOn: IsoDate } => p.madeOn !== undefined && p.madeOn <= on)
        .sort((a, b) => (a.madeOn < b.madeOn ? -1 : a.madeOn > b.madeOn ? 1 : a.version - b.version))
        .at(-1);
      if (latest?.crisisPlan !== undefined) {
        emit.pass(`Version ${latest.version} of the care plan, in place at discharge, has a crisis and contingency plan.`, location);
        continue;
      }
      const undated = ofEpisode.filter((p) => p.madeOn === undefined);
      if (undated.length > 0) {
        emit.cannotEvaluate(
          undated.map((p) => `${at.plan(f, p)}.madeOn`),
          'A version of the care plan has no date, so which was in place at discharge cannot be told.',
          location,
        );
        continue;
      }
      emit.fail(
        latest === undefined
          ? 'No care plan was in place when the person left hospital, so no crisis and contingency plan.'
          : `Version ${latest.version} of the care plan, in place at discharge, has no crisis and contingency plan.`,
        location,
      );
    }
  },
});

export const englishWardTemplates = [
  communityTeamToldOfAdmission,
  communityReviewBeforeAdmission,
  wardContactInterval,
  dischargeSummarySent,
  dischargeSummaryHolds,
  crisisPlanAtDischarge,
];
