/**
 * Outcome measures (English trust policies: ELFT §11, §14.1, §15, §16; LPT Care Coordination Policy
 * §3.17; LPT SOP App 17): a baseline measure after referral or acceptance, a measure at least every
 * so often and before discharge, HoNOS after each CPA review, and each care plan built on a DIALOG
 * that rated the domains the policy names. DIALOG is not for people with an organic mental
 * disorder; pont knows them by an ICD-10 diagnosis coded F00 to F09.
 */
import { z } from 'zod';
import { dialogDomains, dialogDomainVocabulary, outcomeMeasureTools, outcomeMeasureToolVocabulary } from '../../record/health-vocabulary.js';
import type { CtpRecord, PlanVersion } from '../../record/record.schema.js';
import { dayNumberOfIsoDate, type IsoDate } from '../../time/dates.js';
import { formatDuration } from '../../time/duration.js';
import { type Episode, perPerson, type RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate, type Emit } from '../template.js';
import { at, dueDateAfter, firstIndexFrom, judgeDeadline, laterThanLimit } from './common.js';
import { heldReviews, windowBefore } from './physical-health.js';

type Measure = NonNullable<CtpRecord['outcomeMeasures']>[number];
type Tool = (typeof outcomeMeasureTools)[number];

const toolsParam = z.array(z.enum(outcomeMeasureTools)).min(1);
const toolNames = (tools: readonly Tool[]) => tools.map((t) => outcomeMeasureToolVocabulary[t].display).join(' or ');
/** The tools' names for messages ("DIALOG or DIALOG+"), worked out once per rule when its pack loads. */
const withToolNames = <P extends { tools: readonly Tool[] }>(p: P) => ({ ...p, toolNames: toolNames(p.tools) });

interface DatedMeasure {
  readonly measure: Measure;
  readonly on: IsoDate;
}

const measureDate = (m: DatedMeasure): IsoDate => m.on;

/**
 * Measures with the UK date each was completed, by date; one dated by month or year alone is left
 * out. Worked out once per person, as several rules read them.
 */
const allDatedMeasures = perPerson((f): readonly DatedMeasure[] => {
  const dated: DatedMeasure[] = [];
  for (const measure of f.record.outcomeMeasures ?? []) {
    const on = f.ukDateOf(measure.date);
    if (on !== undefined) dated.push({ measure, on });
  }
  return dated.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
});

/** Measures of the tools, by date (allDatedMeasures). */
function datedMeasures(f: RecordFacts, tools: readonly Tool[]): DatedMeasure[] {
  return allDatedMeasures(f).filter((m) => tools.includes(m.measure.tool));
}

/** The first of the dated measures (by date) of the tools on or after `from`, linked to the episode or to none. */
function firstMeasureFrom(dated: readonly DatedMeasure[], from: IsoDate, episode: string, tools: readonly Tool[]): DatedMeasure | undefined {
  for (let i = firstIndexFrom(dated, measureDate, from); i < dated.length; i++) {
    const measure = dated[i]!.measure;
    if ((measure.episode === undefined || measure.episode === episode) && tools.includes(measure.tool)) return dated[i];
  }
  return undefined;
}

/** An ICD-10 code F00 to F09 (organic, including symptomatic, mental disorders) among the person's diagnoses. */
const ICD10 = /icd-?10/i;
export const hasOrganicDiagnosis = perPerson((f): boolean =>
  (f.record.diagnoses ?? []).some(
    (d) => d.status !== 'refuted' && d.status !== 'entered-in-error' && (d.code ?? []).some((c) => ICD10.test(c.system) && /^F0\d/.test(c.code)),
  ),
);

/** The first day after an episode that it no longer covers: the day after a full discharge, if it has been. */
const leftOn = (f: RecordFacts, e: Episode): IsoDate | undefined => (e.discharge?.kind === 'full' && e.discharge.date <= f.asOf ? e.discharge.date : undefined);

/** Whether an episode was open on a day: accepted by then and not fully discharged before it. */
const covers = (e: Episode, on: IsoDate) => e.acceptedOn !== undefined && e.acceptedOn <= on && (e.discharge?.kind !== 'full' || e.discharge.date >= on);

/**
 * Whether a measure is one of an episode's: linked to it, or unlinked and dated while it was open
 * and no later-accepted open episode takes it (each measure counts for one episode only).
 */
function isMeasureOf(episodes: readonly Episode[], episode: Episode, { measure, on }: DatedMeasure): boolean {
  if (measure.episode !== undefined) return measure.episode === episode.id;
  if (!covers(episode, on)) return false;
  return !episodes.some((e) => e !== episode && covers(e, on) && e.acceptedOn! > episode.acceptedOn!);
}

/** The measures of an episode (isMeasureOf), in the order given. */
function measuresOf(f: RecordFacts, episode: Episode, dated: readonly DatedMeasure[]): DatedMeasure[] {
  const episodes = f.record.episodes ?? [];
  return dated.filter((m) => isMeasureOf(episodes, episode, m));
}

/** Whether the rule stands aside for a person with an organic diagnosis (emits not applicable once). */
function excluded(f: RecordFacts, emit: Emit, excludeOrganic: boolean, location: string): boolean {
  if (!excludeOrganic || !hasOrganicDiagnosis(f)) return false;
  emit.notApplicable('The person has an organic mental disorder (ICD-10 F00–F09), for whom the policy does not use this measure.', location);
  return true;
}

/**
 * A baseline outcome measure within a time of the referral's receipt or of acceptance (LPT SOP
 * App 17: within 4 weeks of the support request; LPT Care Coordination Policy §3.17: DIALOG "as soon
 * as they are accepted").
 */
export const outcomeMeasureAtStart = defineTemplate({
  name: 'outcome-measure-at-start',
  params: z
    .object({ tools: toolsParam, from: z.enum(['referral', 'acceptance']), within: durationParam, excludeOrganic: z.boolean().default(false) })
    .strict()
    .transform(withToolNames)
    .transform((p) => ({
      ...p,
      what: `A baseline ${p.toolNames} was completed`,
      notDone: `No ${p.toolNames} has been completed`,
      since: p.from === 'referral' ? 'the referral was received' : 'the person was accepted',
    })),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    const { tools, from, within, excludeOrganic, what, notDone, since } = params();
    const dated = allDatedMeasures(f);
    for (const episode of f.record.episodes ?? []) {
      const location = at.item(f, 'episodes', episode);
      const anchor = from === 'referral' ? episode.referral?.receivedOn : episode.acceptedOn;
      if (anchor === undefined) {
        emit.cannotEvaluate(
          [`${location}.${from === 'referral' ? 'referral.receivedOn' : 'acceptedOn'}`],
          `When the ${from === 'referral' ? 'referral was received' : 'person was accepted'} is not recorded.`,
          location,
        );
        continue;
      }
      if (anchor > f.asOf || excluded(f, emit, excludeOrganic, location)) continue;
      judgeDeadline(f, emit, {
        anchor,
        done: firstMeasureFrom(dated, anchor, episode.id, tools)?.on,
        limit: within,
        what,
        notDone,
        since,
        location,
        leftServicesOn: leftOn(f, episode),
      });
    }
  },
});

/**
 * A measure at least every `every` while the person is open to the team, counted from acceptance
 * (LPT Care Coordination Policy §3.17: DIALOG revisited "a minimum of yearly"). A late measure fails
 * where it is; a gap still open fails at the episode.
 */
export const outcomeMeasureInterval = defineTemplate({
  name: 'outcome-measure-interval',
  params: z
    .object({ tools: toolsParam, every: durationParam, excludeOrganic: z.boolean().default(false) })
    .strict()
    .transform(withToolNames)
    .transform((p) => ({
      ...p,
      passed: `${p.toolNames} completed at least every ${formatDuration(p.every)}.`,
      notYetDue: `Not yet due: ${formatDuration(p.every)} from acceptance have not passed.`,
    })),
  tightening: { every: 'lower' },
  evaluate(f, params, emit) {
    const { tools, toolNames: named, every, excludeOrganic, passed, notYetDue } = params();
    const measures = allDatedMeasures(f);
    const episodes = f.record.episodes ?? [];
    for (const episode of episodes) {
      const location = at.item(f, 'episodes', episode);
      if (episode.acceptedOn === undefined) {
        emit.cannotEvaluate([`${location}.acceptedOn`], 'When the person was accepted is not recorded.', location);
        continue;
      }
      if (episode.acceptedOn > f.asOf || excluded(f, emit, excludeOrganic, location)) continue;
      const to = leftOn(f, episode) ?? f.asOf;
      // Judged on day numbers (laterThanLimit): a due date is written only for a failure.
      let previous = episode.acceptedOn;
      let previousDay = dayNumberOfIsoDate(previous);
      let failures = 0;
      for (const dated of measures) {
        const { measure, on } = dated;
        if (on < previous || on > to || !tools.includes(measure.tool) || !isMeasureOf(episodes, episode, dated)) continue;
        const onDay = dayNumberOfIsoDate(on);
        if (laterThanLimit(f, on, onDay, previous, previousDay, every)) {
          failures += 1;
          emit.fail(
            `This ${named} came more than ${formatDuration(every)} after ${previous === episode.acceptedOn ? 'acceptance' : 'the previous one'}.`,
            at.item(f, 'outcomeMeasures', measure),
            { due: dueDateAfter(f, previous, previousDay, every) },
          );
        }
        previous = on;
        previousDay = onDay;
      }
      if (laterThanLimit(f, to, dayNumberOfIsoDate(to), previous, previousDay, every)) {
        failures += 1;
        emit.fail(`No ${named} for more than ${formatDuration(every)} since ${previous === episode.acceptedOn ? 'acceptance' : 'the last one'}.`, location, {
          due: dueDateAfter(f, previous, previousDay, every),
        });
      }
      if (failures > 0) continue;
      if (previous !== episode.acceptedOn) emit.pass(passed, location);
      else emit.notApplicable(notYetDue, location);
    }
  },
});

/** A measure in the `within` up to the day of a full discharge (LPT Care Coordination Policy §3.17: DIALOG at the end of the episode). */
export const outcomeMeasureBeforeDischarge = defineTemplate({
  name: 'outcome-measure-before-discharge',
  params: z
    .object({ tools: toolsParam, within: durationParam, excludeOrganic: z.boolean().default(false) })
    .strict()
    .transform(withToolNames),
  // Judged at full discharges only, the organic exclusion included.
  silentWithout: () => ['episodes.discharge'],
  evaluate(f, params, emit) {
    const { tools, toolNames: named, within, excludeOrganic } = params();
    const dated = datedMeasures(f, tools);
    for (const episode of f.record.episodes ?? []) {
      const discharged = leftOn(f, episode);
      if (discharged === undefined) continue;
      const location = `${at.item(f, 'episodes', episode)}.discharge`;
      if (excluded(f, emit, excludeOrganic, location)) continue;
      const opens = windowBefore(f, discharged, within);
      const done = measuresOf(f, episode, dated).findLast(({ on }) => on >= opens && on <= discharged);
      if (done !== undefined) emit.pass(`A ${named} was completed on ${done.on}, before the discharge of ${discharged}.`, location);
      else emit.fail(`No ${named} was completed in the ${formatDuration(within)} up to the discharge of ${discharged}.`, location);
    }
  },
});

/** A measure updated within `within` after each CPA review held, from the day itself (ELFT §16: HoNOS "within a week of CPA meeting"). */
export const outcomeMeasureAfterReview = defineTemplate({
  name: 'outcome-measure-after-review',
  params: z
    .object({ tools: toolsParam, within: durationParam })
    .strict()
    .transform(withToolNames)
    .transform((p) => ({ ...p, what: `The ${p.toolNames} was updated`, notDone: `The ${p.toolNames} has not been updated` })),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    const { tools, within, what, notDone } = params();
    const dated = datedMeasures(f, tools);
    for (const { on, location } of heldReviews(f)) {
      judgeDeadline(f, emit, {
        anchor: on,
        done: dated[firstIndexFrom(dated, measureDate, on)]?.on,
        limit: within,
        what,
        notDone,
        since: 'the CPA review',
        location,
      });
    }
  },
});

/**
 * Each care plan is a DIALOG recovery plan: a DIALOG or DIALOG+ completed within `within` up to the
 * day the plan version was made, rating the domains the policy names (ELFT §14.1, §15). A DIALOG
 * recorded without its domains is taken to have rated all eleven, as the scale does.
 */
export const dialogBeforePlan = defineTemplate({
  name: 'dialog-before-plan',
  params: z.object({ within: durationParam, domains: z.array(z.array(z.enum(dialogDomains)).min(1)).min(1) }).strict(),
  evaluate(f, params, emit) {
    const { within, domains } = params();
    const dated = datedMeasures(f, ['dialog', 'dialog-plus']);
    for (const plan of f.madePlans) {
      const location = at.plan(f, plan);
      if (plan.madeOn === undefined) {
        emit.cannotEvaluate([`${location}.madeOn`], `When ${versionName(plan)} was made is not recorded.`, location);
        continue;
      }
      if (plan.madeOn > f.asOf) continue;
      const dialog = lastMeasureFrom(dated, windowBefore(f, plan.madeOn, within), plan.madeOn);
      if (dialog === undefined) {
        emit.fail(`No DIALOG was completed in the ${formatDuration(within)} up to ${versionName(plan)} (made ${plan.madeOn}).`, location);
        continue;
      }
      const rated = dialog.measure.domains?.map((d) => d.domain);
      // Each group is one domain the policy names; any domain of the group rates it (relationships: partner or family, or friendships).
      const unrated = rated === undefined ? [] : domains.filter((group) => !group.some((d) => rated.includes(d)));
      if (unrated.length === 0) emit.pass(`Version ${plan.version} of the care plan follows a DIALOG of ${dialog.on}.`, location);
      else
        emit.fail(
          `The DIALOG of ${dialog.on} behind ${versionName(plan)} did not rate ${unrated.map((g) => g.map((d) => dialogDomainVocabulary[d].display.toLowerCase()).join(' or ')).join('; ')}.`,
          location,
        );
    }
  },
});

/** The latest of the dated measures (by date, the last in record order on a day) dated from `from` to `to`. */
function lastMeasureFrom(dated: readonly DatedMeasure[], from: IsoDate, to: IsoDate): DatedMeasure | undefined {
  const last = dated[firstIndexFrom(dated, measureDate, to, true) - 1];
  return last !== undefined && last.on >= from ? last : undefined;
}

const versionName = (plan: PlanVersion) => `version ${plan.version} of the care plan`;

export const outcomeMeasureTemplates = [outcomeMeasureAtStart, outcomeMeasureInterval, outcomeMeasureBeforeDischarge, outcomeMeasureAfterReview, dialogBeforePlan];
