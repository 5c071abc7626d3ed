/**
 * splitTransaction: a Bundle split into a series of smaller transactions says the same as the
 * whole, within every Bundle's size, with every reference resolvable where it is sent.
 * Properties over generated Bundles (random reference graphs, cycles and conditional entries
 * included) and over every example's Bundle.
 */
import type { Bundle, BundleEntry } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors/errors.js';
import { referencesIn as references, splitTransaction } from '../../src/fhir/bundle.js';
import { exampleFiles, testRuntime } from '../helpers/runtime.js';

type Json = Record<string, unknown>;

/** Every reference replaced by the identity of what it points to (`Type/id` of a plain update, or the conditional URL). */
function resolved(value: unknown, resolve: (reference: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => resolved(v, resolve));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'reference' && typeof v === 'string' ? resolve(v) : resolved(v, resolve)]));
}

/** What a series of transactions says: each entry's request URL and resource, references resolved, in the order first sent. */
function meaning(series: readonly Bundle[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const bundle of series) {
    const local = new Map((bundle.entry ?? []).map((e) => [e.fullUrl!, e.request!.url]));
    for (const e of bundle.entry ?? []) {
      const value = resolved(e.resource, (r) => local.get(r) ?? r);
      const seen = out.get(e.request!.url);
      if (seen !== undefined) expect(value, `${e.request!.url} sent twice with different content`).toEqual(seen);
      else out.set(e.request!.url, value);
    }
  }
  return out;
}

function checkSeries(whole: Bundle, series: Bundle[], max: number): void {
  const entries = whole.entry ?? [];
  const conditional = new Set(entries.filter((e) => e.request!.url.includes('?')).map((e) => e.request!.url));
  const plainUrls = new Set(entries.filter((e) => !e.request!.url.includes('?')).map((e) => e.request!.url));
  expect(series.length).toBeGreaterThanOrEqual(Math.ceil(entries.length / max));
  const allFullUrls = new Set(entries.map((e) => e.fullUrl));
  const plainSent: string[] = [];
  for (const bundle of series) {
    expect(bundle.type).toBe('transaction');
    expect(bundle.entry!.length).toBeLessThanOrEqual(max);
    const urls = bundle.entry!.map((e) => e.request!.url);
    expect(new Set(urls).size).toBe(urls.length);
    const fullUrls = new Set(bundle.entry!.map((e) => e.fullUrl));
    for (const e of bundle.entry!) {
      if (!conditional.has(e.request!.url)) plainSent.push(e.request!.url);
      for (const r of references(e.resource)) {
        // A urn:uuid resolves inside its own Bundle; anything else is the stable id of a plain update.
        if (r.startsWith('urn:uuid:')) expect(fullUrls.has(r), `${r} outside its Bundle`).toBe(true);
        else expect(plainUrls.has(r) || !allFullUrls.has(r), `${r} is neither in its Bundle nor a stable id`).toBe(true);
      }
    }
  }
  // Every plain update is sent exactly once; conditional ones at least once.
  expect(plainSent.sort()).toEqual([...plainUrls].sort());
  expect(meaning(series)).toEqual(meaning([whole]));
}

/** A generated transaction Bundle: n entries, some conditional, with references among them (cycles allowed). */
const bundles = fc
  .integer({ min: 1, max: 30 })
  .chain((n) =>
    fc.record({
      conditional: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      refs: fc.array(fc.uniqueArray(fc.nat(n - 1), { maxLength: 4 }), { minLength: n, maxLength: n }),
    }),
  )
  .map(({ conditional, refs }): Bundle => {
    const uuid = (i: number) => `00000000-0000-5000-8000-${String(i).padStart(12, '0')}`;
    const entry = (i: number): BundleEntry => {
      const url = conditional[i] ? `Patient?identifier=https://example.org/id|${i}` : `Observation/${uuid(i)}`;
      const resource: Json = conditional[i] ? { resourceType: 'Patient' } : { resourceType: 'Observation', id: uuid(i) };
      resource.extension = refs[i]!.filter((t) => t !== i).map((t) => ({ url: 'https://example.org/ref', valueReference: { reference: `urn:uuid:${uuid(t)}` } }));
      return { fullUrl: `urn:uuid:${uuid(i)}`, resource: resource as never, request: { method: 'PUT', url } };
    };
    return { resourceType: 'Bundle', type: 'transaction', entry: conditional.map((_, i) => entry(i)) };
  });

describe('splitTransaction', () => {
  it('leaves a Bundle within the limit as it is', () => {
    fc.assert(
      fc.property(bundles, (bundle) => {
        expect(splitTransaction(bundle, bundle.entry!.length)).toEqual([bundle]);
      }),
    );
  });

  it('splits any Bundle into transactions within the limit that say the same, or says the limit is too small', () => {
    let split = 0;
    fc.assert(
      fc.property(bundles, fc.integer({ min: 1, max: 12 }), (bundle, max) => {
        let series: Bundle[];
        try {
          series = splitTransaction(bundle, max);
        } catch (err) {
          expect(err).toBeInstanceOf(UsageError);
          const needed = Number(/allow at least (\d+)$/.exec((err as Error).message)?.[1]);
          expect(needed).toBeGreaterThan(max);
          return;
        }
        split++;
        checkSeries(bundle, series, max);
      }),
      { numRuns: 300 },
    );
    expect(split).toBeGreaterThan(100);
  });

  it('puts what is referred to in an earlier or the same Bundle when there are no cycles', () => {
    fc.assert(
      fc.property(bundles, fc.integer({ min: 3, max: 12 }), (generated, max) => {
        // Only backward references (to lower indices): no cycles.
        const bundle = structuredClone(generated);
        const idOf = (e: BundleEntry) => e.fullUrl!;
        bundle.entry!.forEach((e, i) => {
          const ext = ((e.resource as unknown as Json).extension as Json[]).filter(
            (x) => bundle.entry!.findIndex((o) => idOf(o) === (x.valueReference as Json).reference) < i,
          );
          (e.resource as unknown as Json).extension = ext;
        });
        let series: Bundle[];
        try {
          series = splitTransaction(bundle, max);
        } catch {
          return;
        }
        const firstSent = new Map<string, number>();
        series.forEach((b, k) => b.entry!.forEach((e) => firstSent.has(e.request!.url) || firstSent.set(e.request!.url, k)));
        bundle.entry!.forEach((e) => {
          for (const r of references(e.resource)) {
            const target = bundle.entry!.find((o) => o.fullUrl === r)!;
            expect(firstSent.get(target.request!.url)!).toBeLessThanOrEqual(firstSent.get(e.request!.url)!);
          }
        });
      }),
    );
  });

  it('refuses a limit below one', () => {
    const bundle: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: [] };
    for (const max of [0, -1, 1.5, Number.NaN]) expect(() => splitTransaction(bundle, max)).toThrow(UsageError);
  });

  it('splits every example’s Bundle at any limit from 8 (the real server’s, test/fhir-server) up, and says so below what a record needs', () => {
    const core = testRuntime();
    for (const e of exampleFiles()) {
      for (const r of core.convert([{ origin: e.path, source: e.source, text: e.text }])) {
        if (!r.bundle) continue;
        let fits = false;
        for (const max of [1, 2, 3, 4, 5, 6, 7, 8, 13, 50]) {
          let series: Bundle[];
          try {
            series = splitTransaction(r.bundle, max);
          } catch (err) {
            expect(err, `${e.path} at ${max}`).toBeInstanceOf(UsageError);
            expect(fits, `${e.path}: fits at a smaller limit than ${max}`).toBe(false);
            expect(max).toBeLessThan(8);
            continue;
          }
          fits = true;
          checkSeries(r.bundle, series, max);
        }
      }
    }
  });
});
