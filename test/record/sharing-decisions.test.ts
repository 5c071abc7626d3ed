/**
 * The person's sharing decisions (patient.sharingDecisions): the exact shape the sync's consent
 * gate reads, ODS codes as NHS ODS writes them, a decline recordable whatever else the record
 * says, and an exact repeat refused with a message that names where.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/errors.js';
import { checkIntegrity } from '../../src/record/integrity.js';
import { parseRecord } from '../../src/record/parse-record.js';
import type { SharingDecision } from '../../src/record/record.schema.js';
import { minimalRecord } from '../helpers/minimal-record.js';

const decision = (over: Partial<SharingDecision> = {}): SharingDecision => ({
  recipient: { kind: 'gp-practice', odsCode: 'W97001' },
  decision: 'declined',
  recordedOn: '2025-03-01',
  ...over,
});

function withDecisions(decisions: unknown[]) {
  const record = minimalRecord() as unknown as { patient: Record<string, unknown> };
  record.patient.sharingDecisions = decisions;
  return record;
}

function issuesOf(input: unknown) {
  try {
    parseRecord(input, 'fixture.json');
  } catch (error) {
    if (error instanceof InputError) return error.issues;
    throw error;
  }
  throw new Error('expected parseRecord to refuse the record');
}

describe('patient.sharingDecisions', () => {
  it('holds one decision per recipient, of every kind, as given', () => {
    const decisions = [
      decision(),
      decision({ recipient: { kind: 'health-board', odsCode: '7A1' }, decision: 'agreed' }),
      decision({ recipient: { kind: 'organisation', odsCode: 'RQ3' }, decision: 'agreed', recordedOn: '2024-12-31' }),
    ];
    expect(parseRecord(withDecisions(decisions), 'fixture.json').patient?.sharingDecisions).toEqual(decisions);
  });

  it('keeps a decline whatever else the record says: beside agreement to sharing in general, and beside an agreement of the same day', () => {
    const record = withDecisions([decision({ decision: 'agreed' }), decision({ decision: 'declined' })]);
    record.patient.informationSharing = { status: 'agreed', recordedOn: '2025-03-01' };
    const parsed = parseRecord(record, 'fixture.json');
    expect(parsed.patient?.sharingDecisions?.map((d) => d.decision)).toEqual(['agreed', 'declined']);
    expect(parsed.patient?.informationSharing?.status).toBe('agreed');
    // A recipient need not be one of the record's organisations: the decision is the person's, not the source's list.
    expect(checkIntegrity(parsed)).toEqual([]);
  });

  it.each([
    ['lower-case letters', 'w97001'],
    ['too short', 'W9'],
    ['too long', 'W970011'],
    ['a space', 'W97 01'],
    ['punctuation', 'W97-01'],
  ])('refuses an ODS code with %s, naming the field', (_name, odsCode) => {
    const issues = issuesOf(withDecisions([decision({ recipient: { kind: 'gp-practice', odsCode } })]));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.expression).toEqual(['patient.sharingDecisions[0].recipient.odsCode']);
    expect(issues[0]!.diagnostics).toMatch(/ODS code/);
  });

  it('refuses a recipient kind, a decision or a date outside the vocabulary', () => {
    const bad = [
      { ...decision(), recipient: { kind: 'pharmacy', odsCode: 'W97001' } },
      { ...decision(), decision: 'undecided' },
      { ...decision(), recordedOn: '01/03/2025' },
      { ...decision(), recipient: { kind: 'gp-practice', odsCode: 'W97001', name: 'x' } },
    ];
    const paths = bad.map((d) => issuesOf(withDecisions([d])).flatMap((i) => i.expression ?? []));
    expect(paths).toEqual([
      ['patient.sharingDecisions[0].recipient.kind'],
      ['patient.sharingDecisions[0].decision'],
      ['patient.sharingDecisions[0].recordedOn'],
      ['patient.sharingDecisions[0].recipient'],
    ]);
  });

  it('refuses an empty list and an exact repeat (same recipient, date and decision), naming the repeat', () => {
    expect(issuesOf(withDecisions([])).flatMap((i) => i.expression ?? [])).toEqual(['patient.sharingDecisions']);
    const issues = issuesOf(withDecisions([decision(), decision({ decision: 'agreed' }), decision()]));
    expect(issues.map((i) => [i.expression, i.diagnostics])).toEqual([[['patient.sharingDecisions[2]'], expect.stringMatching(/repeats an earlier decision/)]]);
  });
});
