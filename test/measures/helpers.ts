/** Evaluating one measure on one record, with the reference data and calendar pont ships. */
import { createMeasureDeps } from '../../src/measures/deps.js';
import { type PlacedItem, placeItem } from '../../src/measures/evaluate.js';
import { personFacts } from '../../src/measures/facts.js';
import type { MeasureDefinition } from '../../src/measures/measure.js';
import { parseRecord } from '../../src/record/parse-record.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { ROOT } from '../helpers/runtime.js';

export const deps = createMeasureDeps(ROOT);

/** Items of `record` for the months given, after checking the record is valid. */
export function evaluate(def: MeasureDefinition, record: CtpRecord, months: string[], asOf: string): PlacedItem[] {
  const person = personFacts(parseRecord(record, 'test'));
  return def.evaluate(person, { months, asOf }, deps).map((i) => placeItem(person, i, deps.healthBoards));
}

/** The one item expected, with its verdict spelled as the populations it is in beyond the denominator. */
export function only(items: PlacedItem[]): { verdict: string; reason: string; item: PlacedItem } {
  if (items.length !== 1) throw new Error(`expected one item, got ${items.length}`);
  const item = items[0]!;
  const p = new Set(item.populations);
  const verdict = p.has('numerator') ? 'met' : p.has('denominator-exclusion') ? 'excluded' : p.has('denominator-exception') ? 'excepted' : 'not met';
  return { verdict, reason: item.reason, item };
}
