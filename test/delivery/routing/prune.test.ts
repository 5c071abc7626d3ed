/**
 * pruneBundle on the example records' Bundles as a GP practice receives them, and on small
 * Bundles built to show one rule each (they need not be valid FHIR otherwise: pruning does not
 * validate).
 */
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { defaultResources } from '../../../src/delivery/routing/minimum-necessary.js';
import { pruneBundle } from '../../../src/delivery/routing/prune.js';
import { EngineError } from '../../../src/errors/errors.js';
import { referencesIn } from '../../../src/fhir/bundle.js';
import { parseRecord } from '../../../src/record/parse-record.js';
import { loadCtpExamples } from '../../helpers/examples.js';
import { testRuntime } from '../../helpers/runtime.js';

const { pipeline } = testRuntime();
const examples = loadCtpExamples().map((f) => ({ name: f.name, bundle: pipeline.toBundle(parseRecord(f.json, f.path)).bundle! }));
const GP = defaultResources('gp-practice');

type Json = Record<string, unknown>;
const resources = (b: Bundle) => (b.entry ?? []).map((e) => e.resource as Resource & Json);
const ofType = (b: Bundle, type: string) => resources(b).filter((r) => r.resourceType === type);
const withoutText = (r: Json) => JSON.stringify({ ...r, text: undefined });

describe('a GP practice’s Bundle of each example', () => {
  it.each(examples)('$name: keeps the plan, its outcomes, diagnoses, care team and coordinator, and no consultation record', ({ bundle }) => {
    const kept = pruneBundle(bundle, GP);
    for (const type of ['Patient', 'CarePlan', 'Goal', 'Condition', 'CareTeam', 'PractitionerRole']) expect(ofType(kept, type)).toHaveLength(ofType(bundle, type).length);
    for (const type of ['Encounter', 'EpisodeOfCare', 'Communication', 'Task', 'ServiceRequest', 'ClinicalImpression', 'RelatedPerson'])
      expect(ofType(kept, type)).toEqual([]);
  });

  it.each(examples)('$name: Provenance targets exactly what it targeted before that is kept', ({ bundle }) => {
    const kept = pruneBundle(bundle, GP);
    const keptUrls = new Set((kept.entry ?? []).map((e) => e.fullUrl));
    const before = ofType(bundle, 'Provenance');
    const after = ofType(kept, 'Provenance');
    expect(after.map((p) => p.id)).toEqual(before.map((p) => p.id));
    after.forEach((p, i) => {
      const targets = (before[i]!.target as { reference: string }[]).map((t) => t.reference).filter((r) => keptUrls.has(r));
      expect((p.target as { reference: string }[]).map((t) => t.reference)).toEqual(targets);
    });
  });

  it.each(examples)(
    '$name: an outcome, organisation, practitioner or role that only dropped entries referred to is dropped; one a kept entry refers to is kept',
    ({ bundle }) => {
      const kept = pruneBundle(bundle, GP);
      const keptUrls = new Set((kept.entry ?? []).map((e) => e.fullUrl));
      const referredBy = (url: string, entries: readonly BundleEntry[]) =>
        entries.filter((e) => e.fullUrl !== url && e.resource?.resourceType !== 'Provenance' && referencesIn(e.resource).includes(url));
      for (const e of bundle.entry ?? []) {
        if (!['Goal', 'Organization', 'Practitioner', 'PractitionerRole'].includes(e.resource!.resourceType)) continue;
        const inInput = referredBy(e.fullUrl!, bundle.entry ?? []);
        const inKept = referredBy(e.fullUrl!, kept.entry ?? []);
        expect(keptUrls.has(e.fullUrl), `${e.resource!.resourceType} ${e.fullUrl}`).toBe(inInput.length === 0 || inKept.length > 0);
      }
    },
  );

  it('regenerates narratives, so no kept narrative names a person who is in no kept resource', () => {
    let namedBefore = 0;
    for (const { bundle } of examples) {
      const kept = pruneBundle(bundle, GP);
      const keptUrls = new Set((kept.entry ?? []).map((e) => e.fullUrl));
      const structured = resources(kept).map(withoutText).join('\n');
      const narratives = resources(kept)
        .map((r) => (r.text as { div?: string } | undefined)?.div ?? '')
        .join('\n');
      const narrativesBefore = (bundle.entry ?? [])
        .filter((e) => keptUrls.has(e.fullUrl))
        .map((e) => (e.resource as unknown as Json).text as { div?: string } | undefined)
        .map((t) => t?.div ?? '')
        .join('\n');
      for (const e of bundle.entry ?? []) {
        if (keptUrls.has(e.fullUrl)) continue;
        for (const n of ((e.resource as unknown as Json).name as { given?: string[]; family?: string }[] | undefined) ?? []) {
          if (n.given === undefined || n.family === undefined) continue;
          const name = `${n.given.join(' ')} ${n.family}`;
          if (narrativesBefore.includes(name)) namedBefore++;
          if (!structured.includes(n.given[0]!)) expect(narratives, name).not.toContain(name);
        }
      }
    }
    // The examples do name dropped people in kept narratives before pruning, so the check above bites.
    expect(namedBefore).toBeGreaterThan(0);
  });
});

const entry = (resource: Json, fullUrl = `urn:uuid:${resource.resourceType}-${resource.id}`): BundleEntry => ({
  fullUrl,
  resource: resource as unknown as Resource,
  request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` },
});
const bundleOf = (...entries: BundleEntry[]): Bundle => ({ resourceType: 'Bundle', type: 'transaction', entry: entries });
const patient = entry({ resourceType: 'Patient', id: 'p' });
const ref = (e: BundleEntry) => ({ reference: e.fullUrl! });
const kept = (b: Bundle, type: string) => ofType(b, type)[0];

describe('pruneBundle, one rule at a time', () => {
  it('removes a list item that refers to a dropped entry and keeps the rest of the list', () => {
    const goal = entry({ resourceType: 'Goal', id: 'g', subject: ref(patient) });
    const condition = entry({ resourceType: 'Condition', id: 'c', subject: ref(patient) });
    const plan = entry({ resourceType: 'CarePlan', id: 'cp', subject: ref(patient), goal: [ref(goal)], addresses: [ref(condition), { reference: 'Condition/elsewhere' }] });
    const out = pruneBundle(bundleOf(patient, goal, condition, plan), ['Patient', 'CarePlan', 'Goal']);
    expect(kept(out, 'CarePlan')).toEqual({ resourceType: 'CarePlan', id: 'cp', subject: ref(patient), goal: [ref(goal)], addresses: [{ reference: 'Condition/elsewhere' }] });
  });

  it('resolves Type/id references as well as fullUrls', () => {
    const goal = entry({ resourceType: 'Goal', id: 'g', subject: ref(patient) });
    const plan = entry({ resourceType: 'CarePlan', id: 'cp', subject: { reference: 'Patient/p' }, goal: [{ reference: 'Goal/g' }], status: 'active' });
    const out = pruneBundle(bundleOf(patient, goal, plan), ['Patient', 'CarePlan']);
    expect(kept(out, 'CarePlan')).toEqual({ resourceType: 'CarePlan', id: 'cp', subject: { reference: 'Patient/p' }, status: 'active' });
  });

  it('drops a resource whose required reference dangles, and what then has nothing left to refer to, transitively', () => {
    const plan = entry({ resourceType: 'CarePlan', id: 'cp', subject: ref(patient) });
    const provenance = entry({ resourceType: 'Provenance', id: 'pv', target: [ref(plan)] });
    const out = pruneBundle(bundleOf(patient, plan, provenance), ['CarePlan', 'Provenance']);
    expect(out.entry).toEqual([]);
  });

  it('drops an element that cannot stand without its reference, and keeps its holder', () => {
    const condition = entry({ resourceType: 'Condition', id: 'c', subject: ref(patient) });
    const episode = entry({ resourceType: 'EpisodeOfCare', id: 'e', patient: ref(patient), diagnosis: [{ condition: ref(condition), rank: 1 }], status: 'active' });
    const out = pruneBundle(bundleOf(patient, condition, episode), ['Patient', 'EpisodeOfCare']);
    expect(kept(out, 'EpisodeOfCare')).toEqual({ resourceType: 'EpisodeOfCare', id: 'e', patient: ref(patient), status: 'active' });
  });

  it('drops an extension left without its value, or without a required sub-extension, and keeps the other extensions', () => {
    const carer = entry({ resourceType: 'RelatedPerson', id: 'rp', patient: ref(patient) });
    const episode = entry({ resourceType: 'EpisodeOfCare', id: 'e', patient: ref(patient), status: 'active' });
    const impression = entry({
      resourceType: 'ClinicalImpression',
      id: 'ci',
      subject: ref(patient),
      extension: [
        { url: 'https://fhir.pont.wales/StructureDefinition/assessment-episode', valueReference: ref(episode) },
        {
          url: 'https://fhir.pont.wales/StructureDefinition/assessment-carer-view',
          extension: [
            { url: 'person', valueReference: ref(carer) },
            { url: 'views', valueString: 'synthetic' },
          ],
        },
        { url: 'https://fhir.pont.wales/StructureDefinition/equality-needs-considered', valueBoolean: true },
      ],
    });
    const out = pruneBundle(bundleOf(patient, carer, episode, impression), ['Patient', 'ClinicalImpression']);
    expect(kept(out, 'ClinicalImpression')?.extension).toEqual([{ url: 'https://fhir.pont.wales/StructureDefinition/equality-needs-considered', valueBoolean: true }]);
  });

  it('keeps an optional sub-extension’s loss to itself', () => {
    const org = entry({ resourceType: 'Organization', id: 'o' });
    const extension = {
      url: 'https://fhir.pont.wales/StructureDefinition/transfer',
      extension: [
        { url: 'date', valueDate: '2025-01-01' },
        { url: 'to', valueReference: ref(org) },
      ],
    };
    const episode = entry({ resourceType: 'EpisodeOfCare', id: 'e', patient: ref(patient), extension: [extension] });
    const out = pruneBundle(bundleOf(patient, org, episode), ['Patient', 'EpisodeOfCare']);
    expect(kept(out, 'EpisodeOfCare')?.extension).toEqual([{ url: extension.url, extension: [{ url: 'date', valueDate: '2025-01-01' }] }]);
  });

  it('drops a practitioner only dropped entries referred to, but keeps one nothing but Provenance referred to', () => {
    const seen = entry({ resourceType: 'Practitioner', id: 'seen' });
    const alone = entry({ resourceType: 'Practitioner', id: 'alone' });
    const contact = entry({ resourceType: 'Encounter', id: 'en', subject: ref(patient), participant: [{ individual: ref(seen) }] });
    const provenance = entry({ resourceType: 'Provenance', id: 'pv', target: [ref(patient), ref(seen), ref(alone), ref(contact)] });
    const out = pruneBundle(bundleOf(patient, seen, alone, contact, provenance), ['Patient', 'Practitioner', 'Provenance']);
    expect(resources(out).map((r) => r.id)).toEqual(['p', 'alone', 'pv']);
    expect(kept(out, 'Provenance')?.target).toEqual([ref(patient), ref(alone)]);
  });

  it('drops the outcomes of a plan left out, but keeps an outcome no plan referred to', () => {
    const ofPlan = entry({ resourceType: 'Goal', id: 'g1', subject: ref(patient) });
    const alone = entry({ resourceType: 'Goal', id: 'g2', subject: ref(patient) });
    const plan = entry({ resourceType: 'CarePlan', id: 'cp', subject: ref(patient), goal: [ref(ofPlan)] });
    const out = pruneBundle(bundleOf(patient, ofPlan, alone, plan), ['Patient', 'Goal']);
    expect(resources(out).map((r) => r.id)).toEqual(['p', 'g2']);
  });

  it('keeps references that never resolved in the Bundle, and returns the same Bundle when nothing is dropped', () => {
    const plan = entry({ resourceType: 'CarePlan', id: 'cp', subject: ref(patient), author: { reference: 'https://elsewhere.example/Practitioner/1' } });
    const b = bundleOf(patient, plan);
    expect(pruneBundle(b, ['Patient', 'CarePlan'])).toBe(b);
  });

  it('filters entries without a resource by the type their request URL names', () => {
    const deletion: BundleEntry = { request: { method: 'DELETE', url: 'Encounter/old' } };
    const out = pruneBundle(bundleOf(patient, deletion), ['Patient']);
    expect(out.entry).toEqual([patient]);
  });

  it('refuses, as an internal fault, an entry whose type it cannot tell', () => {
    expect(() => pruneBundle(bundleOf(patient, { request: { method: 'POST', url: '' } }), ['Patient'])).toThrow(EngineError);
  });
});
