import { describe, expect, it } from 'vitest';
import { evaluateCaseloads } from '../../src/compliance/caseload.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { testNhsNumber } from '../helpers/generate.js';
import { compliantRecord, engine, resultsOf, variant } from './helpers.js';

const LPT = 'leicestershire-lpt';
const ELFT = 'luton-bedfordshire-elft';
const WALES = 'wales-measure';
const ASOF_LPT = '2025-06-01';

/** Findings of one check under a pack, by `check` name alone. */
const result = (record: CtpRecord, pack: string, check: string, asOf: string) =>
  engine()
    .evaluate(record, { asOf, pack })
    .findings.filter((f) => f.check === check)
    .map((f) => f.result);

describe('the same record under three packs', () => {
  it('a plan reviewed 8 months after it was made: fine in Wales and at LPT (yearly), late for ELFT (first review within 3 months)', () => {
    const r = variant((x) => (x.reviews = [{ id: 'rv', plan: 'plan', trigger: 'scheduled', heldOn: '2025-10-01', summary: 'Review' }]));
    expect(result(r, WALES, 'reviewed-every-12-months', '2025-11-01')).toEqual(['pass']);
    expect(result(r, LPT, 'reviewed-at-least-annually', '2025-11-01')).toEqual(['pass']);
    expect(result(r, ELFT, 'cpa-review-6-monthly', '2025-11-01')).toEqual(['fail']);
  });

  it('an assertive outreach team at LPT reviews every 6 months', () => {
    const r = variant((x) => {
      x.episodes![0]!.team = 'City Assertive Outreach Team';
      x.reviews = [{ id: 'rv', plan: 'plan', trigger: 'scheduled', heldOn: '2025-10-01', summary: 'Review' }];
    });
    expect(result(r, LPT, 'reviewed-at-least-annually', '2025-11-01')).toEqual(['fail']);
  });

  it('contact 7 days after a Friday hospital discharge: in time in Wales (a week) and ELFT (5 working days), late at LPT (72 hours)', () => {
    const r = variant((x) => {
      x.episodes![0]!.inpatientStays = [{ id: 's', admittedOn: '2025-03-03', dischargedOn: '2025-03-14' }];
      x.encounters!.push({ id: 'fu', kind: 'follow-up', status: 'finished', start: '2025-03-21', mode: 'face-to-face' });
    });
    expect(result(r, WALES, 'contact-within-a-week', '2025-04-01')).toEqual(['pass']);
    expect(result(r, ELFT, 'face-to-face-within-5-working-days-of-discharge', '2025-04-01')).toEqual(['pass']);
    expect(result(r, LPT, 'follow-up-within-72-hours', '2025-04-01')).toEqual(['fail']);
  });

  it('ELFT counts face-to-face contacts only, and expects one every month', () => {
    const r = variant((x) => (x.encounters = [{ id: 'e', status: 'finished', start: '2025-02-01', mode: 'telephone' }]));
    expect(result(r, ELFT, 'face-to-face-monthly', '2025-03-01')).toEqual(['fail']);
    expect(result(compliantRecord(), ELFT, 'face-to-face-monthly', '2025-03-01')).toEqual(['pass']);
    expect(result(compliantRecord(), ELFT, 'face-to-face-monthly', '2025-03-02')).toEqual(['fail']);
  });

  it('the GP discharge letter: 5 working days for ELFT, 10 for LPT', () => {
    const r = variant((x) => {
      x.episodes![0]!.status = 'finished';
      x.episodes![0]!.discharge = {
        date: '2025-05-02',
        kind: 'full',
        reason: 'R',
        furtherSupport: 'S',
        writtenInformationGivenOn: '2025-05-12',
        part3Explained: true,
        copiedToGp: true,
      };
    });
    // Discharged Friday 2 May 2025; Monday 5 May is a bank holiday, so the 5th working day is Monday 12 May.
    expect(result(r, ELFT, 'gp-letter-within-5-working-days', '2025-06-01')).toEqual(['pass']);
    const late = variant((x) => (x.episodes![0]!.discharge!.writtenInformationGivenOn = '2025-05-13'), r);
    expect(result(late, ELFT, 'gp-letter-within-5-working-days', '2025-06-01')).toEqual(['fail']);
    expect(result(late, LPT, 'discharge-letter-within-10-working-days', '2025-06-01')).toEqual(['pass']);
    expect(result(late, WALES, 'discharge-information-to-gp', '2025-06-01')).toEqual(['pass']);
  });

  it('LPT: seen within 14 days of allocation', () => {
    const seen = (start: string) => variant((x) => (x.encounters = [{ id: 'e', status: 'finished', start, mode: 'face-to-face' }]));
    expect(result(seen('2025-01-24'), LPT, 'seen-within-14-days-of-allocation', ASOF_LPT)).toEqual(['pass']);
    expect(result(seen('2025-01-25'), LPT, 'seen-within-14-days-of-allocation', ASOF_LPT)).toEqual(['fail']);
  });
});

describe('the rest of the English checks', () => {
  it('LPT: a key worker within 4 weeks of the last one leaving; a care plan within 4 weeks of acceptance', () => {
    const left = variant((x) => Object.assign(x.coordinatorAppointments![0]!, { end: '2025-05-01', endReason: 'terminated' }));
    expect(result(left, LPT, 'key-worker-in-place', '2025-05-29')).toEqual(['not-applicable']);
    expect(result(left, LPT, 'key-worker-in-place', '2025-05-30')).toEqual(['fail']);
    // Accepted 2025-01-06; plan made 2025-02-01 (26 days).
    expect(result(compliantRecord(), LPT, 'care-plan-within-4-weeks', ASOF_LPT)).toEqual(['pass']);
    expect(
      result(
        variant((x) => (x.plans![0]!.madeOn = '2025-02-04')),
        LPT,
        'care-plan-within-4-weeks',
        ASOF_LPT,
      ),
    ).toEqual(['fail']);
  });
  it('LPT: review dates in the plan, sharing within 14 days, a relapse plan', () => {
    expect(result(compliantRecord(), LPT, 'review-date-in-plan', ASOF_LPT)).toEqual(['pass']);
    expect(
      result(
        variant((x) => (x.plans![0]!.reviewBy = { notRecorded: 'unknown' })),
        LPT,
        'review-date-in-plan',
        ASOF_LPT,
      ),
    ).toEqual(['fail']);
    expect(result(compliantRecord(), LPT, 'shared-within-14-days', ASOF_LPT)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(
      result(
        variant((x) => (x.plans![0]!.copies![2]!.date = '2025-02-16')),
        LPT,
        'shared-within-14-days',
        ASOF_LPT,
      )[2],
    ).toBe('fail');
    expect(result(compliantRecord(), LPT, 'relapse-plan', ASOF_LPT)).toEqual(['pass']);
    expect(
      result(
        variant((x) => delete x.plans![0]!.crisisPlan),
        LPT,
        'relapse-plan',
        ASOF_LPT,
      ),
    ).toEqual(['fail']);
  });
  it('ELFT: CPA documentation within 21 days of allocation; a copy within 5 days of the CPA review', () => {
    // Coordinator allocated 2025-01-10; plan made 2025-02-01 (22 days).
    expect(result(compliantRecord(), ELFT, 'cpa-documentation-within-21-days', ASOF_LPT)).toEqual(['fail']);
    expect(
      result(
        variant((x) => (x.plans![0]!.madeOn = '2025-01-31')),
        ELFT,
        'cpa-documentation-within-21-days',
        ASOF_LPT,
      ),
    ).toEqual(['pass']);
    const reviewed = (copyDate: string) =>
      variant((x) => {
        x.reviews = [{ id: 'rv', plan: 'plan', planVersion: 1, trigger: 'scheduled', heldOn: '2025-05-01', summary: 'S' }];
        x.plans![0]!.status = 'superseded';
        const v2 = {
          ...structuredClone(x.plans![0]!),
          id: 'plan-v2',
          version: 2,
          status: 'active' as const,
          changeType: 'review-revision' as const,
          review: 'rv',
          madeOn: '2025-05-01',
          completedOn: '2025-05-01',
          reviewBy: '2026-05-01',
        };
        for (const c of v2.copies!) c.date = copyDate;
        x.plans!.push(v2);
      });
    expect(result(reviewed('2025-05-06'), ELFT, 'copy-within-5-days-of-review', ASOF_LPT)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(result(reviewed('2025-05-07'), ELFT, 'copy-within-5-days-of-review', ASOF_LPT)).toEqual(['fail', 'fail', 'fail', 'fail']);
  });
});

describe('pack selection', () => {
  it('a record managed by an English trust selects that trust’s pack by ODS code', () => {
    const lpt = variant((x) => {
      x.organisations!.push({ id: 'trust', kind: 'nhs-trust', name: 'Test Partnership NHS Trust', odsCode: 'RT5' });
      x.episodes![0]!.responsibleBodies = ['trust'];
      x.coordinatorAppointments![0]!.appointingBody = 'trust';
    });
    expect(engine().selectPack(lpt).id).toBe(LPT);
    expect(engine().evaluate(lpt, { asOf: ASOF_LPT }).pack.id).toBe(LPT);
    expect(engine().evaluate(lpt, { asOf: ASOF_LPT, pack: WALES }).pack.id).toBe(WALES);
    expect(() => engine().evaluate(lpt, { asOf: ASOF_LPT, pack: 'nowhere' })).toThrow(
      /unknown rule pack "nowhere"; known packs: leicestershire-lpt, luton-bedfordshire-elft, wales-measure/,
    );
  });
  it('the Welsh statutory rules are not in the English packs', () => {
    expect(() => resultsOf(compliantRecord(), 'CoP-P2-26/opening-statement', ASOF_LPT, LPT)).toThrow(/no findings/);
  });
});

describe('caseloads across records', () => {
  const person = (n: number, team = 'Test CMHT') =>
    variant((x) => {
      x.source.recordId = `rec-${n}`;
      x.patient!.nhsNumber = testNhsNumber(n);
      x.episodes![0]!.team = team;
    });
  it('fails a coordinator holding more than the limit, counted once per person across records', () => {
    const records = Array.from({ length: 31 }, (_, i) => person(i));
    const [finding] = evaluateCaseloads(records, engine().pack(LPT), ASOF_LPT);
    expect(finding).toMatchObject({
      ruleId: 'LPT-C1',
      result: 'fail',
      severity: 'warning',
      location: 'coordinator nmc:EX000001',
      message: 'Holds 31 people; the limit is 30.',
    });
    expect(evaluateCaseloads(records.slice(0, 30), engine().pack(LPT), ASOF_LPT)[0]!.result).toBe('pass');
    expect(evaluateCaseloads([...records.slice(0, 30), records[0]!], engine().pack(LPT), ASOF_LPT)[0]!.result).toBe('pass');
    // The same person (NHS number) exported by another system is still one person on the caseload.
    const elsewhere = structuredClone(records[0]!);
    elsewhere.source.system = 'another-epr';
    elsewhere.source.recordId = 'other-1';
    expect(evaluateCaseloads([...records.slice(0, 30), elsewhere], engine().pack(LPT), ASOF_LPT)[0]!.result).toBe('pass');
  });
  it('applies the assertive outreach limit of 12, and nothing under the Welsh pack', () => {
    const records = Array.from({ length: 13 }, (_, i) => person(i, 'Assertive Outreach'));
    expect(evaluateCaseloads(records, engine().pack(LPT), ASOF_LPT)[0]).toMatchObject({ result: 'fail', message: 'Holds 13 people; the limit is 12.' });
    expect(evaluateCaseloads(records, engine().pack(WALES), ASOF_LPT)).toEqual([]);
  });
});
