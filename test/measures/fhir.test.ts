import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateResource } from '@medplum/core';
import type { Measure, MeasureReport, Resource } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { GENERATED_MEASURE_FILE, MEASURES_DIR, renderMeasures } from '../../profiles/tools/build-measures.js';
import { ensureMedplumIndexed } from '../../src/fhir/r4-base.js';
import { measureUrl } from '../../src/measures/fhir-measure.js';
import { summaryReport } from '../../src/measures/measure-report.js';
import { measures } from '../../src/measures/registry.js';
import { runMeasures } from '../../src/measures/run-measures.js';
import { minimalRecord } from '../helpers/minimal-record.js';
import { deps } from './helpers.js';

beforeAll(() => ensureMedplumIndexed());

/** medplum's R4 validator: throws with the issues when the resource is not valid R4. */
function expectValidR4(resource: Resource): void {
  expect(() => validateResource(resource)).not.toThrow();
}

function sampleRun(individual: boolean) {
  const cardiff = minimalRecord();
  cardiff.patient!.localAuthorityOfResidence = 'W06000015';
  const nowhere = minimalRecord();
  nowhere.source.recordId = 'rec-2';
  nowhere.patient!.nhsNumber = { notRecorded: 'unknown' };
  return runMeasures([cardiff, nowhere], measures, { months: ['2025-01', '2025-02', '2025-03'], asOf: '2025-12-31' }, deps, { individual });
}

describe('Measure resources', () => {
  it('profiles/measures/ is what npm run measures:build writes now', () => {
    const committed = readdirSync(MEASURES_DIR)
      .filter((f) => GENERATED_MEASURE_FILE.test(f))
      .sort();
    const built = renderMeasures();
    expect(committed, 'run npm run measures:build').toEqual([...built.keys()].sort());
    for (const [name, text] of built) expect(readFileSync(join(MEASURES_DIR, name), 'utf8'), `${name} is stale: run npm run measures:build`).toBe(text);
  });

  it.each(measures.map((m) => m.id))('Measure %s is valid R4, proportion-scored, with criteria for its populations', (id) => {
    const measure = JSON.parse(readFileSync(join(MEASURES_DIR, `Measure-${id}.json`), 'utf8')) as Measure;
    expectValidR4(measure);
    expect(measure.url).toBe(measureUrl(id));
    expect(measure.url).toBe(`https://fhir.pont.wales/Measure/${id}`);
    expect(measure.scoring?.coding?.[0]?.code).toBe('proportion');
    expect(measure.improvementNotation?.coding?.[0]?.code).toBe('increase');
    const codes = measure.group![0]!.population!.map((p) => p.code!.coding![0]!.code);
    expect(codes).toEqual(expect.arrayContaining(['initial-population', 'denominator', 'numerator']));
    for (const p of measure.group![0]!.population!) expect(p.criteria.description).toBeTruthy();
  });
});

describe('MeasureReports', () => {
  it('summary reports per health board and local authority are valid R4 with counts, score and strata', () => {
    const run = sampleRun(false);
    const reports = run.tallies.map((t) => summaryReport(measures.find((m) => m.id === t.measureId)!, t, run.window.asOf));
    expect(reports.length).toBeGreaterThan(0);
    reports.forEach(expectValidR4);
    expect(() => validateResource({ ...reports[0]!, period: undefined } as unknown as Resource), 'the validator must be live').toThrow();
    const cardiff = reports.find((r) => r.measure.endsWith('/ctp-valid') && r.period.start === '2025-03-01' && r.reporter?.identifier?.value === '7A4')!;
    expect(cardiff.type).toBe('summary');
    expect(cardiff.group![0]!.measureScore?.value).toBe(1);
    expect(cardiff.group![0]!.stratifier![0]!.stratum![0]!.value?.text).toBe('18-and-over');
    const levels = new Set(reports.map((r) => r.reporter?.identifier?.system ?? r.reporter?.display));
    expect(levels).toContain('https://fhir.pont.wales/Id/ons-area-code');
    expect([...levels].some((l) => l?.startsWith('Resident health board unknown'))).toBe(true);
  });

  it('individual reports are valid R4 and name the patient only by NHS number', () => {
    const individual = [...sampleRun(true).individual];
    expect(individual.length).toBeGreaterThan(0);
    individual.forEach(expectValidR4);
    const text = JSON.stringify(individual);
    expect(text).not.toContain('Person');
    const subjects = new Set(individual.map((r: MeasureReport) => r.subject?.reference ?? r.subject?.identifier?.value));
    expect(subjects).toEqual(new Set(['Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9990000018', 'pont-test|rec-2']));
  });

  it('gives no score when the denominator is empty after exclusions', () => {
    const record = minimalRecord();
    delete record.coordinatorAppointments![0]!.start;
    const run = runMeasures(
      [record],
      measures.filter((m) => m.id === 'coordinator-within-14-days'),
      { months: ['2025-01'], asOf: '2025-01-20' },
      deps,
      { individual: true },
    );
    const individual = [...run.individual];
    expect(individual[0]!.group![0]!.measureScore).toBeUndefined();
    expect(individual[0]!.group![0]!.population!.find((p) => p.code?.coding?.[0]?.code === 'denominator-exclusion')?.count).toBe(1);
  });
});
