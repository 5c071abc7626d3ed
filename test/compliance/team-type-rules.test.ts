import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createComplianceEngine } from '../../src/compliance/engine.js';
import { buildFacts } from '../../src/compliance/facts.js';
import { loadRulePacks } from '../../src/compliance/load-packs.js';
import type { RuleTemplate } from '../../src/compliance/template.js';
import { builtInTemplates } from '../../src/compliance/templates/index.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { createWorkingDayCalendar } from '../../src/time/working-days.js';
import { withEnglishEvidence } from '../helpers/generate-english-histories.js';
import { generateHistories } from '../helpers/generate-histories.js';
import { ASOF, countingEmit, packSpecs } from './helpers.js';

const PACKS = resolve(import.meta.dirname, '../../mappings/rule-packs');
const templates = builtInTemplates();
const engine = createComplianceEngine(loadRulePacks(PACKS, templates));
const people = withEnglishEvidence(generateHistories(300));
/** The same people with what the rules most often need missing: no acceptance dates, no team. */
const undated: CtpRecord[] = people.map((r) => ({ ...r, episodes: r.episodes?.map(({ acceptedOn: _a, team: _t, ...e }) => e) }));

/** Every rule of the packs whose template takes `applies`, with its parameters as the pack sets them. */
function rulesWithApplies(): { pack: string; rule: string; template: RuleTemplate<unknown>; params: object }[] {
  const found: { pack: string; rule: string; template: RuleTemplate<unknown>; params: object }[] = [];
  for (const spec of packSpecs()) {
    for (const rule of spec.rules) {
      const template = rule.template === undefined ? undefined : templates.get(rule.template);
      if (template === undefined) continue;
      const params = template.params.parse(rule.params ?? {}) as object;
      if ('applies' in params) found.push({ pack: spec.id, rule: `${rule.id}/${rule.check}`, template, params });
    }
  }
  return found;
}

describe('rules that apply only to some team types', () => {
  it('come from templates that say nothing about an item their parameters say they do not apply to', () => {
    const rules = rulesWithApplies();
    // The English packs keep several rules to assertive outreach, early intervention or crisis teams.
    expect(rules.filter((r) => r.pack === 'leicestershire-lpt').length).toBeGreaterThan(10);
    const calendar = createWorkingDayCalendar('GB-ENG');
    const applied = countingEmit();
    for (const { pack, rule, template, params } of rules) {
      for (const asOf of [ASOF, '2024-03-31']) {
        for (const record of [...people, ...undated]) {
          const facts = buildFacts(record, asOf, calendar);
          const emit = countingEmit();
          // Whatever the other parameters, an item the rule does not apply to is not judged.
          template.evaluate(facts, () => ({ ...params, applies: false }), emit);
          expect(emit.count, `${pack} ${rule}`).toBe(0);
          template.evaluate(facts, () => ({ ...params, applies: true }), applied);
        }
      }
    }
    // The same people give these templates plenty to judge when they do apply.
    expect(applied.count).toBeGreaterThan(people.length);
  });

  it('are judged for a person with an episode of a team type they apply to, and not for anyone else', () => {
    // LPT-Z12 (early intervention: onward care arranged at discharge) applies only to early intervention teams.
    const discharged = people.find((r) => (r.episodes ?? []).some((e) => e.discharge?.kind === 'full' && e.discharge.date <= ASOF));
    expect(discharged).toBeDefined();
    const withTeam = (team: string): CtpRecord => ({ ...discharged!, episodes: discharged!.episodes!.map((e) => ({ ...e, team })) });
    const findingsOf = (record: CtpRecord) =>
      engine.evaluate(record, { asOf: ASOF, pack: 'leicestershire-lpt' }).findings.filter((f) => f.ruleId === 'LPT-Z12' && f.check === 'eip-onward-care-in-place');
    const early = findingsOf(withTeam('PIER Team'));
    expect(early.some((f) => f.result !== 'not-applicable' || f.message !== 'Nothing in the record that this rule applies to.')).toBe(true);
    expect(findingsOf(withTeam('Community Mental Health Team'))).toEqual([
      expect.objectContaining({ result: 'not-applicable', message: 'Nothing in the record that this rule applies to.' }),
    ]);
  });

  it('ask for an undated acceptance only of an episode of a team type they apply to', () => {
    // LPT-CR6 (a carer's plan within 3 months of acceptance) applies only to assertive outreach teams.
    const withCarer = people.find((r) => (r.relatedPeople ?? []).some((p) => p.roles?.includes('carer') && p.isPaidOrVolunteer !== true));
    expect(withCarer).toBeDefined();
    const undatedIn = (team: string): CtpRecord => ({ ...withCarer!, episodes: withCarer!.episodes!.map(({ acceptedOn: _a, ...e }) => ({ ...e, team })) });
    const findingsOf = (record: CtpRecord) =>
      engine.evaluate(record, { asOf: ASOF, pack: 'leicestershire-lpt' }).findings.filter((f) => f.ruleId === 'LPT-CR6' && f.check === 'carer-plan-in-assertive-outreach');
    expect(findingsOf(undatedIn('Assertive Outreach Team'))).toEqual([
      expect.objectContaining({ result: 'cannot-evaluate', missing: withCarer!.episodes!.map((_, i) => `episodes[${i}].acceptedOn`) }),
    ]);
    expect(findingsOf(undatedIn('Community Mental Health Team'))).toEqual([
      expect.objectContaining({ result: 'not-applicable', message: 'Nothing in the record that this rule applies to.' }),
    ]);
  });
});
