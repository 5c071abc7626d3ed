/**
 * The quality signals as measures for `pont report --measure quality`: for each signal of the
 * quality pack and each reporting month, the people with a plan made by the month's last day (or
 * the as-of day, if earlier) and in receipt of services then, and among them those the signal
 * fired for. Placed, as every measure is, under the resident health board and local authority;
 * stratified by team. Lower is better: these are prompts for review, not breaches.
 *
 * The signals are judged once per person and month for all the quality measures together; the
 * definitions, and the record of those judgements, belong to one report run. The two signals of
 * shared plan text (PE-28) look across every person of the run: their search runs once, when the
 * run hands its records to `prepare`, over each person's current plans on the as-of day; a person
 * counts for a month when the plan version found is the one in force then.
 */
import type { PersonFacts } from '../measures/facts.js';
import { item, type MeasureDefinition, type MeasureItem } from '../measures/measure.js';
import { lastDayOf } from '../measures/period.js';
import { UNKNOWN } from '../measures/strata.js';
import type { CtpRecord } from '../record/record.schema.js';
import { earliest } from '../time/dates.js';
import { isMade } from '../timeline/timeline.js';
import { signalKey } from './aggregate.js';
import { careSetting } from './care-setting.js';
import type { QualityEngine } from './quality-engine.js';
import { legacyTemplateRule, nearDuplicateRule, type SharedTextSettings, sharedTextSearch } from './shared-text.js';

export const QUALITY_MEASURES = 'quality';
export const qualityMeasureId = (check: string) => `quality-${check}`;

interface Judged {
  readonly fired: ReadonlySet<string>;
  readonly applied: ReadonlySet<string>;
}

/** In receipt of services on the day, with a plan made by then: who the quality measures count. */
function countedOn(person: PersonFacts, day: string): boolean {
  return person.timeline.episodesInReceiptOn(day).length > 0 && (person.record.plans ?? []).some((p) => isMade(p) && p.madeOn !== undefined && p.madeOn <= day);
}

/** The day a month is judged on: its last day, or the as-of day if earlier; undefined when the month starts after the as-of day. */
function judgedOn(month: string, asOf: string): string | undefined {
  const day = earliest([lastDayOf(month), asOf])!;
  return day < `${month}-01` ? undefined : day;
}

const CRITERIA = {
  'initial-population': 'People in receipt of secondary mental health services with a plan made on or before the day, whose record holds what the signal looks at.',
  denominator: 'The initial population.',
  numerator: 'The signal fired.',
} as const;

function signalMeasure(
  rule: { id: string; check: string; title: string; citation: string },
  fired: (person: PersonFacts, day: string) => boolean | undefined,
): Omit<MeasureDefinition, 'prepare'> {
  return {
    id: qualityMeasureId(rule.check),
    title: `Quality signal: ${rule.title}`,
    description: `Of the people with a care and treatment plan and in receipt of services at the end of the month, the proportion for whom the quality signal ${rule.id}/${rule.check} fired (${rule.citation}). A prompt for human review, not a breach: a lower proportion is better.`,
    clock: 'Judged on the last day of the month, or on the as-of day if that is earlier, over the plans then current.',
    criteria: CRITERIA,
    stratifier: 'team',
    improvement: 'decrease',
    evaluate(person, window) {
      const items: MeasureItem[] = [];
      let team: string | undefined;
      for (const month of window.months) {
        const day = judgedOn(month, window.asOf);
        if (day === undefined) continue;
        // Undefined: the signal has nothing to look at in this person's record; most signals apply to few.
        const verdict = fired(person, day);
        if (verdict === undefined) continue;
        team ??= careSetting(person.record).team ?? UNKNOWN;
        items.push(item(month, day, person.source.recordId, verdict ? 'met' : 'notMet', verdict ? 'signal fired' : 'signal silent', team));
      }
      return items;
    },
  };
}

export function qualityMeasures(quality: QualityEngine, sharedText: SharedTextSettings): MeasureDefinition[] {
  const judged = new WeakMap<PersonFacts, Map<string, Judged | undefined>>();
  const judge = (person: PersonFacts, day: string): Judged | undefined => {
    let byDay = judged.get(person);
    if (!byDay) judged.set(person, (byDay = new Map()));
    if (byDay.has(day)) return byDay.get(day);
    let result: Judged | undefined;
    if (countedOn(person, day)) {
      const findings = quality.engine.evaluate(person.record, { asOf: day }).findings;
      result = {
        fired: new Set(findings.filter((f) => f.result === 'fail').map(signalKey)),
        applied: new Set(findings.filter((f) => f.result === 'fail' || f.result === 'pass').map(signalKey)),
      };
    }
    byDay.set(day, result);
    return result;
  };

  const fromPack = quality.engine.packs.flatMap((pack) =>
    pack.rules.map((rule) =>
      signalMeasure(rule, (person, day) => {
        const key = `${rule.id}/${rule.check}`;
        const j = judge(person, day);
        return j?.applied.has(key) ? j.fired.has(key) : undefined;
      }),
    ),
  );
  return [...fromPack, ...sharedTextMeasures(sharedText)];
}

/** PE-28 over the records of one run: for each record, the plan versions (by index) each check found. */
function sharedTextMeasures(settings: SharedTextSettings): MeasureDefinition[] {
  let found = new Map<CtpRecord, Map<string, Set<number>>>();
  let preparedFor: readonly CtpRecord[] | undefined;
  const prepare = (records: readonly CtpRecord[]) => {
    if (preparedFor === records) return;
    preparedFor = records;
    const search = sharedTextSearch(settings);
    records.forEach((r, i) => search.add(r, String(i)));
    found = new Map();
    for (const f of search.search().findings) {
      const record = records[Number(f.place.record)]!;
      let byCheck = found.get(record);
      if (!byCheck) found.set(record, (byCheck = new Map()));
      let plans = byCheck.get(f.check);
      if (!plans) byCheck.set(f.check, (plans = new Set()));
      plans.add(Number(/\d+/.exec(f.place.plan)![0]));
    }
  };
  return [nearDuplicateRule, legacyTemplateRule].map((rule) => ({
    ...signalMeasure(
      { ...rule, title: rule.check === nearDuplicateRule.check ? 'Plan text nearly the same as other people’s' : 'Plan text carried over from a legacy template' },
      (person, day) => {
        if (!countedOn(person, day)) return undefined;
        const plans = found.get(person.record)?.get(rule.check);
        if (!plans) return false;
        // Found on the plans current on the as-of day: it counts for the months that version was in force.
        const latest = new Map<string, number>();
        (person.record.plans ?? []).forEach((p, i) => {
          if (isMade(p) && p.madeOn !== undefined && p.madeOn <= day) latest.set(p.planId, i);
        });
        return [...latest.values()].some((i) => plans.has(i));
      },
    ),
    prepare,
  }));
}
