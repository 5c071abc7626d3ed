/**
 * Keeping in touch with someone who refuses contact (English trust policies, ELFT §20.2): the
 * team agrees a minimum contact, held as the contact frequency of a version of the plan.
 */
import type { IsoDate } from '../../time/dates.js';
import { afterAlertTemplate } from './alerts.js';

/**
 * After an alert of a given kind (a refusal to maintain contact), a version of the plan made on or
 * after the day it was raised says how often the person will be seen, within a time.
 */
export const minimumContactAgreed = afterAlertTemplate('minimum-contact-agreed', {
  done: (f) =>
    f.madePlans
      .filter((p) => p.contactFrequency !== undefined && p.madeOn !== undefined)
      .map((p) => p.madeOn as IsoDate)
      .sort(),
  what: 'A plan setting how often the person will be seen was made',
  notDone: 'No plan made since says how often the person will be seen',
});

export const engagementTemplates = [minimumContactAgreed];
