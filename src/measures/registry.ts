/** Every measure pont reports, by id. */

import { coordinatorWithin14Days } from './definitions/coordinator-within-14-days.js';
import { copiesWithin2Weeks } from './definitions/copies-within-2-weeks.js';
import { ctpValid } from './definitions/ctp-valid.js';
import { ctpWithin6Weeks } from './definitions/ctp-within-6-weeks.js';
import { part3Report10WorkingDays } from './definitions/part3-report-10-working-days.js';
import { part3ResponseTime } from './definitions/part3-response-time.js';
import { reviewWithin12Months } from './definitions/review-within-12-months.js';
import type { MeasureDefinition } from './measure.js';

export const measures: readonly MeasureDefinition[] = [
  ctpValid,
  coordinatorWithin14Days,
  ctpWithin6Weeks,
  copiesWithin2Weeks,
  reviewWithin12Months,
  part3Report10WorkingDays,
  part3ResponseTime,
];

export function findMeasure(id: string): MeasureDefinition | undefined {
  return measures.find((m) => m.id === id);
}
