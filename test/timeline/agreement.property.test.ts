/**
 * The agreement property (issue 7, point 2): over generated histories, each measure item and
 * the Welsh rule it mirrors say the same thing about the same episode, plan, version or Part 3
 * request. A measure's "met" is the rule's pass, "not met" its failure, and "excluded" or
 * "excepted" a rule that does not apply or cannot be judged.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/compliance/finding.js';
import { coordinatorWithin14Days } from '../../src/measures/definitions/coordinator-within-14-days.js';
import { copiesWithin2Weeks } from '../../src/measures/definitions/copies-within-2-weeks.js';
import { ctpWithin6Weeks } from '../../src/measures/definitions/ctp-within-6-weeks.js';
import { part3Report10WorkingDays } from '../../src/measures/definitions/part3-report-10-working-days.js';
import { part3ResponseTime } from '../../src/measures/definitions/part3-response-time.js';
import { reviewWithin12Months } from '../../src/measures/definitions/review-within-12-months.js';
import { evaluatePerson, Tallies } from '../../src/measures/evaluate.js';
import { personFacts } from '../../src/measures/facts.js';
import type { MeasureDefinition, MeasureItem } from '../../src/measures/measure.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { addMonths } from '../../src/time/dates.js';
import { buildTimeline } from '../../src/timeline/timeline.js';
import { engine } from '../compliance/helpers.js';
import { deps } from '../measures/helpers.js';
import { historyArbitrary } from './arbitraries.js';

type Outcome = 'met' | 'not met' | 'aside';

function measureOutcome(item: MeasureItem): Outcome {
  const p = new Set(item.populations);
  if (p.has('numerator')) return 'met';
  if (p.has('denominator-exclusion') || p.has('denominator-exception')) return 'aside';
  return 'not met';
}

/** The outcome of a rule's findings about one subject: any failure, else all passing, else not judged. */
function ruleOutcome(findings: readonly Finding[]): Outcome {
  if (findings.some((f) => f.result === 'fail')) return 'not met';
  if (findings.length > 0 && findings.every((f) => f.result === 'pass')) return 'met';
  return 'aside';
}

/** Every month from 2017 to a year after the as-of day: every item of the history falls in it. */
function windowFor(asOf: string) {
  const months: string[] = [];
  for (let m = '2017-01'; m <= addMonths(asOf, 14).slice(0, 7); m = addMonths(`${m}-01`, 1).slice(0, 7)) months.push(m);
  return { months, asOf };
}

function itemsOf(definition: MeasureDefinition, record: CtpRecord, asOf: string): MeasureItem[] {
  return evaluatePerson(personFacts(record), [definition], windowFor(asOf), deps, new Tallies()).flatMap((r) => r.items);
}

function findingsOf(record: CtpRecord, asOf: string, ...keys: string[]): Finding[] {
  return engine()
    .evaluate(record, { asOf, pack: 'wales-measure' })
    .findings.filter((f) => keys.includes(`${f.ruleId}/${f.check}`));
}

/** The list and index a finding's location starts with, e.g. `plans[3].copies[0]` → plans, 3. */
function head(location: string | undefined): { list: string; index: number } | undefined {
  const m = /^(\w+)\[(\d+)\]/.exec(location ?? '');
  return m ? { list: m[1]!, index: Number(m[2]) } : undefined;
}

/** Findings grouped by the subject a measure counts, via `subjectOf` (undefined: not about a subject). */
function bySubject(findings: readonly Finding[], subjectOf: (at: { list: string; index: number }) => string | undefined): Map<string, Finding[]> {
  const map = new Map<string, Finding[]>();
  for (const f of findings) {
    const at = head(f.location);
    const subject = at && subjectOf(at);
    if (subject === undefined) continue;
    map.set(subject, [...(map.get(subject) ?? []), f]);
  }
  return map;
}

function expectAgreement(items: readonly MeasureItem[], findings: ReadonlyMap<string, readonly Finding[]>, subjectOf: (item: MeasureItem) => string = (i) => i.subject): void {
  for (const item of items) {
    const found = findings.get(subjectOf(item)) ?? [];
    expect({ subject: item.subject, rule: ruleOutcome(found) }).toEqual({ subject: item.subject, rule: measureOutcome(item) });
  }
}

const RUNS = { numRuns: 120 };

describe('each measure agrees with the rule it mirrors, for every generated person', () => {
  it('coordinator-within-14-days ⇔ CoP-P2-11 appointed within 14 days', () => {
    fc.assert(
      fc.property(historyArbitrary, ({ record, asOf }) => {
        const timeline = buildTimeline(record);
        const appointments = record.coordinatorAppointments ?? [];
        // The rule reports at the episode's first appointment, or at the episode when there is none.
        const subjects = new Map<string, string>();
        for (const span of timeline.episodes) {
          const first = timeline.firstAppointment(span);
          const at = first ? `coordinatorAppointments[${appointments.indexOf(first.appointment)}]` : `episodes[${record.episodes!.indexOf(span.episode)}]`;
          subjects.set(at, subjects.has(at) ? '' : span.id);
        }
        const findings = bySubject(findingsOf(record, asOf, 'CoP-P2-11/appointed-within-14-days'), (at) => subjects.get(`${at.list}[${at.index}]`) || undefined);
        const items = itemsOf(coordinatorWithin14Days, record, asOf).filter((i) => [...subjects.values()].includes(i.subject));
        expectAgreement(items, findings);
      }),
      RUNS,
    );
  });

  it('ctp-within-6-weeks ⇔ CoP-P2-47 first plan within 6 weeks', () => {
    fc.assert(
      fc.property(historyArbitrary, ({ record, asOf }) => {
        const timeline = buildTimeline(record);
        const plans = record.plans ?? [];
        const subjects = new Map<string, string>();
        for (const span of timeline.episodes) {
          const first = timeline.carriedPlan(span) ? undefined : timeline.firstPlan(span);
          const at = first ? `plans[${plans.indexOf(first.plan)}]` : `episodes[${record.episodes!.indexOf(span.episode)}]`;
          subjects.set(at, subjects.has(at) ? '' : span.id);
        }
        const findings = bySubject(findingsOf(record, asOf, 'CoP-P2-47/first-plan-within-6-weeks'), (at) => subjects.get(`${at.list}[${at.index}]`) || undefined);
        const items = itemsOf(ctpWithin6Weeks, record, asOf).filter((i) => [...subjects.values()].includes(i.subject));
        expectAgreement(items, findings);
      }),
      RUNS,
    );
  });

  it('review-within-12-months ⇔ CoP-P2-67 reviewed every 12 months (per plan: a missed cycle is a failure)', () => {
    fc.assert(
      fc.property(historyArbitrary, ({ record, asOf }) => {
        const plans = record.plans ?? [];
        const reviews = record.reviews ?? [];
        const findings = bySubject(findingsOf(record, asOf, 'CoP-P2-67/reviewed-every-12-months'), (at) =>
          at.list === 'plans' ? plans[at.index]?.planId : at.list === 'reviews' ? reviews[at.index]?.plan : undefined,
        );
        const items = itemsOf(reviewWithin12Months, record, asOf);
        const planOf = (i: MeasureItem) => i.subject.slice(0, i.subject.lastIndexOf('#'));
        for (const planId of new Set(items.map(planOf))) {
          const cycles = items.filter((i) => planOf(i) === planId).map(measureOutcome);
          const measure: Outcome = cycles.includes('not met') ? 'not met' : cycles.includes('met') ? 'met' : 'aside';
          const rule = ruleOutcome(findings.get(planId) ?? []);
          // A plan whose only cycle is still open passes the rule (nothing missed yet).
          expect({ planId, rule: rule === 'not met' }).toEqual({ planId, rule: measure === 'not met' });
        }
      }),
      RUNS,
    );
  });

  it('copies-within-2-weeks ⇔ CoP-P2-47 and CoP-P2-48 copies within 2 weeks (per plan version)', () => {
    fc.assert(
      fc.property(historyArbitrary, ({ record, asOf }) => {
        const plans = record.plans ?? [];
        const findings = bySubject(findingsOf(record, asOf, 'CoP-P2-47/copies-within-2-weeks', 'CoP-P2-48/copies-within-2-weeks-of-review'), (at) =>
          at.list === 'plans' ? plans[at.index]?.id : undefined,
        );
        expectAgreement(itemsOf(copiesWithin2Weeks, record, asOf), findings);
      }),
      RUNS,
    );
  });

  it('part3-response-time ⇔ CoP-P3-12 and part3-report-10-working-days ⇔ CoP-P3-14', () => {
    fc.assert(
      fc.property(historyArbitrary, ({ record, asOf }) => {
        const requests = record.part3Requests ?? [];
        const subjectOf = (at: { list: string; index: number }) => (at.list === 'part3Requests' ? requests[at.index]?.id : undefined);
        expectAgreement(itemsOf(part3ResponseTime, record, asOf), bySubject(findingsOf(record, asOf, 'CoP-P3-12/response-time'), subjectOf));
        expectAgreement(itemsOf(part3Report10WorkingDays, record, asOf), bySubject(findingsOf(record, asOf, 'CoP-P3-14/report-within-10-working-days'), subjectOf));
      }),
      RUNS,
    );
  });
});
