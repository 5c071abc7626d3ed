import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Input, SourceInput } from '../../src/app/inputs.js';
import { UsageError } from '../../src/errors/errors.js';
import { type MeasureRun, renderFhirBundle, writeFhirBundle } from '../../src/measures/run-measures.js';
import { memoryRecordStore } from '../../src/ports/memory-record-store.js';
import { personKey } from '../../src/record/person-key.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { ROOT, testRuntime } from '../helpers/runtime.js';

const folder = (name: string): SourceInput[] =>
  readdirSync(join(ROOT, 'examples', name))
    .filter((f) => /\.(json|csv)$/.test(f))
    .sort()
    .map((f) => ({ origin: `examples/${name}/${f}`, source: name, text: readFileSync(join(ROOT, 'examples', name, f), 'utf8') }));

const window = { period: '2025-01..2025-06', asOf: '2025-12-31' };
const ctpText = readFileSync(join(ROOT, 'examples/ctp/adult-all-eight-areas.json'), 'utf8');

function extractedAt(text: string, at: string, recordId: string): SourceInput {
  const record = JSON.parse(text) as CtpRecord;
  record.source.extractedAt = at;
  record.source.recordId = recordId;
  return { origin: recordId, source: 'ctp', text: JSON.stringify(record) };
}

async function streamed(run: MeasureRun, chunkSize?: number): Promise<string> {
  let text = '';
  await writeFhirBundle(
    run,
    (chunk) => {
      text += chunk;
    },
    chunkSize,
  );
  return text;
}

describe('the report use case', () => {
  it('counts each person once, from the record extracted last, through the record store it is given', async () => {
    const store = memoryRecordStore();
    const older = extractedAt(ctpText, '2025-01-01T00:00:00Z', 'older');
    const newer = extractedAt(ctpText, '2025-09-01T00:00:00Z', 'newer');
    const run = await testRuntime().report([older, newer, older], { measure: 'ctp-valid', ...window }, store);
    expect([run.records, run.people, run.merged]).toEqual([3, 1, 2]);
    expect(await store.versions()).toBe(3);
    const [key] = await store.people();
    expect((await store.latest(key!))?.source.recordId).toBe('newer');
    expect(key).toBe(personKey(JSON.parse(ctpText) as CtpRecord));
  });

  it('gives the same figures whatever the order of the inputs (no two extracts of a person share an extraction time here)', async () => {
    const inputs = [...folder('ctp'), ...folder('carepath-json'), ...folder('wpas-csv')];
    const forward = await testRuntime().report(inputs, { measure: 'all', ...window });
    const backward = await testRuntime().report([...inputs].reverse(), { measure: 'all', ...window });
    expect(backward.measures.tallies).toEqual(forward.measures.tallies);
    expect(backward.people).toBe(forward.people);
  });

  it('returns the inputs and records it could not read, and reports the rest', async () => {
    const bad: Input = { origin: 'broken.json', source: 'ctp', text: `[{"schemaVersion": "1"}, ${ctpText}]` };
    const run = await testRuntime().report([bad, { origin: 'gone.json', issues: [{ severity: 'error', code: 'not-found', diagnostics: 'No such input.' }] }], {
      measure: 'ctp-valid',
      ...window,
    });
    expect(run.failures.map((f) => [f.origin, f.index])).toEqual([
      ['broken.json', 0],
      ['gone.json', 0],
    ]);
    expect(run.records).toBe(1);
  });

  it('refuses bad options before reading any input', async () => {
    for (const options of [
      { measure: 'ctp-sometimes', ...window },
      { measure: 'ctp-valid', period: '2025-13', asOf: '2025-12-31' },
      { measure: 'ctp-valid', period: '2026-01', asOf: '2025-12-31' },
    ]) {
      let read = false;
      const inputs = (function* () {
        read = true;
        yield* folder('ctp');
      })();
      await expect(testRuntime().report(inputs, options)).rejects.toThrow(UsageError);
      expect(read).toBe(false);
    }
  });
});

describe('the streamed FHIR Bundle', () => {
  it('is, chunk size whatever, the same text as the Bundle rendered at once, and parses to the same Bundle', async () => {
    const { measures } = await testRuntime().report([...folder('ctp'), ...folder('wpas-csv')], { measure: 'all', individual: true, ...window });
    const whole = renderFhirBundle(measures);
    expect([...measures.individual].length).toBeGreaterThan(0);
    expect(JSON.parse(await streamed(measures))).toEqual(JSON.parse(whole));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 200_000 }), async (chunkSize) => {
        expect(await streamed(measures, chunkSize)).toBe(whole);
      }),
      { numRuns: 20 },
    );
  });

  it('is the same for a run with no people', async () => {
    const { measures } = await testRuntime().report([], { measure: 'all', individual: true, ...window });
    expect(measures.tallies).toEqual([]);
    expect(await streamed(measures)).toBe(renderFhirBundle(measures));
  });

  it('waits for a full writer before writing on', async () => {
    const { measures } = await testRuntime().report(folder('ctp'), { measure: 'all', individual: true, ...window });
    const events: string[] = [];
    await writeFhirBundle(
      measures,
      async () => {
        events.push('start');
        await new Promise((resolve) => setTimeout(resolve, 1));
        events.push('end');
      },
      1000,
    );
    expect(events.length).toBeGreaterThan(4);
    expect(events.join(',')).toBe(Array.from({ length: events.length / 2 }, () => 'start,end').join(','));
  });
});
