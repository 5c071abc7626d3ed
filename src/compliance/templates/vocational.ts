/**
 * Early intervention's plan towards education, training or work (DH Policy Implementation Guide
 * 2001, Table 5a, as LPT's early intervention teams follow it): a care plan with an outcome in the
 * areas of work or education within a time of the referral.
 */
import { z } from 'zod';
import { areaOfLifeVocabulary, areasOfLife } from '../../record/vocabulary.js';
import type { RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate } from '../template.js';
import { at, judgeDeadline } from './common.js';

type Area = (typeof areasOfLife)[number];

/** The first day a made plan version of the episode (or of none) had an outcome in one of the areas, on or after `from`. */
function firstPlanInAreas(f: RecordFacts, episodeId: string, areas: readonly Area[], from: string): string | undefined {
  let first: string | undefined;
  for (const p of f.madePlans) {
    const on = p.madeOn;
    if (on === undefined || on < from || (first !== undefined && on >= first) || (p.episode !== undefined && p.episode !== episodeId)) continue;
    if ((p.outcomes ?? []).some((o) => (o.areas ?? []).some((a) => areas.includes(a.area)))) first = on;
  }
  return first;
}

/** A plan towards education, training or work within a time of the referral, for the teams it applies to. */
export const areaPlannedAfterReferral = defineTemplate({
  name: 'area-planned-after-referral',
  params: z.object({ areas: z.array(z.enum(areasOfLife)).min(1), within: durationParam, applies: z.boolean().default(true) }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    for (const episode of f.record.episodes ?? []) {
      const { areas, within, applies } = params(episode);
      if (!applies) continue;
      const location = at.item(f, 'episodes', episode);
      const received = episode.referral?.receivedOn;
      if (received === undefined) {
        emit.cannotEvaluate([`${location}.referral.receivedOn`], 'When the referral was received is not recorded.', location);
        continue;
      }
      if (received > f.asOf) continue;
      const named = areas.map((a) => areaOfLifeVocabulary[a].display.toLowerCase()).join(' or ');
      judgeDeadline(f, emit, {
        anchor: received,
        done: firstPlanInAreas(f, episode.id, areas, received),
        limit: within,
        what: `A care plan with an outcome in ${named} was made`,
        notDone: `No care plan has an outcome in ${named}`,
        since: 'the referral was received',
        location,
        leftServicesOn: episode.discharge?.kind === 'full' ? episode.discharge.date : undefined,
      });
    }
  },
});

export const vocationalTemplates = [areaPlannedAfterReferral];
