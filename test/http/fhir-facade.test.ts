/**
 * The FHIR facade served by express on 127.0.0.1 and read by a real client (fhir-kit-client), over
 * a real PostgreSQL filled with the example records run through the core and the message store.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bundle, CapabilityStatement, Resource } from '@medplum/fhirtypes';
import express from 'express';
import fc from 'fast-check';
import { Client } from 'fhir-kit-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFhirRouter } from '../../src/http/fhir/router.js';
import { migrate } from '../../src/store/migrations.js';
import { sqlResourceReader } from '../../src/store/resources.js';
import { type TestDatabase, testDatabase } from '../helpers/databases.js';
import { converted, ctpExample, storeRecord } from '../helpers/served-store.js';

const EXAMPLES = ['adult-all-eight-areas', 'carers-declined-copies', 'child-with-parents', 'part3-self-referral', 'plan-not-agreed', 'revised-plan-after-review'];
const adultBundle = converted(ctpExample('adult-all-eight-areas')).bundle;
const adultIdOf = (type: string) => adultBundle.entry!.find((e) => e.resource?.resourceType === type)!.resource!.id!;
const adultPatient = adultBundle.entry!.find((e) => e.resource?.resourceType === 'Patient')!.fullUrl!.slice('urn:uuid:'.length);

/** Not made by the core from a record (measures are reported elsewhere): one, synthetic, so the type has data to search. */
const measureReport = {
  resourceType: 'MeasureReport',
  id: '5d0f7c9e-0b1a-4c59-9f8e-3a1f3c2b7e10',
  identifier: [{ system: 'https://fhir.pont.wales/Id/measure-report', value: 'mr-test-1' }],
  status: 'complete',
  type: 'individual',
  measure: 'https://fhir.pont.wales/Measure/ctp-within-6-weeks',
  subject: { reference: `urn:uuid:${adultPatient}` },
  date: '2025-12-01T00:00:00Z',
  period: { start: '2025-01-01', end: '2025-12-31' },
} as Resource;

/** The core's CareTeams carry no identifier or category: one that does, synthetic, so those parameters have data. */
const careTeam = {
  resourceType: 'CareTeam',
  id: '0c3f2a64-7d3e-4d8b-a4e4-5b9e2f0d1c22',
  identifier: [{ system: 'https://fhir.pont.wales/Id/care-team', value: 'ct-test-1' }],
  status: 'active',
  category: [{ coding: [{ system: 'http://loinc.org', code: 'LA27976-2' }] }],
  subject: { reference: `urn:uuid:${adultPatient}` },
  period: { start: '2025-01-13' },
} as Resource;

/** No example holds a waiting list: a place on one, synthetic, so ServiceRequest's category has data. */
const waitingPlace = {
  resourceType: 'ServiceRequest',
  id: '5d1c7e2a-3b4f-4c6d-9e8f-0a1b2c3d4e5f',
  identifier: [{ system: 'https://fhir.pont.wales/Id/local/pont-test', value: 'wait-test-1' }],
  status: 'active',
  intent: 'order',
  category: [{ coding: [{ system: 'https://fhir.pont.wales/CodeSystem/pont-waiting-list-kind', code: 'cpn' }] }],
  subject: { reference: `urn:uuid:${adultPatient}` },
  authoredOn: '2025-02-01',
} as Resource;

describe('the FHIR facade', () => {
  let t: TestDatabase;
  let server: Server;
  let base: string;
  let client: Client;

  beforeAll(async () => {
    t = await testDatabase('postgres');
    await migrate(t.db);
    for (const name of EXAMPLES)
      await storeRecord(
        t.db,
        ctpExample(name),
        name === 'adult-all-eight-areas'
          ? [
              { fullUrl: `urn:uuid:${measureReport.id}`, resource: measureReport },
              { fullUrl: `urn:uuid:${careTeam.id}`, resource: careTeam },
              { fullUrl: `urn:uuid:${waitingPlace.id}`, resource: waitingPlace },
            ]
          : [],
      );
    const resources = sqlResourceReader(t.db);
    const app = express();
    app.use('/fhir', createFhirRouter({ resources, scope: () => ({ kind: 'all' }), pageSize: { default: 10, max: 50 } }));
    app.use('/gp/fhir', createFhirRouter({ resources, scope: () => ({ kind: 'registered-at', practiceOds: 'W99001' }) }));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = new Client({ baseUrl: `${base}/fhir` });
  }, 120_000);

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await t?.dispose();
  });

  /** Every match, page after page through the next links. */
  async function searchAll(type: string, searchParams: Record<string, string | number> = {}, c: Client = client): Promise<{ ids: string[]; pages: number; total?: number }> {
    let page = (await c.search({ resourceType: type, searchParams })) as unknown as Bundle;
    const total = page.total;
    const ids: string[] = [];
    let pages = 0;
    for (;;) {
      pages++;
      ids.push(...(page.entry ?? []).map((e) => e.resource!.id!));
      const next = c.nextPage({ bundle: page as never });
      if (next === undefined) break;
      page = (await next) as unknown as Bundle;
    }
    return { ids, pages, ...(total === undefined ? {} : { total }) };
  }
  const column = async (sql: string, params: unknown[] = []) => (await t.db.query<Record<string, unknown>>(sql, params)).rows;

  it('reads, vreads and gives the history of a resource, with ETag and Last-Modified', async () => {
    const plan = (await client.read({ resourceType: 'CarePlan', id: adultIdOf('CarePlan') })) as unknown as Resource;
    expect(plan.resourceType).toBe('CarePlan');
    expect(plan.meta?.versionId).toBe('1');
    const again = (await client.vread({ resourceType: 'CarePlan', id: adultIdOf('CarePlan'), version: '1' })) as unknown as Resource;
    expect(again).toEqual(plan);
    const history = (await client.resourceHistory({ resourceType: 'CarePlan', id: adultIdOf('CarePlan') })) as unknown as Bundle;
    expect(history.type).toBe('history');
    expect(history.entry?.map((e) => e.response?.etag)).toEqual(['W/"1"']);
    const response = await fetch(`${base}/fhir/CarePlan/${adultIdOf('CarePlan')}`);
    expect(response.headers.get('etag')).toBe('W/"1"');
    expect(response.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    expect(new Date(response.headers.get('last-modified')!).getTime()).toBe(Math.floor(Date.parse(plan.meta!.lastUpdated!) / 1000) * 1000);
  });

  it('answers If-None-Match with the current ETag by 304, and another by the resource', async () => {
    const url = `${base}/fhir/Patient/${adultPatient}`;
    expect((await fetch(url, { headers: { 'If-None-Match': 'W/"1"' } })).status).toBe(304);
    const stale = await fetch(url, { headers: { 'If-None-Match': 'W/"9"' } });
    expect(stale.status).toBe(200);
    expect(((await stale.json()) as Resource).id).toBe(adultPatient);
  });

  it('answers unknown ids, types and versions by 404 OperationOutcomes', async () => {
    for (const path of ['CarePlan/no-such-plan', 'Basic/x', `CarePlan/${adultIdOf('CarePlan')}/_history/7`, 'Practitioner/x']) {
      const r = await fetch(`${base}/fhir/${path}`);
      expect(r.status, path).toBe(404);
      expect(((await r.json()) as Resource).resourceType).toBe('OperationOutcome');
    }
  });

  it('searches by each common parameter, with the values of the example records', async () => {
    const plan = adultIdOf('CarePlan');
    expect((await searchAll('CarePlan', { patient: `Patient/${adultPatient}` })).ids).toEqual([plan]);
    expect((await searchAll('CarePlan', { patient: adultPatient })).ids).toEqual([plan]);
    expect((await searchAll('CarePlan', { _id: plan })).ids).toEqual([plan]);
    expect((await searchAll('Patient', { identifier: 'https://fhir.nhs.uk/Id/nhs-number|9993847127' })).ids).toEqual([adultPatient]);
    expect((await searchAll('Patient', { identifier: '9993847127' })).ids).toEqual([adultPatient]);
    expect((await searchAll('Patient', { identifier: 'https://fhir.nhs.uk/Id/other|9993847127' })).ids).toEqual([]);
    const episode = adultIdOf('EpisodeOfCare');
    expect((await searchAll('EpisodeOfCare', { identifier: 'https://fhir.pont.wales/Id/local/pont-example|ep-cmht-2025' })).ids).toContain(episode);
    const active = await searchAll('CarePlan', { status: 'active' });
    expect(active.ids).toContain(plan);
    expect((await searchAll('CarePlan', { status: 'revoked' })).ids).not.toContain(plan);
    expect((await searchAll('CarePlan', { category: 'http://snomed.info/sct|718347000' })).ids).toContain(plan);
    expect((await searchAll('CarePlan', { category: '718347000' })).ids).toContain(plan);
    expect((await searchAll('CarePlan', { date: 'ge2025-02-11' })).ids).toContain(plan); // period starts 2025-02-11, open end
    expect((await searchAll('CarePlan', { date: 'lt2025-02-11' })).ids).not.toContain(plan);
    expect((await searchAll('CarePlan', { date: 'le2025-02-11' })).ids).toContain(plan);
    // The adult's inpatient stay: 2025-01-20 to 2025-02-14.
    const stay = adultIdOf('Encounter');
    expect((await searchAll('Encounter', { date: 'eq2025', _count: 50 })).ids).toContain(stay);
    expect((await searchAll('Encounter', { date: 'eq2025-01-20', _count: 50 })).ids).not.toContain(stay);
    expect((await searchAll('Encounter', { date: 'gt2025-02-14', _count: 50 })).ids).not.toContain(stay);
    expect((await searchAll('Encounter', { date: 'gt2025-02-13', _count: 50 })).ids).toContain(stay);
    expect((await searchAll('Encounter', { organization: '7A4' })).ids.length).toBeGreaterThan(0);
    expect((await searchAll('Encounter', { organisation: 'https://fhir.nhs.uk/Id/ods-organization-code|7A4' })).ids).toEqual(
      (await searchAll('Encounter', { organization: '7A4' })).ids,
    );
    const lastUpdated = (await column("select max(last_updated) as t from pont_fhir_resource where resource_type = 'CarePlan'"))[0]!.t as Date;
    expect((await searchAll('CarePlan', { _lastUpdated: `gt${new Date(lastUpdated.getTime() + 1000).toISOString()}` })).ids).toEqual([]);
    expect((await searchAll('CarePlan', { _lastUpdated: `le${new Date(lastUpdated.getTime() + 1000).toISOString()}` })).ids).toEqual(
      (await searchAll('CarePlan', { _count: 50 })).ids,
    );
    expect((await searchAll('MeasureReport', { patient: adultPatient, status: 'complete' })).ids).toEqual([measureReport.id]);
  });

  it('pages through every match once, whatever _count, following next links with the client', async () => {
    const full = await searchAll('Encounter', { _count: 50 });
    expect(full.total).toBe(full.ids.length);
    expect(full.ids.length).toBeGreaterThan(20);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 17 }), fc.constantFrom('Encounter', 'Goal', 'Communication', 'Organization'), async (count, type) => {
        if (type === 'Organization') return; // not served: see the 404 test
        const all = await searchAll(type, { _count: 50 });
        const paged = await searchAll(type, { _count: count });
        expect(paged.ids).toEqual(all.ids);
        expect(new Set(paged.ids).size).toBe(paged.ids.length);
        expect(paged.pages).toBe(Math.max(1, Math.ceil(all.ids.length / count)));
      }),
      { numRuns: 12 },
    );
  });

  it('limits a GP practice to its registered patients', async () => {
    const gp = new Client({ baseUrl: `${base}/gp/fhir` });
    const plans = await searchAll('CarePlan', {}, gp);
    expect(plans.ids).toEqual([adultIdOf('CarePlan')]);
    const others = (await searchAll('CarePlan')).ids.filter((id) => id !== adultIdOf('CarePlan'));
    expect((await fetch(`${base}/gp/fhir/CarePlan/${others[0]}`)).status).toBe(404);
    expect((await fetch(`${base}/gp/fhir/CarePlan/${adultIdOf('CarePlan')}`)).status).toBe(200);
  });

  it('refuses an unknown parameter by naming it, unless lenient handling is asked for', async () => {
    const r = await fetch(`${base}/fhir/CarePlan?subject=Patient/x`);
    expect(r.status).toBe(400);
    const outcome = (await r.json()) as { issue: { diagnostics: string }[] };
    expect(outcome.issue[0]!.diagnostics).toContain('"subject"');
    expect((await fetch(`${base}/fhir/Patient?status=active`)).status).toBe(400); // not a Patient parameter here
    expect((await fetch(`${base}/fhir/CarePlan?date=sa2025`)).status).toBe(400);
    expect((await fetch(`${base}/fhir/CarePlan?status:not=active`)).status).toBe(400);
    const lenient = await fetch(`${base}/fhir/CarePlan?subject=Patient/x&status=active`, { headers: { Prefer: 'handling=lenient' } });
    expect(lenient.status).toBe(200);
    const bundle = (await lenient.json()) as Bundle;
    expect(bundle.link?.[0]?.url).not.toContain('subject');
  });

  it('is read-only (405 naming GET), answers in JSON only (406), and takes POST _search as a form (415 otherwise)', async () => {
    for (const [method, path] of [
      ['PUT', `CarePlan/${adultIdOf('CarePlan')}`],
      ['DELETE', `CarePlan/${adultIdOf('CarePlan')}`],
      ['POST', 'CarePlan'],
      ['PATCH', `CarePlan/${adultIdOf('CarePlan')}`],
      ['POST', ''],
    ] as const) {
      const r = await fetch(`${base}/fhir/${path}`, { method, headers: { 'Content-Type': 'application/fhir+json' }, body: '{}' });
      expect(r.status, `${method} ${path}`).toBe(405);
      expect(r.headers.get('allow')).toBe('GET');
      expect(((await r.json()) as Resource).resourceType).toBe('OperationOutcome');
    }
    expect((await fetch(`${base}/fhir/CarePlan`, { headers: { Accept: 'application/fhir+xml' } })).status).toBe(406);
    expect((await fetch(`${base}/fhir/CarePlan?_format=xml`)).status).toBe(406);
    const json = await fetch(`${base}/fhir/CarePlan?_format=application/json`);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    const posted = await fetch(`${base}/fhir/CarePlan/_search`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `patient=${adultPatient}`,
    });
    expect(((await posted.json()) as Bundle).entry?.map((e) => e.resource?.id)).toEqual([adultIdOf('CarePlan')]);
    expect((await fetch(`${base}/fhir/CarePlan/_search`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(415);
  });

  it('advertises in its CapabilityStatement only search parameters that work, for every type it serves', async () => {
    const statement = (await client.capabilityStatement()) as unknown as CapabilityStatement;
    const resources = statement.rest![0]!.resource!;
    expect(resources.map((r) => r.type).sort()).toEqual(
      ['CarePlan', 'CareTeam', 'Communication', 'Condition', 'Encounter', 'EpisodeOfCare', 'Goal', 'MeasureReport', 'Patient', 'Provenance', 'ServiceRequest'].sort(),
    );
    // For each parameter: a resource that has a value for it, found by that value, and not by one no resource has.
    const has: Record<string, string> = {
      _id: 'true',
      _lastUpdated: 'true',
      patient: 'patient_id is not null',
      identifier: 'cardinality(identifiers) > 0',
      status: 'status is not null',
      category: 'cardinality(categories) > 0',
      date: "date_start > '-infinity'",
      organization: 'cardinality(organizations) > 0',
    };
    const misses: Record<string, string> = {
      _id: 'nobody',
      _lastUpdated: 'gt2999-01-01',
      patient: 'Patient/nobody',
      identifier: 'urn:nowhere|nothing',
      status: 'no-such-status',
      category: 'urn:nowhere|nothing',
      date: 'lt1800-01-01',
      organization: 'NOSUCH',
    };
    for (const resource of resources) {
      const type = resource.type!;
      for (const param of resource.searchParam ?? []) {
        const name = param.name!;
        expect(has[name], `${type}.${name} is a parameter this test knows`).toBeDefined();
        const row = (
          await column(
            `select id, last_updated, patient_id, identifiers, status, categories, organizations, date_start from pont_fhir_resource
              where resource_type = $1 and not deleted and ${has[name]} order by id limit 1`,
            [type],
          )
        )[0];
        expect(row, `some ${type} has a value for ${name}`).toBeDefined();
        const value: Record<string, () => string> = {
          _id: () => row!.id as string,
          _lastUpdated: () => `ge${new Date((row!.last_updated as Date).getTime() - 1).toISOString()}`,
          patient: () => `Patient/${row!.patient_id}`,
          identifier: () => (row!.identifiers as string[])[0]!,
          status: () => row!.status as string,
          category: () => (row!.categories as string[])[0]!,
          date: () => `ge${(row!.date_start as Date).toISOString()}`,
          organization: () => (row!.organizations as string[])[0]!,
        };
        expect((await searchAll(type, { [name]: value[name]!(), _count: 50 })).ids, `${type}?${name}=…`).toContain(row!.id);
        expect((await searchAll(type, { [name]: misses[name]!, _count: 50 })).ids, `${type}?${name}=(no match)`).not.toContain(row!.id);
      }
    }
  });
});
