/**
 * The served FHIR resources kept beside the record versions (migration 5), on PGlite and on a real
 * PostgreSQL: filled from real example records through the core and the message store, as the
 * pipeline stores them.
 */

import type { BundleEntry } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PatientScope } from '../../src/ports/fhir-resources.js';
import { migrate } from '../../src/store/migrations.js';
import { sqlResourceReader } from '../../src/store/resources.js';
import { DATABASE_KINDS, type TestDatabase, testDatabase } from '../helpers/databases.js';
import { converted, ctpExample, extractedAt, type RecordJson, storeRecord } from '../helpers/served-store.js';

const ALL: PatientScope = { kind: 'all' };
const adult = ctpExample('adult-all-eight-areas');
const adultBundle = converted(adult).bundle;
const idOf = (type: string) => adultBundle.entry!.find((e) => e.resource?.resourceType === type)!.resource!.id!;
const patientId = adultBundle.entry!.find((e) => e.resource?.resourceType === 'Patient')!.fullUrl!.slice('urn:uuid:'.length);

/** The adult's record without its plan's last outcome (one Goal fewer). */
function withoutLastOutcome(json: RecordJson): RecordJson {
  const copy = structuredClone(json) as RecordJson & { plans: { outcomes: unknown[] }[] };
  copy.plans[0]!.outcomes = copy.plans[0]!.outcomes.slice(0, -1);
  return copy;
}

/** The same person's record from another source, with a local identifier of its own. */
function fromSource(json: RecordJson, system: string, localValue: string): RecordJson {
  const copy = structuredClone(json) as RecordJson & { patient: { localIdentifiers: { system: string; value: string }[] } };
  copy.source = { ...copy.source, system, recordId: `${system}-rec` };
  copy.patient.localIdentifiers = [{ system: `https://fhir.pont.wales/Id/${system}-number`, value: localValue }];
  return copy;
}

describe.each(DATABASE_KINDS)('served FHIR resources on %s', (kind) => {
  let t: TestDatabase;
  /** What is served now: each live resource and its content (a deleted one's last content depends on which versions were once current). */
  const state = async () =>
    (
      await t.db.query<{ k: string; h: string }>(
        "select resource_type || '/' || id as k, content_hash as h from pont_fhir_resource where not deleted order by resource_type, id",
      )
    ).rows.map((r) => `${r.k} ${r.h}`);

  beforeAll(async () => {
    t = await testDatabase(kind);
    await migrate(t.db);
  }, 60_000);
  afterAll(async () => t?.dispose());
  beforeEach(async () => {
    await t.db.query('truncate pont_fhir_resource, pont_fhir_resource_version, pont_fhir_contribution, pont_record_version, pont_message, pont_message_stage cascade');
  });

  it('serves each resource of the current version under Type/id, references rewritten, version 1', async () => {
    await storeRecord(t.db, adult);
    const reader = sqlResourceReader(t.db);
    const plan = await reader.read(ALL, 'CarePlan', idOf('CarePlan'));
    expect(plan.status).toBe('found');
    if (plan.status !== 'found') return;
    expect(plan.version.versionId).toBe(1);
    expect(plan.version.resource.meta?.versionId).toBe('1');
    expect(JSON.stringify(plan.version.resource)).not.toContain('urn:uuid:');
    expect(JSON.stringify(plan.version.resource)).toContain(`"Patient/${patientId}"`);
    expect((await reader.read(ALL, 'Patient', patientId)).status).toBe('found');
    const { rows } = await t.db.query<{ n: string }>('select count(*) as n from pont_fhir_resource');
    expect(Number(rows[0]!.n)).toBe(adultBundle.entry!.length);
  });

  it('keeps the version of a resource whose content is unchanged, and adds one where it changed', async () => {
    await storeRecord(t.db, adult);
    const versions = async () =>
      new Map(
        (await t.db.query<{ k: string; v: number }>("select resource_type || '/' || id as k, version_id as v from pont_fhir_resource")).rows.map((r) => [r.k, Number(r.v)]),
      );
    // Extracted again, unchanged: only the Provenance (recorded = the extraction time) changes.
    await storeRecord(t.db, extractedAt(adult, '2025-11-21T08:15:00Z'));
    const second = await versions();
    expect([...second].filter(([, v]) => v !== 1)).toEqual([[`Provenance/${idOf('Provenance')}`, 2]]);
    // One goal's description changed: that Goal gets version 2; a Condition, untouched, stays at 1.
    const changed = extractedAt(adult, '2025-11-22T08:15:00Z') as RecordJson & { plans: { outcomes: { id: string; description: string }[] }[] };
    changed.plans[0]!.outcomes[0]!.description = 'A settled home, with the arrears cleared';
    await storeRecord(t.db, changed);
    const third = await versions();
    const goal = converted(changed).bundle.entry!.find((e) => e.resource?.resourceType === 'Goal' && JSON.stringify(e.resource).includes('arrears cleared'))!.resource!;
    expect(third.get(`Goal/${goal.id}`)).toBe(2);
    expect(third.get(`Condition/${idOf('Condition')}`)).toBe(1);
    expect(third.get(`Provenance/${idOf('Provenance')}`)).toBe(3);
    const history = await sqlResourceReader(t.db).history(ALL, 'Goal', goal.id!, { count: 1 });
    expect(history?.versions.map((v) => v.versionId)).toEqual([2]);
    expect(history?.next).toBeDefined();
    const older = await sqlResourceReader(t.db).history(ALL, 'Goal', goal.id!, { count: 1, cursor: history!.next! });
    expect(older?.versions.map((v) => v.versionId)).toEqual([1]);
    expect(older?.next).toBeUndefined();
    expect(older?.versions[0]?.deleted).toBe(false);
    expect(JSON.stringify(older?.versions[0])).not.toContain('arrears cleared');
    expect(JSON.stringify(history?.versions[0])).toContain('arrears cleared');
    // Each version's content is stored once: the current version's in the current row only.
    const copies = await t.db.query<{ n: string }>(
      'select count(*) as n from pont_fhir_resource_version v join pont_fhir_resource s using (resource_type, id) where v.version_id = s.version_id and v.resource is not null',
    );
    expect(Number(copies.rows[0]!.n)).toBe(0);
  });

  it('lets no older version stored out of order overwrite newer resources', async () => {
    const newer = extractedAt(withoutLastOutcome(adult), '2025-12-01T00:00:00Z');
    await storeRecord(t.db, newer);
    const expected = await state();
    await storeRecord(t.db, extractedAt(adult, '2025-11-01T00:00:00Z'));
    expect(await state()).toEqual(expected);
    const history = await t.db.query<{ n: string }>('select count(*) as n from pont_fhir_resource_version where version_id > 1');
    expect(Number(history.rows[0]!.n)).toBe(0);
  });

  it('deletes a resource the new current version dropped: gone from search, its versions still readable, back when it returns', async () => {
    await storeRecord(t.db, adult);
    const reader = sqlResourceReader(t.db);
    const goalsBefore = (await reader.search(ALL, { resourceType: 'Goal', criteria: { clauses: [] }, count: 100, total: false })).resources.map((g) => g.id);
    await storeRecord(t.db, extractedAt(withoutLastOutcome(adult), '2025-12-01T00:00:00Z'));
    const goalsAfter = (await reader.search(ALL, { resourceType: 'Goal', criteria: { clauses: [] }, count: 100, total: false })).resources.map((g) => g.id);
    const dropped = goalsBefore.filter((g) => !goalsAfter.includes(g));
    expect(dropped).toHaveLength(1);
    const gone = await reader.read(ALL, 'Goal', dropped[0]!);
    expect(gone.status).toBe('deleted');
    expect((await reader.vread(ALL, 'Goal', dropped[0]!, 1)).status).toBe('found');
    expect((await reader.vread(ALL, 'Goal', dropped[0]!, 2)).status).toBe('deleted');
    const history = await reader.history(ALL, 'Goal', dropped[0]!, { count: 10 });
    expect(history?.versions.map((v) => [v.versionId, v.deleted])).toEqual([
      [2, true],
      [1, false],
    ]);
    await storeRecord(t.db, extractedAt(adult, '2025-12-02T00:00:00Z'));
    const back = await reader.read(ALL, 'Goal', dropped[0]!);
    expect(back.status === 'found' && back.version.versionId).toBe(3);
  });

  it('merges the shared Patient from every source, the same whatever order the versions arrive in', async () => {
    const versions = [
      extractedAt(adult, '2025-11-20T08:15:00Z'),
      extractedAt(fromSource(adult, 'epr-b', 'B-1'), '2025-11-22T08:15:00Z'),
      extractedAt(fromSource(adult, 'epr-c', 'C-1'), '2025-11-21T08:15:00Z'),
      extractedAt(withoutLastOutcome(adult), '2025-11-19T08:15:00Z'),
    ];
    let expected: string[] | undefined;
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(versions, { minLength: versions.length, maxLength: versions.length }), async (order) => {
        await t.db.query('truncate pont_fhir_resource, pont_fhir_resource_version, pont_fhir_contribution, pont_record_version, pont_message, pont_message_stage cascade');
        for (const v of order) await storeRecord(t.db, v);
        const now = await state();
        expected ??= now;
        expect(now).toEqual(expected);
        const patient = await sqlResourceReader(t.db).read(ALL, 'Patient', patientId);
        const systems = patient.status === 'found' ? (patient.version.resource as { identifier: { system: string }[] }).identifier.map((i) => i.system) : [];
        expect(systems).toEqual(
          expect.arrayContaining([
            'https://fhir.nhs.uk/Id/nhs-number',
            'https://fhir.pont.wales/Id/example-epr-number',
            'https://fhir.pont.wales/Id/epr-b-number',
            'https://fhir.pont.wales/Id/epr-c-number',
          ]),
        );
      }),
      { numRuns: kind === 'postgres' ? 6 : 4 },
    );
  }, 120_000);

  it("serves a resource several people hold as the newest person's copy, and the next newest when that person's record drops it", async () => {
    const copy = (family: string): BundleEntry => ({
      fullUrl: 'urn:uuid:5b1f9e0c-0d4e-4c53-9a35-2f1f3c9d0a11',
      resource: { resourceType: 'Practitioner', id: 'held-by-two', name: [{ family }] },
      request: { method: 'PUT', url: 'Practitioner/held-by-two' },
    });
    const child = ctpExample('child-with-parents');
    const served = async () => {
      const read = await sqlResourceReader(t.db).read(ALL, 'Practitioner', 'held-by-two');
      return read.status === 'found' ? [read.version.versionId, (read.version.resource as { name: { family: string }[] }).name[0]!.family] : [read.status];
    };
    await storeRecord(t.db, extractedAt(adult, '2025-12-01T00:00:00Z'), [copy('Newer')]);
    // An older copy stored later (another person's record) leaves the newer one served.
    await storeRecord(t.db, extractedAt(child, '2025-11-01T00:00:00Z'), [copy('Older')]);
    expect(await served()).toEqual([1, 'Newer']);
    // The newer copy's holder drops it: the older copy, kept only in its record version, is served.
    await storeRecord(t.db, extractedAt(adult, '2025-12-02T00:00:00Z'));
    expect(await served()).toEqual([2, 'Older']);
    // And back.
    await storeRecord(t.db, extractedAt(adult, '2025-12-03T00:00:00Z'), [copy('Newer')]);
    expect(await served()).toEqual([3, 'Newer']);
  });

  it('limits every read to the people registered at a GP practice, and shows nothing under no scope', async () => {
    await storeRecord(t.db, adult);
    await storeRecord(t.db, ctpExample('child-with-parents'));
    const reader = sqlResourceReader(t.db);
    const gp: PatientScope = { kind: 'registered-at', practiceOds: 'W99001' };
    const other: PatientScope = { kind: 'registered-at', practiceOds: 'W99002' };
    const plans = async (scope: PatientScope) => (await reader.search(scope, { resourceType: 'CarePlan', criteria: { clauses: [] }, count: 10, total: true })).resources;
    expect((await plans(ALL)).length).toBe(2);
    expect((await plans(gp)).map((p) => p.id)).toEqual([idOf('CarePlan')]);
    expect((await plans(other)).map((p) => p.id)).not.toContain(idOf('CarePlan'));
    expect(await plans({ kind: 'none' })).toEqual([]);
    expect((await reader.read(other, 'CarePlan', idOf('CarePlan'))).status).toBe('not-found');
    expect((await reader.vread(other, 'CarePlan', idOf('CarePlan'), 1)).status).toBe('not-found');
    expect(await reader.history(other, 'CarePlan', idOf('CarePlan'), { count: 5 })).toBeUndefined();
    expect((await reader.read(gp, 'Patient', patientId)).status).toBe('found');
    const streamed: string[] = [];
    for await (const r of reader.stream(gp, { batchSize: 7 })) streamed.push(`${r.resourceType}/${r.id}`);
    expect(streamed.some((k) => k === `CarePlan/${idOf('CarePlan')}`)).toBe(true);
    expect(streamed.every((k) => !k.startsWith('Organization/') && !k.startsWith('Practitioner/'))).toBe(true);
  });

  it('streams every current resource once, in key order, in batches, by type and since an instant', async () => {
    await storeRecord(t.db, adult);
    await storeRecord(t.db, ctpExample('part3-self-referral'));
    const reader = sqlResourceReader(t.db);
    const all: string[] = [];
    for await (const r of reader.stream(ALL, { batchSize: 5 })) all.push(`${r.resourceType}\u0000${r.id}`);
    const { rows } = await t.db.query<{ n: string }>('select count(*) as n from pont_fhir_resource where not deleted');
    expect(all).toHaveLength(Number(rows[0]!.n));
    expect([...all].sort()).toEqual(all);
    expect(new Set(all).size).toBe(all.length);
    const goals: string[] = [];
    for await (const r of reader.stream(ALL, { types: ['Goal', 'ServiceRequest'], batchSize: 3 })) goals.push(r.resourceType);
    expect(new Set(goals)).toEqual(new Set(['Goal', 'ServiceRequest']));
    const later: string[] = [];
    for await (const r of reader.stream(ALL, { since: new Date(Date.now() + 60_000) })) later.push(r.id);
    expect(later).toEqual([]);
  });
});
