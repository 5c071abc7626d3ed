import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createComplianceEngine } from '../../src/compliance/engine.js';
import { buildFacts, perPerson } from '../../src/compliance/facts.js';
import { loadRulePacks } from '../../src/compliance/load-packs.js';
import { builtInTemplates } from '../../src/compliance/templates/index.js';
import { createWorkingDayCalendar } from '../../src/time/working-days.js';
import { withEnglishEvidence } from '../helpers/generate-english-histories.js';
import { generateHistories } from '../helpers/generate-histories.js';
import { ASOF, compliantRecord } from './helpers.js';

const calendar = createWorkingDayCalendar('GB-ENG');

describe('indexes shared per person (perPerson)', () => {
  it('are worked out once for each person’s facts and never shared between people', () => {
    let made = 0;
    const contactCount = perPerson((f) => {
      made += 1;
      return f.contacts.length;
    });
    const [a, b] = withEnglishEvidence(generateHistories(2));
    const factsA = buildFacts(a!, ASOF, calendar);
    const factsB = buildFacts(b!, ASOF, calendar);
    expect(contactCount(factsA)).toBe(factsA.contacts.length);
    expect(contactCount(factsA)).toBe(factsA.contacts.length);
    expect(made).toBe(1);
    expect(contactCount(factsB)).toBe(factsB.contacts.length);
    expect(made).toBe(2);
    // A fresh evaluation of the same record works it out afresh: nothing is kept between evaluations.
    contactCount(buildFacts(a!, ASOF, calendar));
    expect(made).toBe(3);
  });

  it('keep a UK date per value that is the one londonDateOfValue gives, a date-time or not', () => {
    const facts = buildFacts(compliantRecord(), ASOF, calendar);
    expect(facts.ukDateOf('2025-06-30T23:30:00Z')).toBe('2025-07-01');
    expect(facts.ukDateOf('2025-06-30T23:30:00Z')).toBe('2025-07-01');
    expect(facts.ukDateOf('2025-12-31T23:30:00Z')).toBe('2025-12-31');
    expect(facts.ukDateOf('2025-06-30')).toBe('2025-06-30');
    expect(facts.ukDateOf('2025-06')).toBeUndefined();
  });

  it('leave each evaluation’s findings as they are when evaluations of different people interleave', () => {
    const engine = createComplianceEngine(loadRulePacks(resolve(import.meta.dirname, '../../mappings/rule-packs'), builtInTemplates()));
    const people = withEnglishEvidence(generateHistories(6));
    for (const pack of engine.packs) {
      const alone = people.map((r) => engine.evaluate(r, { asOf: ASOF, pack: pack.id }).findings);
      // Each rule of a pack against each person in turn, rule by rule, through the packs' own compiled rules.
      const emitted = people.map(() => [] as string[]);
      const facts = people.map((r) => buildFacts(r, ASOF, calendar, pack.rules));
      for (const rule of pack.rules) {
        facts.forEach((f, i) =>
          rule.run(f, {
            pass: (m, l) => emitted[i]!.push(`${rule.id}/${rule.check} pass ${l} ${m}`),
            fail: (m, l) => emitted[i]!.push(`${rule.id}/${rule.check} fail ${l} ${m}`),
            cannotEvaluate: (_, m, l) => emitted[i]!.push(`${rule.id}/${rule.check} cannot-evaluate ${l} ${m}`),
            notApplicable: (m, l) => emitted[i]!.push(`${rule.id}/${rule.check} not-applicable ${l} ${m}`),
          }),
        );
      }
      alone.forEach((findings, i) => {
        const expected = findings
          .filter((x) => !x.message.startsWith('Nothing in the record that this rule applies to.'))
          .map((x) => `${x.ruleId}/${x.check} ${x.result} ${x.location} ${x.message}`);
        expect(emitted[i]!.filter((e) => !e.includes('Nothing in the record that this rule applies to.'))).toEqual(expected);
      });
    }
  });
});
