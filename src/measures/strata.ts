/** The strata reports are split by: age group on a given day, and Part 3 request priority. */
import { ageOn, type IsoDate } from '../time/dates.js';

export const UNKNOWN = 'unknown';

export const ageGroups = ['under-18', '18-and-over', UNKNOWN] as const;
export type AgeGroup = (typeof ageGroups)[number];

export const ageGroupLabels: Record<AgeGroup, string> = {
  'under-18': 'Under 18',
  '18-and-over': '18 and over',
  unknown: 'Age unknown',
};

export function ageGroupOn(dateOfBirth: IsoDate | undefined, on: IsoDate): AgeGroup {
  if (dateOfBirth === undefined || dateOfBirth > on) return UNKNOWN;
  return ageOn(dateOfBirth, on) < 18 ? 'under-18' : '18-and-over';
}

export const priorityStrata = ['emergency', 'urgent', 'routine', UNKNOWN] as const;
