/**
 * The record's plans of a named kind and letters (English policies): valid when their references
 * resolve, and each broken reference or repeated id named by where it is.
 */
import { describe, expect, it } from 'vitest';
import { checkIntegrity } from '../../src/record/integrity.js';
import { type CtpRecord, recordSchema } from '../../src/record/record.schema.js';
import { compliantRecord } from '../compliance/helpers.js';

const withEvidence = (change: (r: CtpRecord) => void): CtpRecord => {
  const r = structuredClone(compliantRecord());
  r.otherPlans = [{ id: 'sp-1', kind: 'safety-plan', episode: 'ep', author: 'cc', madeOn: '2025-01-20', givenTo: [{ role: 'patient', on: '2025-01-21' }] }];
  r.letters = [{ id: 'letter-1', kind: 'assessment-outcome', sentOn: '2025-02-03', to: ['patient', 'gp'], encounter: 'enc' }];
  change(r);
  return r;
};
const problems = (r: CtpRecord) => checkIntegrity(r).map((i) => i.expression?.[0]);

describe('plans of a named kind and letters in the record', () => {
  it('are valid when their references resolve', () => {
    const r = withEvidence(() => {});
    expect(recordSchema.safeParse(r).success).toBe(true);
    expect(problems(r)).toEqual([]);
  });

  it('name an unknown episode, author, contact or review', () => {
    const r = withEvidence((x) => {
      x.otherPlans![0]!.episode = 'ep-9';
      x.otherPlans![0]!.author = 'nobody';
      x.letters![0]!.encounter = 'enc-9';
      x.letters![0]!.review = 'rv-9';
    });
    expect(problems(r).sort()).toEqual(['letters[0].encounter', 'letters[0].review', 'otherPlans[0].author', 'otherPlans[0].episode']);
  });

  it('name a plan that repeats the id of another or of a care plan version (both are CarePlans in FHIR), and a repeated letter id', () => {
    const r = withEvidence((x) => {
      x.otherPlans!.push({ id: 'sp-1', kind: 'leave-plan' }, { id: 'plan-v1', kind: 'leave-plan' });
      x.letters!.push({ id: 'letter-1', kind: 'medical', sentOn: '2025-02-04' });
    });
    expect(problems(r).sort()).toEqual(['letters[1].id', 'otherPlans[1].id', 'otherPlans[2].id']);
  });

  it('refuse an empty list and a kind pont has no code for (a source says "other")', () => {
    expect(recordSchema.safeParse(withEvidence((x) => void (x.otherPlans![0]!.givenTo = [] as never))).success).toBe(false);
    expect(recordSchema.safeParse(withEvidence((x) => void (x.letters![0]!.kind = 'postcard' as never))).success).toBe(false);
    expect(recordSchema.safeParse(withEvidence((x) => void (x.letters![0]!.kind = 'other'))).success).toBe(true);
  });
});
