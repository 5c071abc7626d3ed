/**
 * pruneBundle's lists of what cannot stand without its reference are the definitions' own: every
 * Reference element with min ≥ 1 in R4 (the types pont writes, and Consent, which sharing
 * decisions become) or in pont's profiles, and every required sub-extension of pont's extensions
 * that may hold a Reference. A profile that makes another reference required fails this test
 * until pruning knows it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ElementDefinition, StructureDefinition } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { DELIVERABLE_TYPES } from '../../../src/config/sync-config.schema.js';
import { REQUIRED_REFERENCES, REQUIRED_SUB_EXTENSIONS } from '../../../src/delivery/routing/prune.js';
import { r4Base } from '../../../src/fhir/r4-base.js';
import { ROOT } from '../../helpers/runtime.js';

const holdsReference = (e: ElementDefinition | undefined) => (e?.type ?? []).some((t) => t.code === 'Reference');

const profiles = readdirSync(join(ROOT, 'profiles'))
  .filter((f) => f.startsWith('StructureDefinition-') && f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(ROOT, 'profiles', f), 'utf8')) as StructureDefinition);

describe('the references pruning treats as required', () => {
  it('are the Reference elements with min ≥ 1 in R4 and in pont’s resource profiles', () => {
    const base = r4Base();
    const definitions = [...[...DELIVERABLE_TYPES, 'Consent'].map((t) => base.types.get(t)!), ...profiles.filter((p) => p.kind === 'resource')];
    // Inside an extension, a required value is the extension's own rule (ext-1, tested with REQUIRED_SUB_EXTENSIONS below).
    const inExtension = (path: string) => /\.(extension|modifierExtension)\./.test(path);
    const required = new Set(
      definitions.flatMap((sd) => (sd.snapshot?.element ?? []).filter((e) => (e.min ?? 0) >= 1 && holdsReference(e) && !inExtension(e.path!)).map((e) => e.path!)),
    );
    expect([...REQUIRED_REFERENCES].sort()).toEqual([...required].sort());
  });

  it('are the required sub-extensions of pont’s extensions that hold a Reference', () => {
    const required = new Map<string, string[]>();
    for (const sd of profiles.filter((p) => p.type === 'Extension')) {
      const byId = new Map((sd.snapshot?.element ?? []).map((e) => [e.id!, e]));
      for (const e of sd.snapshot?.element ?? []) {
        if (!/^Extension(\.extension:[^.]+)+$/.test(e.id!) || (e.min ?? 0) < 1 || !holdsReference(byId.get(`${e.id}.value[x]`))) continue;
        // Only slices directly under the extension are supported; a deeper one shows up here as a path with two slices.
        const key = e.id!.split('.').length === 2 ? sd.url! : `${sd.url} ${e.id}`;
        required.set(key, [...(required.get(key) ?? []), byId.get(`${e.id}.url`)?.fixedUri ?? e.sliceName!]);
      }
    }
    expect(Object.fromEntries(REQUIRED_SUB_EXTENSIONS)).toEqual(Object.fromEntries(required));
  });
});
