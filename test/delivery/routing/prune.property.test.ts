/**
 * pruneBundle over real pont Bundles of generated records (test/helpers/arbitraries.ts), with any
 * set of allowed types: what is kept refers only to what is kept, holds only allowed types, is
 * still valid on pont's profiles and still splits, and keeps no participant or outcome that served
 * only what was left out; pruning again changes nothing, and allowing every type changes nothing.
 */
import type { Bundle } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DELIVERABLE_TYPES } from '../../../src/config/sync-config.schema.js';
import { defaultResources } from '../../../src/delivery/routing/minimum-necessary.js';
import { pruneBundle } from '../../../src/delivery/routing/prune.js';
import { referencesIn, splitTransaction } from '../../../src/fhir/bundle.js';
import { validateBundleEntries } from '../../../src/fhir/validate.js';
import { ctpRecord } from '../../helpers/arbitraries.js';
import { testRuntime } from '../../helpers/runtime.js';
import { bundleValidator, internalKeys } from './prune-helpers.js';

const { pipeline } = testRuntime();
const validator = bundleValidator();

/** A generated record's Bundle, with a set of allowed types: the GP's default or any subset of what the Bundle holds. */
const bundleAndTypes = ctpRecord().chain((record) => {
  const bundle = pipeline.toBundle(record).bundle;
  if (bundle === undefined) throw new Error('a generated record did not map (see test/pipeline/round-trip.property.test.ts)');
  const present = [...new Set((bundle.entry ?? []).map((e) => e.resource!.resourceType))].sort();
  return fc.record({
    bundle: fc.constant(bundle),
    allowed: fc.oneof(fc.constant([...defaultResources('gp-practice')]), fc.subarray(present)),
  });
});

const entriesOf = (b: Bundle) => b.entry ?? [];
const SUPPORTING = ['Goal', 'Organization', 'Practitioner', 'PractitionerRole', 'RelatedPerson'];

describe('pruneBundle (properties over pont Bundles of generated records)', () => {
  it('keeps only allowed types; every internal reference kept resolves to a kept entry; the result validates and splits; pruning again changes nothing', () => {
    fc.assert(
      fc.property(bundleAndTypes, ({ bundle, allowed }) => {
        const input = structuredClone(bundle);
        const kept = pruneBundle(bundle, allowed);
        expect(bundle).toEqual(input);

        for (const e of entriesOf(kept)) expect(allowed).toContain(e.resource!.resourceType);

        const before = internalKeys(bundle);
        const after = internalKeys(kept);
        for (const e of entriesOf(kept)) {
          for (const reference of referencesIn(e.resource)) {
            // Internal in the input → must still resolve; external in the input → untouched and still external.
            if (before.has(reference)) expect(after.has(reference), `${e.resource!.resourceType} refers to ${reference}, which was left out`).toBe(true);
          }
        }

        // What exists to be referred to stays only while something kept still refers to it, or if nothing ever did.
        const referredBy = (b: Bundle, url: string) =>
          entriesOf(b).some((e) => e.resource!.resourceType !== 'Provenance' && e.fullUrl !== url && referencesIn(e.resource).includes(url));
        for (const e of entriesOf(kept)) {
          if (SUPPORTING.includes(e.resource!.resourceType)) expect(referredBy(kept, e.fullUrl!) || !referredBy(bundle, e.fullUrl!)).toBe(true);
        }

        expect(validateBundleEntries(validator, kept).filter((i) => i.severity === 'error' || i.severity === 'fatal')).toEqual([]);
        const parts = splitTransaction(kept, 8);
        expect(new Set(parts.flatMap((p) => entriesOf(p).map((e) => e.fullUrl)))).toEqual(new Set(entriesOf(kept).map((e) => e.fullUrl)));

        expect(pruneBundle(kept, allowed)).toEqual(kept);
      }),
      { numRuns: 30 },
    );
  });

  it('with every type allowed gives back the Bundle it was given', () => {
    fc.assert(
      fc.property(bundleAndTypes, ({ bundle }) => {
        expect(pruneBundle(bundle, DELIVERABLE_TYPES)).toEqual(bundle);
      }),
      { numRuns: 10 },
    );
  });
});
