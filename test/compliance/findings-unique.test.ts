/**
 * Findings a coordinator can act on (issue 11, point 4): under every pack, no two findings share
 * rule, check, location and subject, and every message reads as plain English, naming people and
 * items by role and place in the record, never by a code. Over every example, generated histories
 * and generated records.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/compliance/finding.js';
import { parseRecord } from '../../src/record/parse-record.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import {
  careTeamRoles,
  coordinatorProfessions,
  copyRecipientRoles,
  copyStatuses,
  deliveryMethods,
  organisationKinds,
  part3Requesters,
  relatedPersonRoles,
  reviewRequesters,
} from '../../src/record/vocabulary.js';
import { ctpRecord } from '../helpers/arbitraries.js';
import { loadCtpExamples } from '../helpers/examples.js';
import { generateHistories } from '../helpers/generate-histories.js';
import { historyArbitrary } from '../timeline/arbitraries.js';
import { engine } from './helpers.js';

const keyOf = (f: Finding) => `${f.ruleId}/${f.check} at ${f.location ?? '(record)'} about ${f.subject ?? '(the same)'}`;

/** The keys found more than once, under any pack. */
function repeated(record: CtpRecord, asOf: string): string[] {
  const out: string[] = [];
  for (const pack of engine().packs) {
    const seen = new Set<string>();
    for (const finding of engine().evaluate(record, { asOf, pack: pack.id }).findings) {
      const key = `${pack.id} ${keyOf(finding)}`;
      if (seen.has(key)) out.push(key);
      seen.add(key);
    }
  }
  return out;
}

/** Codes with a hyphen that name a role, profession, means or status: prose says them in words. */
const CODE_WORDS = [
  ...relatedPersonRoles,
  ...copyRecipientRoles,
  ...careTeamRoles,
  ...coordinatorProfessions,
  ...deliveryMethods,
  ...copyStatuses,
  ...organisationKinds,
  ...part3Requesters,
  ...reviewRequesters,
].filter((code) => code.includes('-'));
/** A path into the record, e.g. plans[0].copies[2].date or patient.usualAddress: fine in prose, it names a place. */
const RECORD_PATH = /\b[a-z][A-Za-z]*(\[\d+\])?(\.[a-z][A-Za-z]*(\[\d+\])?)+|\b[a-z][A-Za-z]*\[\d+\]/g;

function wordingProblems(record: CtpRecord, asOf: string): string[] {
  const out: string[] = [];
  for (const pack of engine().packs) {
    for (const f of engine().evaluate(record, { asOf, pack: pack.id }).findings) {
      if (f.result === 'pass' || f.result === 'not-applicable') continue;
      const prose = f.message.replace(RECORD_PATH, '');
      const code = CODE_WORDS.find((c) => new RegExp(`(^|[^A-Za-z-])${c}($|[^A-Za-z-])`).test(prose));
      if (code) out.push(`${keyOf(f)}: "${code}" in "${f.message}"`);
      if (/\bundefined\b|\bnull\b|\[object/.test(f.message)) out.push(`${keyOf(f)}: a missing value in "${f.message}"`);
      if (!/^[A-Z]/.test(f.message) || !/[.)]$/.test(f.message)) out.push(`${keyOf(f)}: not a sentence: "${f.message}"`);
    }
  }
  return out;
}

const examples = loadCtpExamples().map((e) => ({ name: e.name, record: parseRecord(e.json, e.path) }));
const histories = generateHistories(40, { seed: 11 });

describe('the wording check can fail', () => {
  it('finds a hyphenated code in prose, and passes record paths', () => {
    const prose = 'No copy has been provided to the parental-responsibility.'.replace(RECORD_PATH, '');
    expect(CODE_WORDS.some((c) => prose.includes(c))).toBe(true);
    expect('No copy of plan version 1 (plans[0]) to the carer (relatedPeople[1]).'.replace(RECORD_PATH, '')).not.toContain('[');
  });
});

describe.each([
  ['every finding is unique per rule, check, location and subject', repeated],
  ['every message a person acts on reads as plain English: no codes, no missing values, whole sentences', wordingProblems],
])('%s', (_law, problems) => {
  it.each(examples)('$name, on its extraction date and two years on, under every pack', ({ record }) => {
    expect(problems(record, record.source.extractedAt.slice(0, 10))).toEqual([]);
    expect(problems(record, '2027-12-31')).toEqual([]);
  });

  it('generated multi-year histories, under every pack', () => {
    for (const record of histories) expect(problems(record, '2025-12-31')).toEqual([]);
  });

  it('generated histories with twists and Part 3 requests, at any evaluation date', () => {
    fc.assert(
      fc.property(historyArbitrary, ({ record, asOf }) => {
        expect(problems(record, asOf)).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });

  it('generated variations of the examples (repeated items included)', () => {
    fc.assert(
      fc.property(ctpRecord(), (record) => {
        expect(problems(record, '2025-12-31')).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });
});
