/**
 * A later evaluation date never turns a missed deadline into a pass (issue 7, point 8): for
 * every deadline rule of the Welsh pack, a failure at as-of D is still not a pass at any later
 * as-of D'. Only the findings about the same thing are compared (the same rule, check and
 * location, ignoring which date field of it the finding points at).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/compliance/finding.js';
import { addDays } from '../../src/time/dates.js';
import { engine } from '../compliance/helpers.js';
import { historyArbitrary } from './arbitraries.js';

const DEADLINE_RULES = new Set([
  'CoP-P2-11/appointed-within-14-days',
  'CoP-P2-19/replaced-within-14-days',
  'CoP-P2-47/first-plan-within-6-weeks',
  'CoP-P2-47/copies-within-2-weeks',
  'CoP-P2-48/revised-plan-within-2-weeks',
  'CoP-P2-48/copies-within-2-weeks-of-review',
  'CoP-P2-60/review-after-transfer',
  'CoP-P2-63/contact-within-a-week',
  'CoP-P2-64/contact-after-self-discharge',
  'CoP-P2-67/reviewed-every-12-months',
  'CoP-P2-70/review-within-6-weeks-of-request',
  'CoP-P2-83/discharge-information-to-gp',
  'CoP-P3-07/uncertain-eligibility-assessed',
  'CoP-P3-08/residence-no-delay',
  'CoP-P3-12/response-time',
  'CoP-P3-14/report-within-10-working-days',
]);

/** What a finding is about: its rule, check and location without the date field it points at. */
function subject(f: Finding): string {
  const location = (f.location ?? '').replace(/\.(date|heldOn|providedOn|method|startedOn|madeOn)$/, '').replace(/\.report$/, '');
  return `${f.ruleId}/${f.check} @ ${location}`;
}

function deadlineFindings(record: Parameters<ReturnType<typeof engine>['evaluate']>[0], asOf: string): Finding[] {
  return engine()
    .evaluate(record, { asOf, pack: 'wales-measure' })
    .findings.filter((f) => DEADLINE_RULES.has(`${f.ruleId}/${f.check}`));
}

/** Evaluation dates just after each date in the history and after each 14-day and 6-week limit from it. */
function evaluationDates(record: object, cap: number): string[] {
  const dates = [...new Set(JSON.stringify(record).match(/\d{4}-\d{2}-\d{2}/g) ?? [])];
  const all = [...new Set(dates.flatMap((d) => [addDays(d, 1), addDays(d, 15), addDays(d, 43)]))].sort();
  const step = Math.max(1, Math.ceil(all.length / cap));
  return all.filter((_, i) => i % step === 0);
}

describe('deadline rules are monotone in the evaluation date', () => {
  it('a failure at as-of D is never a pass at a later as-of D′', () => {
    fc.assert(
      fc.property(historyArbitrary, ({ record }) => {
        const missed = new Map<string, string>();
        for (const asOf of evaluationDates(record, 40)) {
          for (const f of deadlineFindings(record, asOf)) {
            const about = subject(f);
            if (f.result === 'fail' && !missed.has(about)) missed.set(about, asOf);
            else if (f.result === 'pass' && missed.has(about)) expect.fail(`${about} failed on ${missed.get(about)} but passes on ${asOf}`);
          }
        }
      }),
      { numRuns: 50 },
    );
  });
});
