import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, CodeSystem, Resource } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CODE_SYSTEMS_WITH_DISPLAYS, pontDisplay } from '../../src/fhir/code-displays.js';
import { readableDate, withNarratives } from '../../src/fhir/narrative.js';
import { escapeXhtml } from '../../src/fhir/xhtml.js';
import { codeSystemUrl } from '../../src/profiles/canonical.js';

import { areaOfLifeVocabulary, sharingRecipientKindVocabulary } from '../../src/record/vocabulary.js';
import { ctpRecord } from '../helpers/arbitraries.js';
import { loadCtpExamples } from '../helpers/examples.js';
import { narrativeProblems, narrativeText } from '../helpers/narrative.js';
import { ROOT, testRuntime } from '../helpers/runtime.js';

const { pipeline } = testRuntime();

type Json = Record<string, unknown>;
const divOf = (resource: unknown): string => ((resource as { text?: { div?: string } }).text?.div ?? '') as string;
const entries = (bundle: Bundle | undefined): Resource[] => (bundle?.entry ?? []).map((e) => e.resource!);
const ofType = (bundle: Bundle | undefined, type: string) => entries(bundle).filter((r) => r.resourceType === type);

/**
 * Values the narrative shows character for character: no characters XML cannot carry (replaced),
 * no carriage returns (XML parsers normalise line ends), not whitespace only (a blank title gives
 * way to the resource type; parsers drop blank text nodes).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const comparable = (s: string) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\r]/.test(s) && s === s.toWellFormed() && s.trim().length > 0;

describe('narrative XHTML checker (test helper)', () => {
  it('accepts a plain div and finds what breaks txt-1 and txt-2', () => {
    expect(narrativeProblems('<div xmlns="http://www.w3.org/1999/xhtml"><p>Hello</p></div>')).toEqual([]);
    expect(narrativeProblems('<div xmlns="http://www.w3.org/1999/xhtml"><p>a < b</p></div>')[0]).toMatch(/not well-formed/);
    expect(narrativeProblems('<div><p>Hello</p></div>')).toEqual(['the root div lacks the XHTML namespace']);
    expect(narrativeProblems('<div xmlns="http://www.w3.org/1999/xhtml"><script>x</script></div>')).toEqual(['element <script> is not allowed in a narrative (txt-1)']);
    expect(narrativeProblems('<div xmlns="http://www.w3.org/1999/xhtml"><p onclick="x">y</p></div>')).toEqual(['unexpected attribute(s) onclick']);
    expect(narrativeProblems('<div xmlns="http://www.w3.org/1999/xhtml"> <p> </p></div>')).toEqual(['the narrative has no non-whitespace content (txt-2)']);
  });
});

describe('generated narratives of output resources', () => {
  const patient = (name: string, nhs: string): Json => ({
    resourceType: 'Patient',
    identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhs }],
    name: [{ family: name, given: [name] }],
    birthDate: '1991-08-23',
  });
  const goal = (text: string, area: string): Json => ({
    resourceType: 'Goal',
    description: { text },
    category: [{ coding: [{ system: codeSystemUrl('pont-area-of-life'), code: area }] }],
  });

  it('is a well-formed txt-1/txt-2 div for any string in any field, and shows the string as given (property)', () => {
    const anyText = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.constantFrom('', ' ', '<script>', ']]>', '&amp;', '\u0000', '\uD800'));
    fc.assert(
      fc.property(anyText, anyText, anyText, (name, nhs, outcome) => {
        const resources = [
          { fullUrl: 'urn:uuid:p', resource: patient(name, nhs) },
          { fullUrl: 'urn:uuid:g', resource: goal(outcome, 'accommodation') },
          { fullUrl: 'urn:uuid:c', resource: { resourceType: 'CarePlan', title: name, subject: { reference: 'urn:uuid:p' }, goal: [{ reference: 'urn:uuid:g' }] } },
        ];
        for (const { resource } of withNarratives(resources)) {
          expect(narrativeProblems(divOf(resource))).toEqual([]);
          const text = narrativeText(divOf(resource));
          if (resource.resourceType === 'Patient') for (const value of [name, nhs]) if (comparable(value)) expect(text).toContain(value);
          if (resource.resourceType !== 'Patient' && comparable(outcome)) expect(text).toContain(outcome);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('escapes markup: a value can never open an element', () => {
    const [out] = withNarratives([{ fullUrl: 'urn:uuid:p', resource: patient('<b onclick="x">&', '<script>') }]);
    expect(divOf(out!.resource)).toContain(escapeXhtml('<b onclick="x">&'));
    expect(divOf(out!.resource)).not.toContain('<script>');
  });

  it('replaces any text the resource had, placing text after id and meta', () => {
    const [out] = withNarratives([
      { fullUrl: 'urn:uuid:p', resource: { resourceType: 'Patient', id: 'x', meta: {}, text: { status: 'empty', div: '<div/>' }, gender: 'female' } },
    ]);
    expect(Object.keys(out!.resource)).toEqual(['resourceType', 'id', 'meta', 'text', 'gender']);
    expect((out!.resource.text as { status: string }).status).toBe('generated');
  });

  it('shows pont codes by the display of the CodeSystem the profiles publish', () => {
    for (const id of CODE_SYSTEMS_WITH_DISPLAYS) {
      const cs = JSON.parse(readFileSync(join(ROOT, 'profiles', `CodeSystem-${id}.json`), 'utf8')) as CodeSystem;
      for (const concept of cs.concept ?? []) expect(pontDisplay(cs.url, concept.code), `${id}#${concept.code}`).toBe(concept.display);
    }
    const published = JSON.parse(readFileSync(join(ROOT, 'profiles/.index.json'), 'utf8')) as { files: { resourceType: string; id: string }[] };
    expect(new Set(CODE_SYSTEMS_WITH_DISPLAYS)).toEqual(new Set(published.files.filter((f) => f.resourceType === 'CodeSystem').map((f) => f.id)));
    expect(pontDisplay(codeSystemUrl('pont-area-of-life'), 'toString')).toBeUndefined();
  });

  it('writes dates as a clinician reads them', () => {
    expect(readableDate('2025-02-11')).toBe('11 February 2025');
    expect(readableDate('2025-02')).toBe('2025-02');
    expect(readableDate('2025-02-11T10:00:00Z')).toBe('2025-02-11T10:00:00Z');
  });
});

describe('narratives in pont Bundles', () => {
  const examples = loadCtpExamples().map((e) => ({ path: e.path, record: pipeline.toRecords('ctp', JSON.stringify(e.json), e.path)[0]!.record! }));

  it('gives every resource of every generated record a valid generated narrative (property)', () => {
    fc.assert(
      fc.property(ctpRecord(), (record) => {
        const { bundle } = pipeline.toBundle(record);
        expect(bundle).toBeDefined();
        for (const r of entries(bundle)) {
          expect((r as { text?: { status?: string } }).text?.status, r.resourceType).toBe('generated');
          expect(narrativeProblems(divOf(r)), r.resourceType).toEqual([]);
        }
      }),
      { numRuns: 20 },
    );
  });

  it('shows the person by name, date of birth and NHS number', () => {
    for (const { path, record } of examples) {
      const text = narrativeText(divOf(ofType(pipeline.toBundle(record).bundle, 'Patient')[0]));
      const name = record.patient!.names![0]!;
      for (const part of [...(name.given ?? []), name.family ?? '']) expect(text, path).toContain(part);
      expect(text, path).toContain(record.patient!.nhsNumber);
      expect(text, path).toContain(readableDate(record.patient!.dateOfBirth as string));
    }
  });

  it('shows each sharing decision: declined or agreed, the kind and ODS code of the recipient, and when', () => {
    const decided = examples.filter((e) => e.record.patient?.sharingDecisions);
    expect(decided.length).toBeGreaterThan(0);
    for (const { path, record } of decided) {
      const consents = ofType(pipeline.toBundle(record).bundle, 'Consent');
      const decisions = record.patient!.sharingDecisions!;
      expect(consents.length, path).toBe(decisions.length);
      decisions.forEach((d, i) => {
        const text = narrativeText(divOf(consents[i]));
        expect(text, path).toContain(`Sharing decision: ${d.decision}`);
        expect(text, path).toContain(`${sharingRecipientKindVocabulary[d.recipient.kind].display}, ODS ${d.recipient.odsCode}`);
        expect(text, path).toContain(readableDate(d.recordedOn));
      });
    }
  });

  it("shows each plan's outcomes under their areas of life in Schedule 2 order, its coordinator and review date", () => {
    const areaOrder = Object.keys(areaOfLifeVocabulary);
    for (const { path, record } of examples) {
      const plans = ofType(pipeline.toBundle(record).bundle, 'CarePlan');
      expect(plans.length, path).toBe(record.plans?.length ?? 0);
      for (const [i, plan] of (record.plans ?? []).entries()) {
        const text = narrativeText(divOf(plans[i]));
        if (typeof plan.reviewBy === 'string') expect(text, path).toContain(`Review by${readableDate(plan.reviewBy)}`);
        const appointment = record.coordinatorAppointments?.find((a) => a.id === plan.coordinatorAppointment);
        const coordinator = record.practitioners?.find((p) => p.id === appointment?.practitioner);
        if (coordinator?.name?.family) expect(text, path).toContain(coordinator.name.family);
        // Areas appear in Schedule 2 order, each followed by an outcome that addresses it.
        const rows = (plan.outcomes ?? []).flatMap((o) => (o.areas ?? []).map((a) => ({ area: a.area as string, outcome: o.description as string | undefined })));
        rows.sort((a, b) => areaOrder.indexOf(a.area) - areaOrder.indexOf(b.area));
        let from = 0;
        for (const row of rows) {
          const display = areaOfLifeVocabulary[row.area as keyof typeof areaOfLifeVocabulary].display;
          const at = text.indexOf(`${display}${row.outcome ?? ''}`, from);
          expect(at, `${path}: ${row.area}`).toBeGreaterThanOrEqual(from);
          from = at;
        }
      }
    }
  });
});
