/**
 * Keeping in touch with someone who refuses contact (English trust policies, ELFT §20.2): the
 * team agrees a minimum contact, held as the contact frequency of a version of the plan.
 */
import { z } from 'zod';
import { flagKinds } from '../../record/english-vocabulary.js';
import { durationParam } from '../params.js';
import { defineTemplate } from '../template.js';
import { raisedAlerts } from './alerts.js';
import { judgeDeadline } from './common.js';

/**
 * After an alert of a given kind (a refusal to maintain contact), a version of the plan made on or
 * after the day it was raised says how often the person will be seen, within a time.
 */
export const minimumContactAgreed = defineTemplate({
  name: 'minimum-contact-agreed',
  params: z.object({ kinds: z.array(z.enum(flagKinds)).min(1), within: durationParam }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    const { kinds, within } = params();
    const alerts = raisedAlerts(f, emit, kinds);
    if (alerts.length === 0) return;
    const agreed = f.madePlans
      .filter((p) => p.contactFrequency !== undefined && p.madeOn !== undefined)
      .map((p) => p.madeOn!)
      .sort();
    for (const { raised, location } of alerts) {
      judgeDeadline(f, emit, {
        anchor: raised,
        done: agreed.find((d) => d >= raised),
        limit: within,
        what: 'A plan setting how often the person will be seen was made',
        notDone: 'No plan made since says how often the person will be seen',
        since: 'the refusal of contact was recorded',
        location,
      });
    }
  },
});

export const engagementTemplates = [minimumContactAgreed];
