import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/errors.js';
import { parseRecord, toExpression } from '../../src/record/parse-record.js';
import { minimalRecord } from '../helpers/minimal-record.js';

// biome-ignore lint/suspicious/noExplicitAny: raw JSON, changed in ways the typed record cannot express
type RawJson = Record<string, any>;

/** Runs parseRecord on input expected to fail and returns the error. */
function failure(input: unknown, origin = 'fixture.json'): InputError {
  try {
    parseRecord(input, origin);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected parseRecord to throw');
}

/** A minimal record as plain JSON, to be broken in ways the typed record cannot express. */
function rawRecord(): RawJson {
  return JSON.parse(JSON.stringify(minimalRecord())) as RawJson;
}

function only(error: InputError): OperationOutcomeIssue {
  expect(error.issues).toHaveLength(1);
  return error.issues[0] as OperationOutcomeIssue;
}

/** Asserts that a value occurs nowhere in the error: not in the message, not in any issue. */
function expectValueAbsent(error: InputError, value: string): void {
  expect(error.message).not.toContain(value);
  expect(JSON.stringify(error.issues)).not.toContain(value);
}

describe('parseRecord', () => {
  it('returns the record when it is valid', () => {
    const record = parseRecord(minimalRecord(), 'fixture.json');
    expect(record.source.recordId).toBe('rec-1');
  });

  it('trims text fields', () => {
    const raw = rawRecord();
    raw.organisations[0].name = '  Cardiff and Vale University Health Board  ';
    expect(parseRecord(raw, 'fixture.json').organisations?.[0]?.name).toBe('Cardiff and Vale University Health Board');
  });

  it('throws InputError INPUT_INVALID at the input stage, naming the origin and the count', () => {
    const raw = rawRecord();
    raw.patient.gender = 'Secret-Gender-Value';
    const error = failure(raw, 'examples/ctp/broken.json');
    expect(error.code).toBe('INPUT_INVALID');
    expect(error.stage).toBe('input');
    expect(error.message).toBe('examples/ctp/broken.json: not a valid CTP record (1 problem)');
  });

  describe('schema problems', () => {
    it('wrong type → structure issue at the exact path, without the value', () => {
      const raw = rawRecord();
      raw.plans[0].version = 'Secret-Version-Text';
      const error = failure(raw);
      expect(only(error)).toEqual({
        severity: 'error',
        code: 'structure',
        expression: ['plans[0].version'],
        diagnostics: 'plans[0].version: must be a number, not a string',
      });
      expectValueAbsent(error, 'Secret-Version-Text');
    });

    it('wrong type where a value or { notRecorded } is allowed', () => {
      const raw = rawRecord();
      raw.patient.dateOfBirth = 19900101;
      const issue = only(failure(raw));
      expect(issue.code).toBe('structure');
      expect(issue.expression).toEqual(['patient.dateOfBirth']);
      expect(issue.diagnostics).toBe('patient.dateOfBirth: must be a string or an object, not a whole number');
      expect(issue.diagnostics).not.toContain('19900101');
    });

    it('missing required field → required issue', () => {
      const raw = rawRecord();
      delete raw.plans[0].planId;
      expect(only(failure(raw))).toEqual({
        severity: 'error',
        code: 'required',
        expression: ['plans[0].planId'],
        diagnostics: 'plans[0].planId: is required',
      });
    });

    it('missing required field inside an array item', () => {
      const raw = rawRecord();
      delete raw.plans[0].outcomes[0].actions[0].id;
      expect(only(failure(raw))).toMatchObject({ code: 'required', expression: ['plans[0].outcomes[0].actions[0].id'] });
    });

    it('missing required top-level section', () => {
      const raw = rawRecord();
      delete raw.source;
      expect(only(failure(raw))).toEqual({ severity: 'error', code: 'required', expression: ['source'], diagnostics: 'source: is required' });
    });

    it('missing required nested field', () => {
      const raw = rawRecord();
      delete raw.source.extractedAt;
      expect(only(failure(raw))).toMatchObject({ code: 'required', expression: ['source.extractedAt'] });
    });

    it('bad enum → value issue listing the allowed codes, not the value', () => {
      const raw = rawRecord();
      raw.plans[0].outcomes[0].areas[0].area = 'Secret-Area-Value';
      const error = failure(raw);
      const issue = only(error);
      expect(issue.code).toBe('value');
      expect(issue.expression).toEqual(['plans[0].outcomes[0].areas[0].area']);
      expect(issue.diagnostics).toMatch(/^plans\[0\]\.outcomes\[0\]\.areas\[0\]\.area: must be one of: accommodation, /);
      expectValueAbsent(error, 'Secret-Area-Value');
    });

    it('bad notRecorded reason → issue inside the notRecorded object', () => {
      const raw = rawRecord();
      raw.patient.dateOfBirth = { notRecorded: 'Secret-Reason' };
      const error = failure(raw);
      expect(only(error)).toMatchObject({ code: 'value', expression: ['patient.dateOfBirth.notRecorded'] });
      expectValueAbsent(error, 'Secret-Reason');
    });

    it('unknown field (strict objects) → structure issue at its object, naming the key by position, never by its text', () => {
      const raw = rawRecord();
      raw.patient.favouriteColour = 'Secret-Colour';
      raw.plans[0].outcomes[0].actions[0].priority = 'Secret-Priority';
      const error = failure(raw);
      const patientKeys = Object.keys(raw.patient);
      expect(error.issues).toEqual([
        {
          severity: 'error',
          code: 'structure',
          expression: ['patient'],
          diagnostics: `patient: key ${patientKeys.indexOf('favouriteColour') + 1} of ${patientKeys.length} is not a field of the CTP record schema`,
        },
        expect.objectContaining({ code: 'structure', expression: ['plans[0].outcomes[0].actions[0]'] }),
      ]);
      for (const secret of ['Secret-Colour', 'Secret-Priority', 'favouriteColour', 'priority']) expectValueAbsent(error, secret);
    });

    it('an unknown key is not echoed, whether or not it looks like a field name', () => {
      for (const key of ['Jane Secret-Person', 'givenJaneSecret', 'JaneSecret']) {
        const raw = rawRecord();
        raw.patient[key] = true;
        const error = failure(raw);
        expect(only(error).expression).toEqual(['patient']);
        expectValueAbsent(error, key);
        expectValueAbsent(error, 'JaneSecret');
      }
    });

    it('bad NHS number check digit → invariant issue without the number', () => {
      const raw = rawRecord();
      raw.patient.nhsNumber = '9993847128';
      const error = failure(raw);
      expect(only(error)).toEqual({
        severity: 'error',
        code: 'invariant',
        expression: ['patient.nhsNumber'],
        diagnostics: 'patient.nhsNumber: has an invalid check digit',
      });
      expectValueAbsent(error, '9993847128');
    });

    it('bad date format → value issue without the date', () => {
      const raw = rawRecord();
      raw.coordinatorAppointments[0].start = '2025-02-30';
      const error = failure(raw);
      expect(only(error)).toMatchObject({ code: 'value', expression: ['coordinatorAppointments[0].start'] });
      expect(only(error).diagnostics).toContain('YYYY-MM-DD');
      expectValueAbsent(error, '2025-02-30');
    });

    it('bad value where a value or { notRecorded } is allowed → the issue of the value option', () => {
      const raw = rawRecord();
      raw.patient.dateOfBirth = '1990-13-45';
      const error = failure(raw);
      expect(only(error)).toEqual({
        severity: 'error',
        code: 'value',
        expression: ['patient.dateOfBirth'],
        diagnostics: 'patient.dateOfBirth: must be a date in the form YYYY-MM-DD',
      });
      expectValueAbsent(error, '1990-13-45');
    });

    it('bad date-time → value issue without the value', () => {
      const raw = rawRecord();
      raw.encounters[0].start = 'Secret-When';
      const error = failure(raw);
      expect(only(error)).toMatchObject({ code: 'value', expression: ['encounters[0].start'] });
      expectValueAbsent(error, 'Secret-When');
    });

    it('empty list → value issue', () => {
      const raw = rawRecord();
      raw.plans[0].copies = [];
      expect(only(failure(raw))).toMatchObject({ code: 'value', expression: ['plans[0].copies'] });
    });

    it('refinement on an object → invariant issue at its path', () => {
      const raw = rawRecord();
      raw.plans[0].outcomes[0].areas[0] = { area: 'other', explanation: 'Secret-Explanation' };
      const error = failure(raw);
      expect(only(error)).toMatchObject({ code: 'invariant', expression: ['plans[0].outcomes[0].areas[0].otherArea'] });
      expectValueAbsent(error, 'Secret-Explanation');
    });

    it('empty text → value issue', () => {
      const raw = rawRecord();
      raw.plans[0].outcomes[0].description = '   ';
      expect(only(failure(raw))).toMatchObject({
        code: 'value',
        expression: ['plans[0].outcomes[0].description'],
        diagnostics: 'plans[0].outcomes[0].description: must not be empty',
      });
    });

    it('input that is not an object → one issue without an expression', () => {
      const error = failure('Secret-Whole-Input');
      expect(only(error)).toEqual({ severity: 'error', code: 'structure', diagnostics: 'The record must be an object, not a string' });
      expectValueAbsent(error, 'Secret-Whole-Input');
    });

    it('collects every problem, schema problems first, then integrity problems', () => {
      const raw = rawRecord();
      raw.schemaVersion = '2';
      raw.patient.gender = 'x';
      raw.plans[0].coordinatorAppointment = 'nope';
      const error = failure(raw);
      expect(error.issues.map((i) => i.expression?.[0])).toEqual(['schemaVersion', 'patient.gender', 'plans[0].coordinatorAppointment']);
      expect(error.message).toContain('(3 problems)');
    });
  });
});

describe('toExpression', () => {
  it('renders names with dots and indexes in brackets', () => {
    expect(toExpression(['plans', 0, 'outcomes', 1, 'areas', 0, 'area'])).toBe('plans[0].outcomes[1].areas[0].area');
    expect(toExpression([])).toBe('');
  });
});
