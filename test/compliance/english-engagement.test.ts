/** ELFT-F11: a minimum contact agreed (a plan saying how often the person will be seen) after a refusal of contact. */
import { describe, expect, it } from 'vitest';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { ELFT, findings, LPT, results } from './english-helpers.js';
import { variant } from './helpers.js';

const F11 = 'ELFT-F11/minimum-contact-agreed';

type Plan = NonNullable<CtpRecord['plans']>[number];
const every3Months = { times: 1, every: 3, unit: 'month' } as Plan['contactFrequency'];

/** A refusal of contact raised on Monday 3 March 2025, and a second version of the plan made on `madeOn` (if any). */
const refused = (madeOn: string | null, change: (v2: Plan) => void = () => {}, start: string | null = '2025-03-03') =>
  variant((r) => {
    r.flags = [{ id: 'refusal', kind: 'refusing-contact', ...(start !== null ? { start } : {}) }];
    if (madeOn === null) return;
    const v1 = r.plans![0]!;
    v1.status = 'superseded';
    const v2: Plan = {
      ...structuredClone(v1),
      id: 'plan-v2',
      version: 2,
      status: 'active',
      changeType: 'minor-amendment',
      madeOn,
      completedOn: madeOn,
      contactFrequency: every3Months,
    };
    change(v2);
    r.plans!.push(v2);
  });

describe('ELFT-F11: a minimum contact agreed after a refusal of contact', () => {
  it('a plan setting the contact 4 weeks after passes; a day later fails at the alert', () => {
    expect(results(refused('2025-03-31'), ELFT, F11)).toEqual(['pass']);
    expect(findings(refused('2025-04-01'), ELFT, F11)[0]).toMatchObject({ result: 'fail', location: 'flags[0]', due: '2025-03-31', severity: 'warning' });
  });
  it('a plan without a contact frequency, or one made before the refusal, does not count', () => {
    expect(
      results(
        refused('2025-03-10', (v2) => delete v2.contactFrequency),
        ELFT,
        F11,
      ),
    ).toEqual(['fail']);
    const before = refused(null, () => {}, '2025-03-03');
    before.plans![0]!.contactFrequency = every3Months;
    expect(results(before, ELFT, F11)).toEqual(['fail']);
  });
  it('not yet due on 31 March; cannot be evaluated without the day the refusal was raised; not a rule of LPT', () => {
    expect(results(refused(null), ELFT, F11, '2025-03-31')).toEqual(['not-applicable']);
    expect(
      findings(
        refused(null, () => {}, null),
        ELFT,
        F11,
      )[0],
    ).toMatchObject({ result: 'cannot-evaluate', missing: ['flags[0].start'] });
    expect(findings(refused(null), LPT, F11)).toEqual([]);
  });
});
