import { describe, expect, it } from 'vitest';
import { checkIntegrity } from '../../src/record/integrity.js';
import { type CtpRecord, recordSchema } from '../../src/record/record.schema.js';
import { compliantRecord } from '../compliance/helpers.js';

const withEvidence = (change: (r: CtpRecord) => void): CtpRecord => {
  const r = structuredClone(compliantRecord());
  r.incidents = [{ id: 'inc-1', date: '2025-03-01T22:10:00Z', kind: 'self-harm', reportedOn: { system: 'datix', reference: 'DX1001' } }];
  r.riskAssessments = [{ id: 'ra-1', date: '2025-03-02', reason: 'incident', reviewer: r.practitioners![0]!.id, incident: 'inc-1' }];
  r.flags = [{ id: 'fl-1', kind: 'high-risk', start: '2025-03-01' }];
  change(r);
  return r;
};
const problems = (r: CtpRecord) => checkIntegrity(r).map((i) => i.expression?.[0]);

describe('the English evidence in the record', () => {
  it('is a valid record whose references resolve', () => {
    const r = withEvidence(() => {});
    expect(recordSchema.safeParse(r).success).toBe(true);
    expect(problems(r)).toEqual([]);
  });

  it('names a risk assessment prompted by an incident the record does not hold, and an unknown reviewer', () => {
    const r = withEvidence((x) => {
      x.riskAssessments![0]!.incident = 'inc-9';
      x.riskAssessments![0]!.reviewer = 'nobody';
    });
    expect(problems(r)).toEqual(['riskAssessments[0].reviewer', 'riskAssessments[0].incident']);
  });

  it('names repeated ids, an alert ending before it starts and an unknown meeting participant', () => {
    const r = withEvidence((x) => {
      x.flags!.push({ id: 'fl-1', kind: 'safeguarding-child', start: '2025-04-01', end: '2025-03-01' });
      x.encounters![0]!.participants = [{ role: 'psychiatrist', practitioner: 'nobody', attended: true }];
    });
    expect(problems(r).sort()).toEqual(['encounters[0].participants[0].practitioner', 'flags[1].end', 'flags[1].id']);
  });

  it('holds what a source holds that pont has no code for as "other", and refuses a participant who is two people', () => {
    const r = withEvidence((x) => (x.incidents![0]!.kind = 'other'));
    expect(recordSchema.safeParse(r).success).toBe(true);
    const two = withEvidence((x) => (x.encounters![0]!.participants = [{ role: 'carer', practitioner: 'a', relatedPerson: 'b' }]));
    expect(recordSchema.safeParse(two).success).toBe(false);
  });

  it('takes a related person’s date of birth as a full date, a year and month, or a year', () => {
    for (const [dob, ok] of [
      ['2015-06-01', true],
      ['2015-06', true],
      ['2015', true],
      ['01/06/2015', false],
    ] as const) {
      const r = withEvidence((x) => (x.relatedPeople![0]!.dateOfBirth = dob));
      expect(recordSchema.safeParse(r).success, dob).toBe(ok);
    }
  });
});
