/**
 * What issue 9's traps ask of pont's Bundles: each sharing decision is a FHIR Consent that comes
 * back as the same decision; local identifiers name the source system (and the older shared
 * system is still read); every resource carries the origin marker, and FHIR without it imports
 * the same; resource ids stay those of the source record.
 */
import type { Bundle } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { deterministicUuid } from '../../src/fhir/ids.js';
import { LEGACY_LOCAL_SYSTEM, localIdentifierSystem, ORIGIN_TAG_SYSTEM, originOf } from '../../src/fhir/origin.js';
import type { CtpRecord, SharingDecision } from '../../src/record/record.schema.js';
import { minimalRecord } from '../helpers/minimal-record.js';
import { exampleFiles, testRuntime } from '../helpers/runtime.js';

type Json = Record<string, unknown>;

const { pipeline } = testRuntime();
const ODS = 'https://fhir.nhs.uk/Id/ods-organization-code';

const DECISIONS: SharingDecision[] = [
  { recipient: { kind: 'gp-practice', odsCode: 'W97001' }, decision: 'declined', recordedOn: '2025-03-01' },
  { recipient: { kind: 'health-board', odsCode: '7A1' }, decision: 'agreed', recordedOn: '2025-03-01' },
  { recipient: { kind: 'organisation', odsCode: 'RQ3' }, decision: 'agreed', recordedOn: '2024-11-30' },
  { recipient: { kind: 'gp-practice', odsCode: 'W97001' }, decision: 'agreed', recordedOn: '2025-03-01' },
];

function recordWith(change: (r: CtpRecord) => void): CtpRecord {
  const record = minimalRecord();
  change(record);
  return record;
}

function bundleOf(record: CtpRecord): Bundle {
  const { bundle, issues } = pipeline.toBundle(record);
  expect(bundle, JSON.stringify(issues.filter((i) => i.severity === 'error'))).toBeDefined();
  return bundle!;
}

const resourcesOf = (bundle: Bundle) => bundle.entry!.map((e) => e.resource as unknown as Json);
const back = (bundle: unknown) => pipeline.reverse(JSON.stringify(bundle), 'bundle.json');

/** A copy of a value with every string changed by `f` (for rewriting identifier systems). */
function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)]));
}

describe('sharing decisions as FHIR Consent', () => {
  const record = recordWith((r) => {
    r.patient!.sharingDecisions = DECISIONS;
    r.patient!.informationSharing = { status: 'agreed', recordedOn: '2025-01-01' };
  });
  const bundle = bundleOf(record);
  const consents = resourcesOf(bundle).filter((r) => r.resourceType === 'Consent');
  const patientUrl = bundle.entry!.find((e) => e.resource!.resourceType === 'Patient')!.fullUrl;

  it('writes one Consent per decision: deny for a decline, permit for an agreement, naming the recipient by its ODS code', () => {
    expect(
      consents.map((c) => {
        const provision = c.provision as { type: string; actor: { reference: Json; extension: { valueCode: string }[] }[] };
        return [provision.type, provision.actor[0]!.reference, provision.actor[0]!.extension[0]!.valueCode, c.dateTime];
      }),
    ).toEqual(
      DECISIONS.map((d) => [{ declined: 'deny', agreed: 'permit' }[d.decision], { identifier: { system: ODS, value: d.recipient.odsCode } }, d.recipient.kind, d.recordedOn]),
    );
    for (const c of consents) {
      expect(c.status).toBe('active');
      expect(c.scope).toEqual({ coding: [expect.objectContaining({ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' })] });
      expect(c.category).toEqual([{ coding: [expect.objectContaining({ system: 'http://loinc.org', code: '59284-0' })] }]);
      expect(c.patient).toEqual({ reference: patientUrl });
    }
  });

  it('reads them back as the same decisions, in order, beside the general agreement', () => {
    expect(back(bundle).record).toEqual(record);
  });

  it('gives each decision the same id whatever the others are: adding or reordering decisions moves no Consent', () => {
    const idsBy = (decisions: SharingDecision[]) =>
      new Map(
        resourcesOf(bundleOf(recordWith((r) => void (r.patient!.sharingDecisions = decisions))))
          .filter((r) => r.resourceType === 'Consent')
          .map((c) => [JSON.stringify((c.provision as Json).type) + String(c.dateTime) + JSON.stringify((c.provision as { actor: Json[] }).actor[0]), c.id]),
      );
    const all = idsBy(DECISIONS);
    const some = idsBy([DECISIONS[2]!, DECISIONS[0]!]);
    for (const [key, id] of some) expect(all.get(key)).toBe(id);
  });

  it("reads another system's privacy Consent naming an ODS code, as a decision about an organisation", () => {
    const foreign = {
      resourceType: 'Consent',
      id: 'other-epr-consent',
      status: 'active',
      scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      patient: { reference: 'Patient/p1' },
      dateTime: '2024-05-06T10:00:00Z',
      policyRule: { text: 'local policy' },
      provision: {
        type: 'deny',
        actor: [
          { role: { text: 'recipient' }, reference: { reference: 'Practitioner/x' } },
          { role: { text: 'recipient' }, reference: { identifier: { system: ODS, value: '7A3' } } },
        ],
      },
    };
    const input = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Patient', id: 'p1', gender: 'female' } }, { resource: foreign }] };
    expect(back(input).record?.patient?.sharingDecisions).toEqual([{ recipient: { kind: 'organisation', odsCode: '7A3' }, decision: 'declined', recordedOn: '2024-05-06' }]);
    // Not a decision pont can hold (a value no ODS code could be), or not one in force: left out and said so.
    const unusable = structuredClone(input);
    (unusable.entry[1]!.resource as typeof foreign).provision.actor[1]!.reference = { identifier: { system: ODS, value: 'not an ods code' } };
    const withdrawn = structuredClone(input);
    (withdrawn.entry[1]!.resource as typeof foreign).status = 'inactive';
    for (const left of [unusable, withdrawn]) {
      const result = back(left);
      expect(result.record?.patient?.sharingDecisions).toBeUndefined();
      expect(result.issues.some((i) => i.severity === 'information' && i.expression?.some((e) => e.startsWith('Bundle.entry[1]')))).toBe(true);
    }
  });
});

describe('local identifiers name the source system', () => {
  const examples = exampleFiles().flatMap((e) => pipeline.convert(e.source, e.text, e.path));

  it('in every identifier pont writes for a local id, in every example', () => {
    expect(examples.length).toBeGreaterThan(0);
    for (const { record, bundle } of examples) {
      const local = bundle!
        .entry!.flatMap((e) => ((e.resource as { identifier?: { system?: string }[] }).identifier ?? []).map((i) => i.system!))
        .filter((s) => s.startsWith(LEGACY_LOCAL_SYSTEM));
      expect(local.length).toBeGreaterThan(0);
      expect(new Set(local)).toEqual(new Set([localIdentifierSystem(record!.source.system)]));
    }
  });

  it('keeps two sources apart where they use the same local ids', () => {
    const systems = (system: string) =>
      new Set(
        resourcesOf(bundleOf(recordWith((r) => void (r.source.system = system)))).flatMap((r) =>
          ((r.identifier as { system: string }[] | undefined) ?? []).map((i) => i.system),
        ),
      );
    const a = systems('vendor-a');
    const b = systems('vendor-b');
    expect(a.has(localIdentifierSystem('vendor-a'))).toBe(true);
    expect(b.has(localIdentifierSystem('vendor-a'))).toBe(false);
  });

  it('writes a source named with spaces, slashes and Welsh letters as one URI segment, and reads it back', () => {
    const record = recordWith((r) => void (r.source.system = 'Bwrdd Iechyd/ŵ ex #1'));
    const bundle = bundleOf(record);
    const systems = resourcesOf(bundle).flatMap((r) => ((r.identifier as { system: string }[] | undefined) ?? []).map((i) => i.system));
    expect(systems).toContain('https://fhir.pont.wales/Id/local/Bwrdd%20Iechyd%2F%C5%B5%20ex%20%231');
    expect(back(bundle).record).toEqual(record);
  });

  it('still reads FHIR written before the source was named (the one shared local system)', () => {
    for (const { record, bundle } of examples.slice(0, 6)) {
      const old = mapStrings(bundle, (s) => (s.startsWith(`${LEGACY_LOCAL_SYSTEM}/`) ? LEGACY_LOCAL_SYSTEM : s));
      expect(JSON.stringify(old)).not.toContain(`${LEGACY_LOCAL_SYSTEM}/`);
      expect(back(old).record).toEqual(record);
    }
  });

  it('keeps resource ids those of the source record: scope, type and local id, not the identifier system', () => {
    const record = minimalRecord();
    const plan = resourcesOf(bundleOf(record)).find((r) => r.resourceType === 'CarePlan')!;
    expect(plan.id).toBe(deterministicUuid(`${record.source.system}|${record.source.recordId}|CarePlan|${record.plans![0]!.id}`));
  });
});

describe('the origin marker', () => {
  const examples = exampleFiles().flatMap((e) => pipeline.convert(e.source, e.text, e.path));

  it('is on every resource of every example Bundle, and originOf names the source system', () => {
    for (const { record, bundle } of examples) {
      const resources = resourcesOf(bundle!);
      for (const r of resources) {
        const meta = r.meta as { source?: string; tag?: { system: string; code: string }[]; profile?: string[] };
        expect(meta.profile).toHaveLength(1);
        expect(meta.source).toBe(`https://fhir.pont.wales/source/${encodeURIComponent(record!.source.system)}`);
        expect(meta.tag).toEqual([{ system: ORIGIN_TAG_SYSTEM, code: record!.source.system }]);
      }
      expect(originOf(resources)).toBe(record!.source.system);
    }
  });

  it('is not needed to import: FHIR without it gives the same record', () => {
    for (const { record, bundle } of examples.slice(0, 6)) {
      const bare = structuredClone(bundle!);
      for (const e of bare.entry!) {
        const meta = e.resource!.meta as Json;
        delete meta.source;
        delete meta.tag;
      }
      expect(originOf(resourcesOf(bare))).toBeUndefined();
      expect(back(bare).record).toEqual(record);
    }
  });
});
