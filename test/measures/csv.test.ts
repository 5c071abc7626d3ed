import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvField, genericCsv, percentage, statsWalesCsv } from '../../src/measures/csv.js';
import { ctpValid } from '../../src/measures/definitions/ctp-valid.js';
import { measures } from '../../src/measures/registry.js';
import { runMeasures } from '../../src/measures/run-measures.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { minimalRecord } from '../helpers/minimal-record.js';
import { deps } from './helpers.js';

function person(id: number, la: string | undefined, dob: string, valid: boolean): CtpRecord {
  const r = minimalRecord();
  r.source.recordId = `rec-${id}`;
  if (la === undefined) delete r.patient!.localAuthorityOfResidence;
  else r.patient!.localAuthorityOfResidence = la;
  r.patient!.dateOfBirth = dob;
  if (!valid) r.plans![0]!.reviewBy = '2025-02-28';
  return r;
}

const lines = (csv: string) => csv.trimEnd().split('\r\n');

describe('CSV', () => {
  it('quotes fields with commas, quotes or line breaks, and nothing else', () => {
    expect(csvField('Cardiff')).toBe('Cardiff');
    expect(csvField("Caerdydd a'r Fro")).toBe("Caerdydd a'r Fro");
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(12)).toBe('12');
    const awkward = ['a,b', 'say "hi"', 'two\r\nlines', 'plain'];
    expect(parse(`${awkward.map(csvField).join(',')}\r\n`)).toEqual([awkward]);
  });

  it('rounds percentages half up to one decimal and leaves them empty with no denominator', () => {
    expect(percentage(2, 3)).toBe('66.7');
    expect(percentage(1, 8)).toBe('12.5');
    expect(percentage(0, 5)).toBe('0.0');
    expect(percentage(0, 0)).toBe('');
  });

  it('writes the StatsWales Part 2 layout: every board × age group, unknown rows only when non-empty, target against 90%', () => {
    const people = [
      person(1, 'W06000015', '1980-01-01', true),
      person(2, 'W06000014', '1980-01-01', false),
      person(3, 'W06000015', '2010-06-01', true),
      person(4, undefined, '1980-01-01', true),
    ];
    const run = runMeasures(people, [ctpValid], { months: ['2025-03'], asOf: '2025-12-31' }, deps);
    const rows = lines(statsWalesCsv(ctpValid, run.tallies, run.window.months, deps.healthBoards));
    expect(rows[0]).toBe('period,health_board_code,health_board_name,age_group,patients_with_valid_ctp,patients_in_receipt_of_services,percentage,target_met');
    expect(rows).toHaveLength(1 + 7 * 2 + 2);
    expect(rows).toContain('2025-03,7A4,Cardiff and Vale University Health Board,18 and over,1,2,50.0,no');
    expect(rows).toContain('2025-03,7A4,Cardiff and Vale University Health Board,Under 18,1,1,100.0,yes');
    expect(rows).toContain('2025-03,7A7,Powys Teaching Health Board,Under 18,0,0,,');
    expect(rows.filter((r) => r.includes(',unknown,'))).toEqual([
      '2025-03,unknown,Resident health board unknown (no Welsh local authority of residence recorded),Under 18,0,0,,',
      '2025-03,unknown,Resident health board unknown (no Welsh local authority of residence recorded),18 and over,1,1,100.0,yes',
    ]);
  });

  it('writes the generic layout with an "all" row and one row per stratum, per organisation', () => {
    const run = runMeasures([person(1, 'W06000015', '1980-01-01', true)], measures, { months: ['2025-01'], asOf: '2025-12-31' }, deps);
    const rows = lines(genericCsv(run.tallies));
    expect(rows[0]).toBe('period,measure,organisation_type,organisation_code,organisation_name,stratum,numerator,denominator,percentage');
    expect(rows).toContain('2025-01,coordinator-within-14-days,health-board,7A4,Cardiff and Vale University Health Board,all,1,1,100.0');
    expect(rows).toContain('2025-01,coordinator-within-14-days,local-authority,W06000015,Cardiff,18-and-over,1,1,100.0');
  });
});
