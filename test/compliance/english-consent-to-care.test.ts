/** LPT-I3 (consent before care, or capacity assessed) and ELFT-I5 (the need for advocacy considered). */
import { describe, expect, it } from 'vitest';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { ELFT, findings, LPT, results, WALES } from './english-helpers.js';
import { variant } from './helpers.js';

type Episode = NonNullable<CtpRecord['episodes']>[number];

describe('LPT-I3: consent before care, or a capacity assessment where it is in doubt', () => {
  const I3 = 'LPT-I3/consent-before-care';
  // The episode's first contact is on 1 February 2025.
  const consent = (c: Episode['consentToCare']) => variant((r) => (r.episodes![0]!.consentToCare = c));

  it('consent recorded on the day of the first contact passes; the day after fails, as an error', () => {
    expect(findings(consent({ decision: 'agreed', recordedOn: '2025-02-01' }), LPT, I3)[0]).toMatchObject({ result: 'pass', location: 'episodes[0].consentToCare' });
    expect(findings(consent({ decision: 'agreed', recordedOn: '2025-02-02' }), LPT, I3)[0]).toMatchObject({ result: 'fail', severity: 'error' });
  });
  it('capacity in doubt: an assessment by the first contact passes, later or none fails', () => {
    expect(results(consent({ decision: 'capacity-in-doubt', capacityAssessedOn: '2025-02-01' }), LPT, I3)).toEqual(['pass']);
    expect(results(consent({ decision: 'capacity-in-doubt', capacityAssessedOn: '2025-02-02' }), LPT, I3)).toEqual(['fail']);
    expect(results(consent({ decision: 'capacity-in-doubt' }), LPT, I3)).toEqual(['fail']);
  });
  it('nothing recorded fails at the episode; consent without its date cannot be evaluated; a refusal is not judged', () => {
    expect(
      findings(
        variant(() => {}),
        LPT,
        I3,
      )[0],
    ).toMatchObject({ result: 'fail', location: 'episodes[0]' });
    expect(findings(consent({ decision: 'agreed' }), LPT, I3)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].consentToCare.recordedOn'] });
    expect(results(consent({ decision: 'declined', recordedOn: '2025-01-20' }), LPT, I3)).toEqual(['not-applicable']);
  });
  it('judges each episode, and none before its first contact; is not a rule of ELFT or Wales', () => {
    const two = variant((r) => {
      r.episodes![0]!.consentToCare = { decision: 'agreed', recordedOn: '2025-01-20' };
      r.episodes!.push({ id: 'ep2', status: 'active', acceptedOn: '2025-04-01' });
      r.encounters!.push({ id: 'enc-ep2', kind: 'contact', status: 'finished', start: '2025-04-10', practitioner: 'cc', episode: 'ep2' });
    });
    expect(findings(two, LPT, I3).map((f) => [f.location, f.result])).toEqual([
      ['episodes[0].consentToCare', 'pass'],
      ['episodes[1]', 'fail'],
    ]);
    expect(
      results(
        variant(() => {}),
        LPT,
        I3,
        '2025-01-31',
      ),
    ).toEqual(['not-applicable']);
    expect(
      findings(
        variant(() => {}),
        ELFT,
        I3,
      ),
    ).toEqual([]);
    expect(
      findings(
        variant(() => {}),
        WALES,
        I3,
      ),
    ).toEqual([]);
  });
});

describe('ELFT-I5: the need for advocacy considered at each assessment', () => {
  const I5 = 'ELFT-I5/advocacy-considered';
  const assessed = (...considered: (boolean | undefined)[]) =>
    variant((r) => {
      const base = r.assessments![0]!;
      r.assessments = considered.map((c, i) => ({ ...structuredClone(base), id: `as${i}`, ...(c === undefined ? {} : { advocacyConsidered: c }) }));
    });

  it('considered passes, not considered fails, each at its own assessment', () => {
    expect(findings(assessed(true, false), ELFT, I5).map((f) => [f.location, f.result])).toEqual([
      ['assessments[0].advocacyConsidered', 'pass'],
      ['assessments[1].advocacyConsidered', 'fail'],
    ]);
  });
  it('not recorded cannot be evaluated; an assessment after the date of evaluation is not judged; not a rule of LPT or Wales', () => {
    expect(findings(assessed(undefined), ELFT, I5)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['assessments[0].advocacyConsidered'] });
    expect(results(assessed(true), ELFT, I5, '2025-01-14')).toEqual(['not-applicable']);
    expect(findings(assessed(false), LPT, I5)).toEqual([]);
    expect(findings(assessed(false), WALES, I5)).toEqual([]);
  });
});

describe('ELFT-M1: the plan makes clear which of its services are section 117 aftercare', () => {
  const M1 = 'ELFT-M1/section-117-parts-marked';
  // The plan was made on 1 February 2025; the detention began on `from`.
  const detained = (from: string, section: 's2' | 's3', change: (plan: NonNullable<CtpRecord['plans']>[number]) => void = () => {}) =>
    variant((r) => {
      r.episodes![0]!.inpatientStays = [{ id: 'stay', admittedOn: from, dischargedOn: '2025-03-01', detentions: [{ section, start: from }] }];
      change(r.plans![0]!);
    });
  const markFirstAction = (section117: boolean) => (plan: NonNullable<CtpRecord['plans']>[number]) => {
    plan.outcomes![0]!.actions![0]!.section117 = section117;
  };

  it('a plan that says of a service whether it is section 117 aftercare passes, either way', () => {
    expect(results(detained('2025-01-10', 's3', markFirstAction(true)), ELFT, M1)).toEqual(['pass']);
    expect(results(detained('2025-01-10', 's3', markFirstAction(false)), ELFT, M1)).toEqual(['pass']);
    expect(
      results(
        detained('2025-01-10', 's3', (p) => (p.actions = [{ id: 'x', description: 'Supported housing', section117: true }])),
        ELFT,
        M1,
      ),
    ).toEqual(['pass']);
  });
  it('a plan made after the detention that says nothing of it fails as an error, at the plan version', () => {
    expect(findings(detained('2025-01-10', 's3'), ELFT, M1)[0]).toMatchObject({ result: 'fail', location: 'plans[0]', severity: 'error' });
    expect(results(detained('2025-02-01', 's3'), ELFT, M1)).toEqual(['fail']);
  });
  it('does not judge a plan made before the detention, a section 2 detention, or another pack', () => {
    expect(results(detained('2025-02-02', 's3'), ELFT, M1)).toEqual(['not-applicable']);
    expect(results(detained('2025-01-10', 's2'), ELFT, M1)).toEqual(['not-applicable']);
    expect(findings(detained('2025-01-10', 's3'), LPT, M1)).toEqual([]);
  });
});
