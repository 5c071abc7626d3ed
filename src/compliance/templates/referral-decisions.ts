/**
 * What becomes of a referral, and who is told (ELFT CMHT Operational Policy §9.4; LPT Adult CMHT
 * SOP §6.5 and Appendix 13): the decision recorded, the people it concerns told of it (in writing,
 * with reasons, in time), and a priority lowered told to the GP and the person with its rationale.
 */
import { z } from 'zod';
import type { CtpRecord } from '../../record/record.schema.js';
import { onwardServices, referralDataItems, referralDataItemVocabulary, referralOutcomes, referralRecipients, referralRoutes } from '../../record/referral-vocabulary.js';
import { referralPriorities } from '../../record/vocabulary.js';
import { datePart, earliest, type IsoDate, latest } from '../../time/dates.js';
import { type Duration, dueDate } from '../../time/duration.js';
import type { RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate, type Emit } from '../template.js';
import { at, judgeDeadline } from './common.js';

type Episode = NonNullable<CtpRecord['episodes']>[number];
type Referral = NonNullable<Episode['referral']>;
type Decision = NonNullable<Referral['decision']>;
type Told = NonNullable<Decision['told']>[number];

/** Those told, as a sentence names them. */
const recipientNames: Record<(typeof referralRecipients)[number], string> = { patient: 'the person', gp: 'the GP', referrer: 'the referrer', other: 'someone else' };

/**
 * Everyone in `who` told of something decided on `anchor`, within a time, in writing when asked:
 * done when the last of them was first told. A telling not known to be in writing may be the one
 * asked for, so it is named as missing rather than judged.
 */
function judgeTold(
  f: RecordFacts,
  emit: Emit,
  c: { anchor: IsoDate; told: readonly Told[] | undefined; toldPath: string; who: readonly string[]; inWriting: boolean; within: Duration; what: string; location: string },
): void {
  const told = c.told ?? [];
  const firstTold = new Map<string, IsoDate>();
  const unknown: string[] = [];
  for (const who of c.who) {
    const first = earliest(told.filter((t) => t.who === who && (!c.inWriting || t.inWriting === true)).map((t) => t.on));
    if (first !== undefined) firstTold.set(who, first);
    else if (c.inWriting) {
      told.forEach((t, i) => {
        if (t.who === who && t.inWriting === undefined) unknown.push(`${c.toldPath}[${i}].inWriting`);
      });
    }
  }
  const untold = c.who.filter((w) => !firstTold.has(w));
  if (untold.length > 0 && unknown.length > 0) {
    emit.cannotEvaluate(unknown, `Whether those told of ${c.what} were told in writing is not recorded.`, c.location);
    return;
  }
  const how = c.inWriting ? ' in writing' : '';
  judgeDeadline(f, emit, {
    anchor: c.anchor,
    done: untold.length === 0 ? latest([...firstTold.values()]) : undefined,
    limit: c.within,
    what: `Everyone the policy names was told${how}`,
    notDone: `Not yet told${how}: ${untold.map((w) => recipientNames[w as keyof typeof recipientNames]).join('; ')}`,
    since: c.what,
    location: c.location,
  });
}

/** Referrals whose decision is one of `outcomes` (and, if given, came by one of `routes`), with their episode. */
function decided(f: RecordFacts, p: { outcomes: readonly string[]; routes?: readonly string[] | undefined }) {
  const found: { episode: Episode; decision: Decision }[] = [];
  for (const episode of f.record.episodes ?? []) {
    const referral = episode.referral;
    const decision = referral?.decision;
    if (referral === undefined || decision === undefined || !p.outcomes.includes(decision.outcome) || referral.receivedOn > f.asOf) continue;
    if (p.routes !== undefined && (referral.route === undefined || !p.routes.includes(referral.route))) continue;
    found.push({ episode, decision });
  }
  return found;
}

/**
 * Those a decision on a referral concerns are told of it within a time (ELFT §9.4; LPT SOP §6.5,
 * Appendix 13): `told` judges that everyone in `to` was told (in writing, when asked); `reasons`
 * that the referrer was given the reasons. A referral passed on whose service is not recorded
 * cannot be matched to `onward`.
 */
export const referralDecisionTold = defineTemplate({
  name: 'referral-decision-told',
  params: z
    .object({
      outcomes: z.array(z.enum(referralOutcomes)).min(1),
      onward: z.array(z.enum(onwardServices)).min(1).optional(),
      routes: z.array(z.enum(referralRoutes)).min(1).optional(),
      judge: z.enum(['told', 'reasons']),
      to: z.array(z.enum(referralRecipients)).min(1),
      inWriting: z.boolean(),
      within: durationParam,
    })
    .strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    const p = params();
    for (const { episode, decision } of decided(f, p)) {
      // Where the decision is, worked out once a finding may name it (most referrals passed on go elsewhere than `onward`).
      const locate = () => `${at.item(f, 'episodes', episode)}.referral.decision`;
      if (p.onward !== undefined) {
        if (decision.onwardService === undefined) {
          if (decision.outcome === 'referred-on') emit.cannotEvaluate([`${locate()}.onwardService`], 'The service the referral was passed on to is not recorded.', locate());
          continue;
        }
        if (!p.onward.includes(decision.onwardService)) continue;
      }
      const location = locate();
      if (p.judge === 'reasons') {
        if (decision.reasonsGiven === true) emit.pass('The referrer was given the reasons for the decision.', location);
        else if (decision.reasonsGiven === false) emit.fail('The referrer was not given the reasons for the decision.', `${location}.reasonsGiven`);
        else emit.cannotEvaluate([`${location}.reasonsGiven`], 'Whether the referrer was given the reasons for the decision is not recorded.', location);
        continue;
      }
      if (decision.on === undefined) {
        emit.cannotEvaluate([`${location}.on`], 'When the decision on the referral was made is not recorded.', location);
        continue;
      }
      judgeTold(f, emit, {
        anchor: decision.on,
        told: decision.told,
        toldPath: `${location}.told`,
        who: p.to,
        inWriting: p.inWriting,
        within: p.within,
        what: 'the decision',
        location,
      });
    }
  },
});

/** A referral that came by one of `routes` has its outcome recorded within a time of receipt (LPT SOP §6.5: the referral review meeting). */
export const referralOutcomeRecorded = defineTemplate({
  name: 'referral-outcome-recorded',
  params: z.object({ routes: z.array(z.enum(referralRoutes)).min(1), within: durationParam }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    const { routes, within } = params();
    for (const episode of f.record.episodes ?? []) {
      const referral = episode.referral;
      if (referral?.route === undefined || !routes.includes(referral.route) || referral.receivedOn > f.asOf) continue;
      const location = `${at.item(f, 'episodes', episode)}.referral`;
      if (referral.decision !== undefined) {
        emit.pass('The outcome of the referral is recorded.', `${location}.decision`);
        continue;
      }
      judgeDeadline(f, emit, {
        anchor: referral.receivedOn,
        done: undefined,
        limit: within,
        what: 'The outcome was recorded',
        notDone: 'No outcome of the referral is recorded',
        since: 'the referral was received',
        location,
      });
    }
  },
});

/**
 * A referral's priority changed from one grade to another is told to those it concerns (LPT SOP
 * §6.5: urgent re-graded to routine, to the GP and the person with a rationale): `told` judges the
 * telling within a time, `rationale` that the rationale was given.
 */
export const regradingTold = defineTemplate({
  name: 'referral-regrading-told',
  params: z
    .object({
      from: z.enum(referralPriorities),
      to: z.enum(referralPriorities),
      judge: z.enum(['told', 'rationale']),
      tell: z.array(z.enum(referralRecipients)).min(1),
      within: durationParam,
    })
    .strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    const p = params();
    for (const episode of f.record.episodes ?? []) {
      (episode.referral?.regradings ?? []).forEach((regrading, i) => {
        if (regrading.from !== p.from || regrading.to !== p.to || regrading.on > f.asOf) return;
        const location = `${at.item(f, 'episodes', episode)}.referral.regradings[${i}]`;
        if (p.judge === 'rationale') {
          if (regrading.rationaleGiven === true) emit.pass('The rationale for the regrading was given.', location);
          else if (regrading.rationaleGiven === false) emit.fail('The regrading was communicated without its rationale.', `${location}.rationaleGiven`);
          else emit.cannotEvaluate([`${location}.rationaleGiven`], 'Whether the rationale for the regrading was given is not recorded.', location);
          return;
        }
        judgeTold(f, emit, {
          anchor: regrading.on,
          told: regrading.told,
          toldPath: `${location}.told`,
          who: p.tell,
          inWriting: false,
          within: p.within,
          what: 'the regrading',
          location,
        });
      });
    }
  },
});

/** The data set's items as a sentence names them. */
const DATA_ITEM_NAMES = Object.fromEntries(referralDataItems.map((i) => [i, referralDataItemVocabulary[i].display.toLowerCase()])) as Readonly<
  Record<(typeof referralDataItems)[number], string>
>;

/** A bit for each of the data set's items (there are fewer than 31). */
const DATA_ITEM_BITS: ReadonlyMap<string, number> = new Map(referralDataItems.map((item, i) => [item, 1 << i]));

/**
 * The names of the data set's items a referral did not hold, as a sentence lists them; undefined
 * when it held them all. What it held is read once into a mask: searching its list for each item
 * compared every item with every entry.
 */
function lackingNames(items: readonly (typeof referralDataItems)[number][], held: readonly string[]): string | undefined {
  let heldBits = 0;
  for (const item of held) heldBits |= DATA_ITEM_BITS.get(item) ?? 0;
  let names: string | undefined;
  for (const item of items) {
    if ((heldBits & DATA_ITEM_BITS.get(item)!) !== 0) continue;
    names = names === undefined ? DATA_ITEM_NAMES[item] : `${names}; ${DATA_ITEM_NAMES[item]}`;
  }
  return names;
}

/**
 * A referral that lacks part of the data set has it sought from the referrer within a time of
 * receipt (LPT SOP §6.5). What the referral held must be recorded for this to be judged.
 */
export const referralDataSetSought = defineTemplate({
  name: 'referral-data-set-sought',
  params: z.object({ items: z.array(z.enum(referralDataItems)).min(1), within: durationParam }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    const { items, within } = params();
    for (const episode of f.record.episodes ?? []) {
      const referral = episode.referral;
      if (referral === undefined || referral.receivedOn > f.asOf) continue;
      const location = `${at.item(f, 'episodes', episode)}.referral`;
      const held = referral.dataSet?.items;
      if (held === undefined) {
        emit.cannotEvaluate([`${location}.dataSet.items`], 'What the referral held of the data set is not recorded.', location);
        continue;
      }
      const lacking = lackingNames(items, held);
      if (lacking === undefined) {
        emit.pass('The referral held the whole data set.', location);
        continue;
      }
      const sought = referral.dataSet?.missingSoughtOn;
      judgeDeadline(f, emit, {
        anchor: referral.receivedOn,
        done: sought,
        limit: within,
        what: `What the referral lacked (${lacking}) was sought from the referrer`,
        // Only something not sought by the evaluation date is said not to have been.
        notDone: sought === undefined || sought > f.asOf ? `The referral lacked ${lacking}, and it has not been sought from the referrer` : undefined,
        since: 'the referral was received',
        location,
      });
    }
  },
});

/**
 * For a referral that came by one of `routes`, the risk assessment is updated before the team
 * first makes contact (LPT SOP Appendix 17: before the spoke team sees the person): one dated from
 * `before` ahead of the referral up to the day of the first finished contact after it.
 */
export const riskUpdatedBeforeFirstContact = defineTemplate({
  name: 'risk-updated-before-first-contact',
  params: z.object({ routes: z.array(z.enum(referralRoutes)).min(1), before: durationParam }).strict(),
  tightening: { before: 'lower' },
  evaluate(f, params, emit) {
    const { routes, before } = params();
    for (const episode of f.record.episodes ?? []) {
      const referral = episode.referral;
      if (referral?.route === undefined || !routes.includes(referral.route) || referral.receivedOn > f.asOf) continue;
      const location = `${at.item(f, 'episodes', episode)}.referral`;
      const contact = f.contacts.find((c) => c.date >= referral.receivedOn && (c.encounter.episode === undefined || c.encounter.episode === episode.id));
      if (contact === undefined) {
        emit.notApplicable('The team has not yet made contact with the person.', location);
        continue;
      }
      const assessments = f.record.riskAssessments ?? [];
      const updated = assessments.some((ra) => {
        const on = ra.date === undefined ? undefined : datePart(ra.date);
        return on !== undefined && on <= contact.date && dueDate(on, before, f.calendar) >= referral.receivedOn;
      });
      const contactAt = at.item(f, 'encounters', contact.encounter);
      if (updated) emit.pass('The risk assessment was updated before the team first made contact.', location);
      else {
        const undated = assessments.filter((ra) => ra.date === undefined).map((ra) => `${at.item(f, 'riskAssessments', ra)}.date`);
        if (undated.length > 0) emit.cannotEvaluate(undated, 'A risk assessment has no date, so whether it was updated before the first contact cannot be told.', location);
        else emit.fail(`No risk assessment was updated before the team first made contact (${contactAt}).`, location, { due: contact.date });
      }
    }
  },
});

export const referralDecisionTemplates = [referralDecisionTold, referralOutcomeRecorded, regradingTold, referralDataSetSought, riskUpdatedBeforeFirstContact];
