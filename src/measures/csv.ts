/**
 * CSV renderings of the tallies (layouts documented in profiles/measures/README.md):
 * - the StatsWales Part 2 return for ctp-valid: month × resident health board × age group;
 * - a generic layout for any measure: month × organisation × stratum.
 * Numerator and denominator are the effective ones the score is the ratio of.
 */

import type { Tally } from './evaluate.js';
import type { HealthBoardDirectory } from './health-boards.js';
import type { MeasureDefinition } from './measure.js';
import { lastDayOf } from './period.js';
import { effectiveCounts, emptyCounts, type PopulationCounts } from './score.js';
import { ageGroupLabels, ageGroups, UNKNOWN } from './strata.js';

export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const csvLine = (fields: readonly (string | number)[]): string => `${fields.map(csvField).join(',')}\r\n`;

/** Percentage to one decimal place, rounded half up; empty when there is no denominator. */
export function percentage(numerator: number, denominator: number): string {
  return denominator > 0 ? (Math.round((numerator * 1000) / denominator) / 10).toFixed(1) : '';
}

export const STATSWALES_HEADER = [
  'period',
  'health_board_code',
  'health_board_name',
  'age_group',
  'patients_with_valid_ctp',
  'patients_in_receipt_of_services',
  'percentage',
  'target_met',
] as const;

/** Every board that existed at the month end appears, with zeros if nobody was counted; "unknown" rows only when non-empty. */
export function statsWalesCsv(def: MeasureDefinition, tallies: readonly Tally[], months: readonly string[], healthBoards: HealthBoardDirectory): string {
  const target = def.target ?? 0.9;
  let out = csvLine(STATSWALES_HEADER);
  for (const month of months) {
    const ofMonth = tallies.filter((t) => t.measureId === def.id && t.month === month && t.level === 'health-board');
    const boards = healthBoards.healthBoardsOn(lastDayOf(month));
    const unknown = ofMonth.find((t) => t.organisation.code === UNKNOWN);
    for (const board of unknown ? [...boards, unknown.organisation] : boards) {
      const tally = ofMonth.find((t) => t.organisation.code === board.code);
      for (const group of ageGroups) {
        const counts = tally?.strata.get(group) ?? emptyCounts();
        if (group === UNKNOWN && counts['initial-population'] === 0) continue;
        const { numerator, denominator } = effectiveCounts(counts);
        const met = denominator > 0 ? (numerator / denominator >= target ? 'yes' : 'no') : '';
        out += csvLine([month, board.code, board.name, ageGroupLabels[group], numerator, denominator, percentage(numerator, denominator), met]);
      }
    }
  }
  return out;
}

export const GENERIC_HEADER = [
  'period',
  'measure',
  'organisation_type',
  'organisation_code',
  'organisation_name',
  'stratum',
  'numerator',
  'denominator',
  'percentage',
] as const;

export function genericCsv(tallies: readonly Tally[]): string {
  let out = csvLine(GENERIC_HEADER);
  const row = (t: Tally, stratum: string, counts: PopulationCounts) => {
    const { numerator, denominator } = effectiveCounts(counts);
    out += csvLine([t.month, t.measureId, t.level, t.organisation.code, t.organisation.name, stratum, numerator, denominator, percentage(numerator, denominator)]);
  };
  for (const t of tallies) {
    row(t, 'all', t.total);
    for (const [stratum, counts] of [...t.strata].sort(([a], [b]) => a.localeCompare(b))) row(t, stratum, counts);
  }
  return out;
}
