import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildFacts, type RecordFacts } from '../../src/compliance/facts.js';
import { heldParts, partsMask, type RecordPart, recordParts } from '../../src/compliance/record-parts.js';
import type { RuleTemplate } from '../../src/compliance/template.js';
import { builtInTemplates } from '../../src/compliance/templates/index.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { createWorkingDayCalendar } from '../../src/time/working-days.js';
import { withinMeasure } from '../../src/timeline/measure-scope.js';
import { ctpRecord } from '../helpers/arbitraries.js';
import { withEnglishEvidence } from '../helpers/generate-english-histories.js';
import { generateHistories } from '../helpers/generate-histories.js';
import { ASOF, countingEmit, packSpecs } from './helpers.js';

const _PACKS = resolve(import.meta.dirname, '../../mappings/rule-packs');
const templates = builtInTemplates();
const plain = generateHistories(300);
const english = withEnglishEvidence(plain);
/** People who left hospital against advice, with a psychotic illness: what few generated histories hold, and some rules look for. */
const leftAgainstAdvice: CtpRecord[] = english
  .filter((r) => r.episodes?.some((e) => e.inpatientStays?.length))
  .map((r) => ({
    ...r,
    diagnoses: [{ id: 'dx-f20', code: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'F20' }], status: 'active' }],
    episodes: r.episodes?.map((e) => ({ ...e, inpatientStays: e.inpatientStays?.map((s) => ({ ...s, dischargeType: 'self-discharge-against-advice' as const })) })),
  }));
/** Generated histories, and the examples varied with every kind of evidence the arbitraries add (a fixed seed: the same records each run). */
const people = [...english, ...plain.slice(0, 60), ...leftAgainstAdvice, ...fc.sample(ctpRecord(), { numRuns: 400, seed: 20261207 })];

/**
 * The record with a part taken away: a list emptied (or left out, every other record), a field
 * dropped from every episode, the clinic from every encounter, the meetings of a kind left out.
 */
function withoutPart(record: CtpRecord, part: RecordPart, i: number): CtpRecord {
  if (part === 'encounters.clinic') return { ...record, encounters: record.encounters?.map(({ clinic: _, ...e }) => e) };
  if (part.startsWith('encounters.kind=')) {
    const kind = part.slice('encounters.kind='.length);
    return { ...record, encounters: record.encounters?.filter((e) => e.kind !== kind) };
  }
  if (part.startsWith('episodes.')) {
    const field = part.slice('episodes.'.length);
    return { ...record, episodes: record.episodes?.map((e) => Object.fromEntries(Object.entries(e).filter(([k]) => k !== field)) as typeof e) };
  }
  const copy: Record<string, unknown> = { ...record };
  if (i % 2 === 0) copy[part] = [];
  else delete copy[part];
  return copy as CtpRecord;
}

interface NeedingRule {
  readonly pack: string;
  readonly rule: string;
  readonly template: RuleTemplate<unknown>;
  /** The rule's parameters, and those of each team type it sets apart. */
  readonly variants: readonly unknown[];
  readonly region: 'GB-WLS' | 'GB-ENG';
}

/** Every rule of the packs whose template declares the parts it is silent without. */
function rulesWithNeeds(): NeedingRule[] {
  const found: NeedingRule[] = [];
  for (const spec of packSpecs()) {
    for (const rule of spec.rules) {
      const template = rule.template === undefined ? undefined : templates.get(rule.template);
      if (template?.silentWithout === undefined) continue;
      const variants = [rule.params ?? {}, ...Object.values(rule.byTeamType ?? {}).map((o) => ({ ...rule.params, ...o }))].map((raw) => template.params.parse(raw));
      found.push({ pack: spec.id, rule: `${rule.id}/${rule.check}`, template, variants, region: spec.workingDays === 'GB-ENG' ? 'GB-ENG' : 'GB-WLS' });
    }
  }
  return found;
}

describe('the parts of a record a rule template is silent without', () => {
  it('is held by a record exactly when it has the list with an item, or an episode with the field', () => {
    for (const [i, record] of people.entries()) {
      const held = heldParts(record);
      for (const part of recordParts) {
        const without = heldParts(withoutPart(record, part, i));
        expect(without & partsMask([part]), part).toBe(0);
        // Taking one part away leaves the others as they were.
        expect(without | partsMask([part])).toBe(held | partsMask([part]));
      }
    }
    // The generated people hold every part somewhere, so that taking it away takes something.
    for (const part of recordParts)
      expect(
        people.some((r) => heldParts(r) & partsMask([part])),
        part,
      ).toBe(true);
  });

  it('is something without which the template says nothing, for every rule of the packs that uses it', () => {
    const rules = rulesWithNeeds();
    expect(rules.length).toBeGreaterThan(0);
    // Facts of each person without each part, at two dates, built once and shared by the rules.
    const factsWithout = new Map<string, RecordFacts[]>();
    const factsOf = (part: RecordPart, asOf: string, region: 'GB-WLS' | 'GB-ENG'): RecordFacts[] => {
      const key = `${part} ${asOf} ${region}`;
      let facts = factsWithout.get(key);
      if (facts === undefined) {
        const calendar = createWorkingDayCalendar(region);
        facts = people.map((r, i) => {
          const record = withoutPart(r, part, i);
          return buildFacts(withinMeasure(record), asOf, calendar, [], record);
        });
        factsWithout.set(key, facts);
      }
      return facts;
    };
    const fullFacts = new Map<string, RecordFacts[]>();
    const factsWithAll = (region: 'GB-WLS' | 'GB-ENG'): RecordFacts[] => {
      let facts = fullFacts.get(region);
      if (facts === undefined) {
        const calendar = createWorkingDayCalendar(region);
        facts = people.map((r) => buildFacts(withinMeasure(r), ASOF, calendar, [], r));
        fullFacts.set(region, facts);
      }
      return facts;
    };
    const spoke: string[] = [];
    const judged = new Map<string, number>();
    for (const { pack, rule, template, variants, region } of rules) {
      for (const params of variants) {
        const parts = template.silentWithout!(params);
        for (const part of parts) {
          for (const asOf of [ASOF, '2024-03-31']) {
            const emit = countingEmit();
            for (const facts of factsOf(part, asOf, region)) template.evaluate(facts, () => params, emit);
            if (emit.count > 0) spoke.push(`${pack} ${rule} without ${part} at ${asOf}`);
          }
        }
        // With every part in place the same people give the rule something to judge, so the law is not met by a rule that never speaks
        // (parameters that need nothing are not skipped, so have nothing to show).
        if (parts.length === 0) continue;
        const emit = countingEmit();
        for (const facts of factsWithAll(region)) {
          template.evaluate(facts, () => params, emit);
          if (emit.count > 0) break;
        }
        judged.set(`${pack} ${rule}`, (judged.get(`${pack} ${rule}`) ?? 0) + emit.count);
      }
    }
    expect(spoke).toEqual([]);
    expect([...judged].filter(([, n]) => n === 0).map(([rule]) => rule)).toEqual([]);
  });
});
