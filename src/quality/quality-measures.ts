/**
 * The quality signals as measures for `pont report --measure quality`: for each signal of the
 * quality pack and each reporting month, the people with a plan made by the month's last day (or
 * the as-of day, if earlier) and in receipt of services then, and among them those the signal
 * fired for. Placed, as every measure is, under the resident health board and local authority;
 * stratified by team. Lower is better: these are prompts for review, not breaches.
 *
 * The signals are judged once per person and month for all the quality measures together; the
 * definitions, and the record of those judgements, belong to one report run.
 */
import type { PersonFacts } from '../measures/facts.js';
import { item, type MeasureDefinition, type MeasureItem } from '../measures/measure.js';
import { lastDayOf } from '../measures/period.js';
import { UNKNOWN } from '../measures/strata.js';
import { earliest } from '../time/dates.js';
import { isMade } from '../timeline/timeline.js';
import { signalKey } from './aggregate.js';
import type { QualityEngine } from './quality-engine.js';
import { careSetting } from './shared-text.js';

export const QUALITY_MEASURES = 'quality';
export const qualityMeasureId = (check: string) => `quality-${check}`;

interface Judged {
  readonly fired: ReadonlySet<string>;
  readonly applied: ReadonlySet<string>;
}

export function qualityMeasures(quality: QualityEngine): MeasureDefinition[] {
  const judged = new WeakMap<PersonFacts, Map<string, Judged | undefined>>();
  const judge = (person: PersonFacts, day: string): Judged | undefined => {
    let byDay = judged.get(person);
    if (!byDay) judged.set(person, (byDay = new Map()));
    if (byDay.has(day)) return byDay.get(day);
    const inServices = person.timeline.episodesInReceiptOn(day).length > 0;
    const hasPlan = (person.record.plans ?? []).some((p) => isMade(p) && p.madeOn !== undefined && p.madeOn <= day);
    let result: Judged | undefined;
    if (inServices && hasPlan) {
      const findings = quality.engine.evaluate(person.record, { asOf: day }).findings;
      result = {
        fired: new Set(findings.filter((f) => f.result === 'fail').map(signalKey)),
        applied: new Set(findings.filter((f) => f.result === 'fail' || f.result === 'pass').map(signalKey)),
      };
    }
    byDay.set(day, result);
    return result;
  };

  return quality.engine.packs.flatMap((pack) =>
    pack.rules.map(
      (rule): MeasureDefinition => ({
        id: qualityMeasureId(rule.check),
        title: `Quality signal: ${rule.title}`,
        description: `Of the people with a care and treatment plan and in receipt of services at the end of the month, the proportion for whom the quality signal ${rule.id}/${rule.check} fired (${rule.citation}). A prompt for human review, not a breach: a lower proportion is better.`,
        clock: 'Judged on the last day of the month, or on the as-of day if that is earlier, over the plans then current.',
        criteria: {
          'initial-population': 'People in receipt of secondary mental health services with a plan made on or before the day, whose record holds what the signal looks at.',
          denominator: 'The initial population.',
          numerator: 'The signal fired.',
        },
        stratifier: 'team',
        improvement: 'decrease',
        evaluate(person, window) {
          const key = `${rule.id}/${rule.check}`;
          const items: MeasureItem[] = [];
          let team: string | undefined;
          for (const month of window.months) {
            const last = lastDayOf(month);
            const day = earliest([last, window.asOf])!;
            if (day < `${month}-01`) continue;
            const j = judge(person, day);
            // People the signal has nothing to look at are not counted at all: most signals apply to few.
            if (!j?.applied.has(key)) continue;
            team ??= careSetting(person.record).team ?? UNKNOWN;
            const fired = j.fired.has(key);
            items.push(item(month, day, person.source.recordId, fired ? 'met' : 'notMet', fired ? 'signal fired' : 'signal silent', team));
          }
          return items;
        },
      }),
    ),
  );
}
