/** From referral to assessment (English trust policies): limits by the referral's priority. */
import { z } from 'zod';
import type { Encounter } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate } from '../template.js';
import { at, firstContactAfter, judgeDeadline } from './common.js';

const isAssessment = (e: Encounter) => e.kind === 'assessment';

export const assessedWithin = defineTemplate({
  name: 'assessed-within',
  params: z.object({ emergency: durationParam, urgent: durationParam, routine: durationParam }).strict(),
  tightening: { emergency: 'lower', urgent: 'lower', routine: 'lower' },
  evaluate(f, params, emit) {
    for (const episode of f.record.episodes ?? []) {
      const referral = episode.referral;
      if (!referral) continue;
      const location = `${at.item(f, 'episodes', episode)}.referral`;
      if (referral.priority === undefined) {
        emit.cannotEvaluate([`${location}.priority`], 'The referral’s priority is not recorded, so its time limit is not known.', location);
        continue;
      }
      const assessed = firstContactAfter(f, { on: referral.receivedOn, at: referral.receivedAt }, isAssessment);
      const limit = params(episode)[referral.priority];
      // The times of day count only for a limit in hours.
      const inHours = limit.unit === 'hours';
      judgeDeadline(f, emit, {
        anchor: referral.receivedOn,
        anchorAt: inHours ? { value: referral.receivedAt ?? referral.receivedOn, path: `${location}.receivedAt` } : undefined,
        done: assessed?.date,
        doneAt: inHours ? assessed?.at : undefined,
        limit,
        what: `The ${referral.priority} referral was assessed`,
        notDone: `No assessment of the ${referral.priority} referral is recorded`,
        since: 'the referral was received',
        location,
      });
    }
  },
});

export const referralTemplates = [assessedWithin];
