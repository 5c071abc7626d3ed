/**
 * Locations of a canonical record's problems in the input's terms: a record that is one of a
 * list (a JSON list, or NDJSON cut into records by the reader) is named by its JSON path in the
 * whole input (`$[1].plans[0].reviewBy`), at every stage, as the JSON reader names what it
 * finds; a record alone keeps its own paths. Locations in pont's output stay `Bundle.entry[…]`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Input, isReadable } from '../../src/app/inputs.js';
import { readInputs } from '../../src/cli/input-file.js';
import { ROOT, testRuntime } from '../helpers/runtime.js';

interface CtpLike {
  plans: { reviewBy?: string }[];
  patient: { nhsNumber?: string };
}

const adult = JSON.parse(readFileSync(join(ROOT, 'examples/ctp/adult-all-eight-areas.json'), 'utf8')) as CtpLike;
const badDate = structuredClone(adult);
badDate.plans[0]!.reviewBy = '2025-13-45';
const noNhsNumber = structuredClone(adult);
delete noNhsNumber.patient.nhsNumber;
const core = testRuntime();
const expressions = (issues: readonly { severity: string; expression?: string[] }[], severity: string) =>
  issues.filter((i) => i.severity === severity).flatMap((i) => i.expression ?? []);

describe('locations of a canonical record’s problems', () => {
  it('name a record of a JSON list by its place in the list, at reading, schema and context checks alike', () => {
    const results = core.convert([{ origin: 'list.json', source: 'ctp', text: JSON.stringify([adult, badDate, noNhsNumber]) }]);
    expect(results.map((r) => expressions(r.issues, 'error'))).toEqual([[], ['$[1].plans[0].reviewBy'], []]);
    expect(expressions(results[2]!.issues, 'warning')).toContain('$[2].patient.nhsNumber');
    expect(results[1]!.issues.find((i) => i.severity === 'error')!.diagnostics).toMatch(/^\$\[1\]\.plans\[0\]\.reviewBy: /);
  });

  it('name a record the reader cut out of a list by its position, and a record alone by its own paths', () => {
    const cut = core.convert([{ origin: 'list.json', source: 'ctp', text: JSON.stringify(badDate), position: 4 }]);
    expect(expressions(cut[0]!.issues, 'error')).toEqual(['$[4].plans[0].reviewBy']);
    const duplicate = JSON.stringify(adult).replace('"reviewBy":', '"reviewBy":"2020-01-01","reviewBy":');
    const read = core.convert([{ origin: 'list.json', source: 'ctp', text: duplicate, position: 4 }]);
    expect(expressions(read[0]!.issues, 'error')).toEqual(['$[4].plans[0]']);
    const alone = core.convert([{ origin: 'one.json', source: 'ctp', text: JSON.stringify(badDate) }]);
    expect(expressions(alone[0]!.issues, 'error')).toEqual(['plans[0].reviewBy']);
    expect(expressions(core.convert([{ origin: 'one.json', source: 'ctp', text: duplicate }])[0]!.issues, 'error')).toEqual(['$.plans[0]']);
  });
});

describe('reading a list of records that breaks part way', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pont-locations-'));
  async function inputs(name: string, text: string): Promise<Input[]> {
    const file = join(dir, name);
    writeFileSync(file, text);
    const out: Input[] = [];
    for await (const input of readInputs([file], { maxBytes: 1 << 20, known: ['ctp'], isKnownKey: core.isKnownKey })) out.push(input);
    return out;
  }
  const duplicate = JSON.stringify(adult).replace('"reviewBy":', '"reviewBy":"2020-01-01","reviewBy":');

  it('hands on the records before the error, and names the error by the record’s place, in NDJSON and in a JSON list alike', async () => {
    for (const [name, text] of [
      ['records.ndjson', [JSON.stringify(adult), duplicate, JSON.stringify(adult)].join('\n')],
      ['records.json', `[${[JSON.stringify(adult), duplicate, JSON.stringify(adult)].join(',\n')}]`],
    ] as const) {
      const read = await inputs(name, text);
      expect(
        read.map((i) => (isReadable(i) ? i.position : 'error')),
        name,
      ).toEqual([0, 'error']);
      const error = read[1]!;
      expect(isReadable(error) ? undefined : [error.position, error.issues.flatMap((i) => i.expression ?? [])], name).toEqual([1, ['$[1].plans[0]']]);
    }
  });
});

describe('locations of what a FHIR input’s record cannot hold', () => {
  it('name the element of the input the refused value came from, not the record’s path', () => {
    const patient = { resourceType: 'Patient', id: 'p', name: [{ family: 'Walk' }], birthDate: '1980' };
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:11111111-1111-4111-8111-111111111111', resource: patient }] };
    for (const [input, at] of [
      [bundle, 'Bundle.entry[0].resource.birthDate'],
      [patient, 'Patient.birthDate'],
    ] as const) {
      const [result] = core.convert([{ origin: 'in.json', source: 'fhir', text: JSON.stringify(input) }]);
      const errors = result!.issues.filter((i) => i.severity === 'error');
      expect(errors.map((i) => i.expression)).toEqual([[at]]);
      expect(errors[0]!.diagnostics).toMatch(new RegExp(`^${at.replace(/[.[\]]/g, '\\$&')}: `));
    }
  });
});
