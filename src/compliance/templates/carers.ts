/** Carers' assessments (English trust policies: LPT SOP §6.12, §6.21): offered to every carer, and a referral when they agree. */
import { z } from 'zod';
import type { IsoDate } from '../../time/dates.js';
import type { RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate } from '../template.js';
import { at, judgeDeadline } from './common.js';

type RelatedPerson = NonNullable<RecordFacts['record']['relatedPeople']>[number];

/** Carers in law: a carer or a young carer, not someone paid or volunteering to care. */
export const carersOf = (f: RecordFacts): RelatedPerson[] =>
  (f.record.relatedPeople ?? []).filter((p) => (p.roles?.includes('carer') || p.youngCarer === true) && p.isPaidOrVolunteer !== true);

/**
 * Every carer is told of their right to an assessment and offered one (or referred for one)
 * within a time of the person's acceptance into the latest episode (LPT SOP §6.12, §6.21).
 */
export const carerAssessmentOffered = defineTemplate({
  name: 'carer-assessment-offered',
  params: z.object({ within: durationParam }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    const carers = carersOf(f);
    if (carers.length === 0) return;
    const episodes = f.record.episodes ?? [];
    const episode = episodes.filter((e) => e.acceptedOn !== undefined && e.acceptedOn <= f.asOf).sort((a, b) => (a.acceptedOn! < b.acceptedOn! ? 1 : -1))[0];
    if (episode === undefined) {
      const unknown = episodes.filter((e) => e.acceptedOn === undefined).map((e) => `${at.item(f, 'episodes', e)}.acceptedOn`);
      if (unknown.length > 0) emit.cannotEvaluate(unknown, 'The date the person was accepted into services is not recorded.');
      return;
    }
    const { within } = params(episode);
    const leftServicesOn = episode.discharge?.kind === 'full' ? episode.discharge.date : undefined;
    for (const carer of carers) {
      const offer = carer.carerAssessment;
      const done = [offer?.offeredOn, offer?.referredOn].filter((d): d is IsoDate => d !== undefined).sort()[0];
      judgeDeadline(f, emit, {
        anchor: episode.acceptedOn!,
        done,
        limit: within,
        what: 'The carer was offered an assessment',
        notDone: 'The carer has not been offered an assessment',
        since: 'the person was accepted into services',
        location: at.item(f, 'relatedPeople', carer),
        leftServicesOn,
      });
    }
  },
});

/** A carer who agrees to an assessment is referred to the local authority for one (LPT SOP §6.21). */
export const carerReferredWhenAccepted = defineTemplate({
  name: 'carer-referred-when-accepted',
  params: z.object({ within: durationParam }).strict(),
  tightening: { within: 'lower' },
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

export const carerTemplates = [carerAssessmentOffered, carerReferredWhenAccepted];
