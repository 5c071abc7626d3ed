/**
 * Loose FHIR resources gathered into one Bundle per Patient: over HL7's own R4 examples (written
 * by no one here, with their references as HL7 wrote them) and, as a property, over generated
 * people's resources as pont serves them, shuffled.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gatherPatientBundles, type LooseResource } from '../../src/fhir/patient-bundles.js';
import { referenceKey, referencesIn } from '../../src/fhir/reference.js';
import { servedResources } from '../../src/fhir/served-resources.js';
import { generateRecords } from '../helpers/generate.js';
import { ROOT, testRuntime } from '../helpers/runtime.js';

type Json = Record<string, unknown>;
const keyOf = (r: Json) => `${String(r.resourceType)}/${String(r.id)}`;
const keysIn = (bundle: { entry: { resource: Json }[] }) => bundle.entry.map((e) => keyOf(e.resource));

describe('gathering loose resources into one Bundle per Patient', () => {
  describe("over HL7's R4 examples", () => {
    const dir = join(ROOT, 'node_modules/hl7.fhir.r4.examples');
    const loose: LooseResource<string>[] = readdirSync(dir)
      .filter((f) => /^(Patient|CarePlan|CareTeam|Condition|Encounter|EpisodeOfCare|Goal|Practitioner|Organization|Provenance|RelatedPerson)-.*\.json$/.test(f))
      .sort()
      .map((f) => ({ resource: JSON.parse(readFileSync(join(dir, f), 'utf8')) as Json, at: f }))
      .filter((r) => typeof r.resource.id === 'string');
    const { bundles, leftOver, duplicates } = gatherPatientBundles(loose);
    const all = new Set(loose.map((r) => keyOf(r.resource)));
    const bundleOf = new Map(bundles.map((b) => [keyOf(b.bundle.entry[0]!.resource), new Set(keysIn(b.bundle))]));

    it('gives every Patient a Bundle that opens with them', () => {
      const patients = loose.filter((r) => r.resource.resourceType === 'Patient');
      expect(patients.length).toBeGreaterThan(5);
      expect(bundles.map((b) => b.at).sort()).toEqual(patients.map((p) => p.at).sort());
      for (const b of bundles) expect(b.bundle.entry[0]!.resource.resourceType).toBe('Patient');
    });

    it("puts each resource that refers to a Patient in that Patient's Bundle", () => {
      let checked = 0;
      for (const r of loose) {
        if (r.resource.resourceType === 'Patient') continue;
        for (const target of referencesIn(r.resource).map(referenceKey)) {
          if (target?.startsWith('Patient/') && all.has(target)) {
            expect(bundleOf.get(target)!.has(keyOf(r.resource)), `${r.at} → ${target}`).toBe(true);
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(20);
    });

    it('leaves out nothing silently: every resource is in a Bundle, left over or a duplicate', () => {
      const placed = new Set([...bundleOf.values()].flatMap((s) => [...s]));
      for (const r of leftOver) expect(placed.has(keyOf(r.resource))).toBe(false);
      expect(new Set([...placed, ...leftOver.map((r) => keyOf(r.resource))])).toEqual(all);
      expect(duplicates).toEqual([]);
    });

    it("brings into a Bundle what its resources refer to, unless it is another Patient's or about another Patient", () => {
      for (const [patient, keys] of bundleOf) {
        for (const k of keys) {
          const resource = loose.find((r) => keyOf(r.resource) === k)!.resource;
          for (const target of referencesIn(resource).map(referenceKey)) {
            if (target === undefined || !all.has(target) || keys.has(target)) continue;
            const elsewhere = [...bundleOf].some(([p, other]) => p !== patient && other.has(target));
            expect(elsewhere, `${k} → ${target} in ${patient}'s Bundle`).toBe(true);
          }
        }
      }
    });
  });

  it("gives back each generated person's resources however the files list them (property)", () => {
    const runtime = testRuntime();
    const people = generateRecords(12).map((record) => {
      const result = runtime.check([{ origin: 'g', source: 'ctp', text: JSON.stringify(record) }], { compliance: false }).results[0]!;
      return servedResources(result.bundle!).items.map((i) => i.resource as unknown as Json);
    });
    fc.assert(
      fc.property(
        fc.subarray(
          people.map((_, i) => i),
          { minLength: 1 },
        ),
        fc.infiniteStream(fc.nat()),
        (chosen, noise) => {
          const byKey = new Map(chosen.flatMap((i) => people[i]!.map((r) => [keyOf(r), r] as const)));
          const shuffled = [...byKey.values()].map((r) => ({ r, n: noise.next().value as number })).sort((a, b) => a.n - b.n);
          const { bundles, leftOver } = gatherPatientBundles(shuffled.map(({ r }) => ({ resource: r, at: keyOf(r) })));
          expect(leftOver).toEqual([]);
          expect(bundles).toHaveLength(chosen.length);
          for (const i of chosen) {
            const own = people[i]!;
            const patient = keyOf(own.find((r) => r.resourceType === 'Patient')!);
            const gathered = bundles.find((b) => b.at === patient)!;
            expect(new Set(keysIn(gathered.bundle))).toEqual(new Set(own.map(keyOf)));
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
