/**
 * Runs measures over people: one pass per person (facts built once, every measure and month
 * evaluated from them), each item placed under the resident health board and local authority of
 * its day, and added to per-month tallies. People with no known residence, or living outside
 * Wales, are tallied under an explicit "unknown" organisation rather than dropped.
 */

import type { PersonFacts } from './facts.js';
import type { HealthBoardDirectory, OrganisationRef } from './health-boards.js';
import type { EvaluationWindow, MeasureDefinition, MeasureDeps, MeasureItem } from './measure.js';
import { addCounts, emptyCounts, type PopulationCounts } from './score.js';
import { UNKNOWN } from './strata.js';

export const organisationLevels = ['health-board', 'local-authority'] as const;
export type OrganisationLevel = (typeof organisationLevels)[number];

export const UNKNOWN_ORGANISATION: Record<OrganisationLevel, OrganisationRef> = {
  'health-board': { code: UNKNOWN, name: 'Resident health board unknown (no Welsh local authority of residence recorded)' },
  'local-authority': { code: UNKNOWN, name: 'Local authority of residence unknown or outside Wales' },
};

export interface PlacedItem extends MeasureItem {
  readonly stratum: string;
  readonly organisations: Readonly<Record<OrganisationLevel, OrganisationRef>>;
}

export interface PersonResult {
  readonly person: PersonFacts;
  readonly measure: MeasureDefinition;
  readonly items: readonly PlacedItem[];
}

export interface Tally {
  readonly measureId: string;
  readonly month: string;
  readonly level: OrganisationLevel;
  readonly organisation: OrganisationRef;
  readonly total: PopulationCounts;
  /** Counts per stratum, in the order strata were first seen. */
  readonly strata: Map<string, PopulationCounts>;
}

export interface EvaluationDeps extends MeasureDeps {
  readonly healthBoards: HealthBoardDirectory;
}

export function placeItem(person: PersonFacts, item: MeasureItem, healthBoards: HealthBoardDirectory): PlacedItem {
  const la = person.localAuthority;
  const board = la === undefined ? undefined : healthBoards.residentHealthBoard(la, item.on);
  const authority = la === undefined ? undefined : healthBoards.localAuthority(la);
  return {
    ...item,
    stratum: item.stratum ?? UNKNOWN,
    organisations: {
      'health-board': board ?? UNKNOWN_ORGANISATION['health-board'],
      'local-authority': authority ?? UNKNOWN_ORGANISATION['local-authority'],
    },
  };
}

/** Accumulates placed items into tallies keyed by measure, month, level and organisation. */
export class Tallies {
  private readonly byKey = new Map<string, Tally>();

  add(measureId: string, item: PlacedItem): void {
    for (const level of organisationLevels) {
      const organisation = item.organisations[level];
      const key = `${measureId}\u0000${item.month}\u0000${level}\u0000${organisation.code}`;
      let tally = this.byKey.get(key);
      if (!tally) {
        tally = { measureId, month: item.month, level, organisation, total: emptyCounts(), strata: new Map() };
        this.byKey.set(key, tally);
      }
      addCounts(tally.total, item.populations);
      let stratum = tally.strata.get(item.stratum);
      if (!stratum) tally.strata.set(item.stratum, (stratum = emptyCounts()));
      addCounts(stratum, item.populations);
    }
  }

  /** Every tally, ordered by measure, month, level, then organisation code ("unknown" last). */
  list(): Tally[] {
    const order = (code: string) => (code === UNKNOWN ? `\uffff` : code);
    return [...this.byKey.values()].sort(
      (a, b) =>
        a.measureId.localeCompare(b.measureId) ||
        a.month.localeCompare(b.month) ||
        organisationLevels.indexOf(a.level) - organisationLevels.indexOf(b.level) ||
        order(a.organisation.code).localeCompare(order(b.organisation.code)),
    );
  }
}

/**
 * Evaluates every measure for one person and adds the items to `tallies`.
 *
 * @returns One result per measure with at least one item for this person.
 */
export function evaluatePerson(
  person: PersonFacts,
  definitions: readonly MeasureDefinition[],
  window: EvaluationWindow,
  deps: EvaluationDeps,
  tallies: Tallies,
): PersonResult[] {
  const results: PersonResult[] = [];
  for (const measure of definitions) {
    const items = measure.evaluate(person, window, deps).map((i) => placeItem(person, i, deps.healthBoards));
    if (items.length === 0) continue;
    for (const i of items) tallies.add(measure.id, i);
    results.push({ person, measure, items });
  }
  return results;
}
