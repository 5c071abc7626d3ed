/** Section 117 aftercare in the plan (English trust policies, ELFT §16.1): the plan says which of its services are section 117 aftercare. */
import { z } from 'zod';
import { mhaSections } from '../../record/english-vocabulary.js';
import type { IsoDate } from '../../time/dates.js';
import { defineTemplate } from '../template.js';
import { at } from './common.js';
import { detentionsUnder } from './meetings.js';

/**
 * Each version of the plan made after a detention under a section that brings section 117
 * aftercare says, of at least one of its services, whether it is section 117 aftercare.
 */
export const section117PartsMarked = defineTemplate({
  name: 'section-117-parts-marked',
  params: z.object({ sections: z.array(z.enum(mhaSections)).min(1) }).strict(),
  // Detentions are recorded on inpatient stays; without one there is no plan to judge.
  silentWithout: () => ['episodes.inpatientStays'],
  evaluate(f, params, emit) {
    const { sections } = params();
    const since = detentionsUnder(f, sections)
      .map((x) => x.from)
      .filter((d): d is IsoDate => d !== undefined)
      .sort()[0];
    if (since === undefined) return;
    for (const plan of f.madePlans) {
      if (plan.madeOn === undefined || plan.madeOn < since || plan.madeOn > f.asOf) continue;
      const actions = [...(plan.outcomes ?? []).flatMap((o) => o.actions ?? []), ...(plan.actions ?? [])];
      const location = at.plan(f, plan);
      if (actions.some((a) => a.section117 !== undefined)) emit.pass('The plan says which of its services are section 117 aftercare.', location);
      else emit.fail('The plan, made after a detention that brings section 117 aftercare, does not say which of its services are section 117 aftercare.', location);
    }
  },
});

export const section117PlanTemplates = [section117PartsMarked];
