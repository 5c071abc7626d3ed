/** Carers' assessments (English trust policies: LPT SOP §6.12, §6.21): offered to every carer, and a referral when they agree. */
import { z } from 'zod';
import type { IsoDate } from '../../time/dates.js';
import { perPerson, type RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate } from '../template.js';
import { at, judgeDeadline } from './common.js';

type RelatedPerson = NonNullable<RecordFacts['record']['relatedPeople']>[number];

/** Carers in law: a carer or a young carer, not someone paid or volunteering to care. Found once per person: the carer rules here and in carer-consent.ts read them. */
export const carersOf = perPerson((f): readonly RelatedPerson[] =>
  (f.record.relatedPeople ?? []).filter((p) => (p.roles?.includes('carer') || p.youngCarer === true) && p.isPaidOrVolunteer !== true),
);

/** Every carer rule (here and in carer-consent.ts) judges related people, and nothing else. */
export const withRelatedPeople = () => ['relatedPeople'] as const;

type Episode = NonNullable<RecordFacts['record']['episodes']>[number];

/** The episode the person was accepted into last by `asOf`; of two accepted the same day, the later in the record. */
function latestAccepted(episodes: readonly Episode[], asOf: IsoDate): Episode | undefined {
  let latest: Episode | undefined;
  for (const e of episodes) if (e.acceptedOn !== undefined && e.acceptedOn <= asOf && (latest === undefined || e.acceptedOn >= latest.acceptedOn!)) latest = e;
  return latest;
}

/** What each carer is owed within a time of the person's acceptance, and plain words for it. */
interface CarerDue {
  /** When it was done for this carer, if it was. */
  readonly done: (carer: RelatedPerson) => IsoDate | undefined;
  readonly what: string;
  readonly notDone: string;
}

/**
 * A template: every carer is given something within a time of the person's acceptance into the
 * latest episode (`applies` lets a pack keep it to some teams).
 */
function carerDueTemplate(name: string, due: CarerDue) {
  return defineTemplate({
    name,
    params: z.object({ within: durationParam, applies: z.boolean().default(true) }).strict(),
    tightening: { within: 'lower' },
    silentWithout: withRelatedPeople,
    evaluate(f, params, emit) {
      const carers = carersOf(f);
      if (carers.length === 0) return;
      const episodes = f.record.episodes ?? [];
      const episode = latestAccepted(episodes, f.asOf);
      if (episode === undefined) {
        // Only an episode the rule applies to (its team type) is asked for its date.
        const unknown = episodes.filter((e) => e.acceptedOn === undefined && params(e).applies).map((e) => `${at.item(f, 'episodes', e)}.acceptedOn`);
        if (unknown.length > 0) emit.cannotEvaluate(unknown, 'The date the person was accepted into services is not recorded.');
        return;
      }
      const { within, applies } = params(episode);
      if (!applies) return;
      const leftServicesOn = episode.discharge?.kind === 'full' ? episode.discharge.date : undefined;
      for (const carer of carers) {
        judgeDeadline(f, emit, {
          anchor: episode.acceptedOn!,
          done: due.done(carer),
          limit: within,
          what: due.what,
          notDone: due.notDone,
          since: 'the person was accepted into services',
          location: at.item(f, 'relatedPeople', carer),
          leftServicesOn,
        });
      }
    },
  });
}

/** The earlier of two days, either of which may be missing. */
function earlierOf(a: IsoDate | undefined, b: IsoDate | undefined): IsoDate | undefined {
  if (a === undefined) return b;
  return b !== undefined && b < a ? b : a;
}

/**
 * Every carer is told of their right to an assessment and offered one (or referred for one)
 * within a time of the person's acceptance into the latest episode (LPT SOP §6.12, §6.21).
 */
export const carerAssessmentOffered = carerDueTemplate('carer-assessment-offered', {
  done: (carer) => earlierOf(carer.carerAssessment?.offeredOn, carer.carerAssessment?.referredOn),
  what: 'The carer was offered an assessment',
  notDone: 'The carer has not been offered an assessment',
});

/** Every carer has a written care plan of their own within a time of the person's acceptance (DH PIG 2001 Table 4a, assertive outreach). */
export const carerPlanProduced = carerDueTemplate('carer-plan-produced', {
  done: (carer) => carer.carerPlan?.madeOn,
  what: 'The carer’s own care plan was made',
  notDone: 'The carer has no care plan of their own',
});

/** A carer who agrees to an assessment is referred to the local authority for one (LPT SOP §6.21). */
export const carerReferredWhenAccepted = defineTemplate({
  name: 'carer-referred-when-accepted',
  params: z.object({ within: durationParam }).strict(),
  tightening: { within: 'lower' },
  silentWithout: withRelatedPeople,
  evaluate(f, params, emit) {
    const { within } = params();
    for (const carer of carersOf(f)) {
      const offer = carer.carerAssessment;
      if (offer?.response !== 'accepted') continue;
      const location = `${at.item(f, 'relatedPeople', carer)}.carerAssessment`;
      if (offer.offeredOn === undefined) {
        emit.cannotEvaluate([`${location}.offeredOn`], 'The carer agreed to an assessment, but when it was offered is not recorded.', location);
        continue;
      }
      judgeDeadline(f, emit, {
        anchor: offer.offeredOn,
        done: offer.referredOn,
        limit: within,
        what: 'The carer was referred to the local authority',
        notDone: 'The carer agreed to an assessment but has not been referred to the local authority',
        since: 'the offer',
        location,
      });
    }
  },
});

export const carerTemplates = [carerAssessmentOffered, carerReferredWhenAccepted, carerPlanProduced];
