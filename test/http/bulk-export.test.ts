/**
 * FHIR Bulk Data export (issue 10) served by express on 127.0.0.1 over PGlite and a real
 * PostgreSQL, filled with the example records run through the core and the message store:
 * kick-off, polling, manifest and NDJSON downloads, and the files read back by `pont check
 * --source fhir` into the records that were stored.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, Patient, Resource } from '@medplum/fhirtypes';
import express, { type Request } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportManifest } from '../../src/app/bulk-export.js';
import type { CheckResultJson } from '../../src/app/check-json.js';
import { run } from '../../src/cli/run.js';
import { StoreError } from '../../src/errors/errors.js';
import { EXPORT_TYPES, PERSON_TYPES, SUPPORTING_TYPES } from '../../src/fhir/export-types.js';
import { SERVED_TYPES } from '../../src/fhir/search-parameters.js';
import { servedResources } from '../../src/fhir/served-resources.js';
import { createBulkRouter } from '../../src/http/bulk/router.js';
import { createFhirRouter } from '../../src/http/fhir/router.js';
import type { PatientScope } from '../../src/ports/fhir-resources.js';
import { sqlExportJobStore } from '../../src/store/export-jobs.js';
import { sqlExportReader } from '../../src/store/export-reader.js';
import { migrate } from '../../src/store/migrations.js';
import { sqlResourceReader } from '../../src/store/resources.js';
import { DATABASE_KINDS, type TestDatabase, testDatabase } from '../helpers/databases.js';
import { closeServer, listenLocally } from '../helpers/listen.js';
import { ROOT, testRuntime } from '../helpers/runtime.js';
import { converted, ctpExample, extractedAt, type RecordJson, storeRecord } from '../helpers/served-store.js';
import { until } from '../helpers/wait.js';

const EXAMPLES = ['adult-all-eight-areas', 'carers-declined-copies', 'child-with-parents', 'part3-self-referral', 'plan-not-agreed', 'revised-plan-after-review'];
const ASYNC = { Prefer: 'respond-async', Accept: 'application/fhir+json' };
/** Parts of a few resources, so that a type with more is split. */
const PART_SIZE = 4;

/** Who calls: a client id and a scope, from test headers (authentication is not this router's). */
const clientOf = (req: Request) => req.get('x-client') ?? 'regulator';
const scopeOf = (req: Request): PatientScope => {
  const scope = req.get('x-scope') ?? 'all';
  return scope.startsWith('gp:') ? { kind: 'registered-at', practiceOds: scope.slice(3) } : scope === 'none' ? { kind: 'none' } : { kind: 'all' };
};

/** The keys (Type/id) of the resources the core makes of one example record. */
const keysOf = (name: string) => servedResources(converted(ctpExample(name)).bundle).items.map((i) => `${i.resourceType}/${i.id}`);
const patientOf = (name: string) => keysOf(name).find((k) => k.startsWith('Patient/'))!;

type CheckedRecord = CheckResultJson;

/** `pont check --format json` as a user runs it, with its exit code. */
async function pontCheckJson(args: readonly string[], asOf: string): Promise<{ outcome: { code: number }; results: CheckedRecord[] }> {
  let stdout = '';
  let stderr = '';
  const code = await run(['check', '--format', 'json', '--as-of', asOf, ...args], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) }, testRuntime);
  if (stdout === '') throw new Error(`pont check printed nothing (exit ${code}): ${stderr}`);
  return { outcome: { code }, results: JSON.parse(stdout) as CheckedRecord[] };
}

/** Its findings without where they are (their location, and the indexes of the places messages name), in one order. */
const findingsOf = (r: CheckedRecord) =>
  (r.compliance?.findings ?? []).map((f) => `${f.ruleId}/${f.check} ${f.result} ${f.severity}: ${f.message.replace(/\[\d+\]/g, '[]')}`).sort();

/** Its Bundle's entries by what they write, in one order. */
const entriesOf = (r: CheckedRecord) =>
  (r.bundle?.entry ?? []).map((e) => `${e.request?.method} ${e.resource?.resourceType} ${e.request?.url.includes('?') ? e.request.url : ''}`).sort();

/** A checked record's NHS number, from the Patient of the Bundle made of it. */
const recordIdOf = (r: CheckedRecord): string => {
  const patient = r.bundle?.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource as Patient | undefined;
  return patient?.identifier?.[0]?.value ?? `(no Patient in ${r.file})`;
};

describe.each(DATABASE_KINDS)('Bulk Data export on %s', (kind) => {
  let t: TestDatabase;
  let server: Server;
  let base: string;
  let backgroundErrors: unknown[];
  /** How far the router's clock is ahead of the real one. */
  let clockAhead = 0;

  beforeAll(async () => {
    t = await testDatabase(kind);
    await migrate(t.db);
    for (const name of EXAMPLES) await storeRecord(t.db, ctpExample(name));
    backgroundErrors = [];
    const app = express();
    app.use(
      '/fhir',
      createBulkRouter({
        jobs: sqlExportJobStore(t.db),
        reader: sqlExportReader(t.db),
        scope: scopeOf,
        clientId: clientOf,
        partSize: PART_SIZE,
        batchSize: 3,
        onBackgroundError: (err) => backgroundErrors.push(err),
        now: () => new Date(Date.now() + clockAhead),
      }),
    );
    app.use('/fhir', createFhirRouter({ resources: sqlResourceReader(t.db), scope: scopeOf }));
    let origin: string;
    ({ server, origin } = await listenLocally(app));
    base = `${origin}/fhir`;
  }, 120_000);

  afterAll(async () => {
    await closeServer(server);
    await t?.dispose();
    expect(backgroundErrors).toEqual([]);
  });

  const kickOff = (path: string, headers: Record<string, string> = {}, init: RequestInit = {}) =>
    fetch(`${base}/${path}`, { ...init, headers: { ...ASYNC, ...headers, ...(init.headers as Record<string, string> | undefined) } });

  /** Polls the status URL until the manifest comes. */
  async function manifestOf(statusUrl: string, headers: Record<string, string> = {}): Promise<ExportManifest> {
    const done = await until(
      () => fetch(statusUrl, { headers }),
      (r) => r.status !== 202,
    );
    expect(done.status).toBe(200);
    expect(done.headers.get('content-type')).toMatch(/^application\/json/);
    return (await done.json()) as ExportManifest;
  }

  /** Kick-off, poll and download every file: each file's lines parsed. */
  async function exportAll(path: string, headers: Record<string, string> = {}) {
    const kick = await kickOff(path, headers);
    expect(kick.status, await kick.clone().text()).toBe(202);
    const statusUrl = kick.headers.get('content-location')!;
    expect(statusUrl).toMatch(new RegExp(`^${base.replaceAll('.', '\\.')}/\\$export-status/[0-9a-f-]{36}$`));
    const manifest = await manifestOf(statusUrl, headers);
    const files = new Map<string, Resource[]>();
    for (const output of manifest.output) {
      const response = await fetch(output.url, { headers });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/fhir\+ndjson/);
      const text = await response.text();
      expect(text.endsWith('\n')).toBe(true);
      const lines = text.slice(0, -1).split('\n');
      files.set(
        output.url,
        lines.map((l) => JSON.parse(l) as Resource),
      );
    }
    const resources = [...files.values()].flat();
    return { manifest, files, resources, statusUrl, keys: resources.map((r) => `${r.resourceType}/${r.id}`) };
  }

  it('exports every stored resource, each as the facade serves it', async () => {
    const { manifest, files, resources, keys } = await exportAll('$export');
    expect(manifest.requiresAccessToken).toBe(true);
    expect(manifest.error).toEqual([]);
    expect(manifest.request).toBe(`${base}/$export`);
    expect(Date.parse(manifest.transactionTime)).toBeLessThanOrEqual(Date.now());
    // every file's count is its lines', each file one type, a type in parts of PART_SIZE in id order
    for (const output of manifest.output) {
      const lines = files.get(output.url)!;
      expect(lines.length).toBe(output.count);
      expect(new Set(lines.map((r) => r.resourceType))).toEqual(new Set([output.type]));
      expect(output.count).toBeLessThanOrEqual(PART_SIZE);
    }
    expect(manifest.output.some((o) => /\.2\.ndjson$/.test(o.url))).toBe(true);
    // exactly what is served, once each
    const stored = (await t.db.query<{ k: string }>("select resource_type || '/' || id as k from pont_fhir_resource where not deleted")).rows.map((r) => r.k);
    expect([...keys].sort()).toEqual([...stored].sort());
    expect(new Set(keys).size).toBe(keys.length);
    const reader = sqlResourceReader(t.db);
    for (const r of resources.filter((x) => x.resourceType === 'CarePlan' || x.resourceType === 'Patient')) {
      const read = await reader.read({ kind: 'all' }, r.resourceType, r.id!);
      expect(read.status === 'found' && read.version.resource).toEqual(r);
    }
  });

  it('writes files that `pont check --source fhir` reads back into the records stored: the same findings and the same writes', async () => {
    const { manifest, files } = await exportAll('$export');
    const dir = mkdtempSync(join(tmpdir(), 'pont-bulk-'));
    const paths = manifest.output.map((o) => {
      const path = join(dir, o.url.slice(o.url.lastIndexOf('/') + 1));
      writeFileSync(
        path,
        files
          .get(o.url)!
          .map((r) => `${JSON.stringify(r)}\n`)
          .join(''),
      );
      return path;
    });
    const asOf = '2026-01-31';
    const fromExport = await pontCheckJson(['--source', 'fhir', ...paths], asOf);
    const fromSource = await pontCheckJson(
      EXAMPLES.map((name) => join(ROOT, 'examples', 'ctp', `${name}.json`)),
      asOf,
    );
    expect(fromExport.outcome).toEqual(fromSource.outcome); // the examples include plans that fail rules: exit 1 both ways
    expect(fromExport.results).toHaveLength(EXAMPLES.length);
    const byRecordId = (results: CheckedRecord[]) => new Map(results.map((r) => [recordIdOf(r), r]));
    const source = byRecordId(fromSource.results);
    for (const [id, back] of byRecordId(fromExport.results)) {
      const original = source.get(id)!;
      // The files hold each type in id order, so lists in the record (copies, organisations) come
      // back in another order: the same findings, at the indexes of the order read.
      expect(findingsOf(back), id).toEqual(findingsOf(original));
      expect(back.compliance?.counts, id).toEqual(original.compliance?.counts);
      expect(entriesOf(back), id).toEqual(entriesOf(original));
    }
    expect([...byRecordId(fromExport.results).keys()].sort()).toEqual([...source.keys()].sort());
  });

  it('exports only the types asked for, from a POSTed Parameters resource as from the query', async () => {
    const { manifest } = await exportAll('$export?_type=CarePlan,Goal&_outputFormat=application%2Ffhir%2Bndjson');
    expect(new Set(manifest.output.map((o) => o.type))).toEqual(new Set(['CarePlan', 'Goal']));
    const kick = await kickOff(
      '$export',
      { 'Content-Type': 'application/fhir+json' },
      {
        method: 'POST',
        body: JSON.stringify({
          resourceType: 'Parameters',
          parameter: [
            { name: '_type', valueString: 'CarePlan' },
            { name: '_outputFormat', valueString: 'ndjson' },
          ],
        }),
      },
    );
    expect(kick.status).toBe(202);
    const posted = await manifestOf(kick.headers.get('content-location')!);
    expect(new Set(posted.output.map((o) => o.type))).toEqual(new Set(['CarePlan']));
    const plans = Number((await t.db.query<{ n: string }>("select count(*) as n from pont_fhir_resource where resource_type = 'CarePlan' and not deleted")).rows[0]!.n);
    expect(posted.output.reduce((n, o) => n + o.count, 0)).toBe(plans);
  });

  it('exports a GP practice group, and a GP system’s Patient export, as that practice’s people with the staff and organisations they refer to', async () => {
    const adult = new Set(keysOf('adult-all-eight-areas'));
    for (const [path, headers] of [
      ['Group/W99001/$export', {}],
      ['Group/w99001/$export', {}],
      ['Patient/$export', { 'x-scope': 'gp:W99001', 'x-client': 'gp-system' }],
    ] as const) {
      const { keys } = await exportAll(path, headers);
      expect(keys.length).toBeGreaterThan(0);
      // the adult's resources only (a shared Organization is the adult's too), and every one of them
      expect(
        keys.filter((k) => !adult.has(k)),
        path,
      ).toEqual([]);
      expect(
        [...adult].filter((k) => !keys.includes(k)),
        path,
      ).toEqual([]);
    }
  });

  it('exports a health board group: the people its organisations manage an episode of care for', async () => {
    const { keys } = await exportAll('Group/7A2/$export?_type=Patient,EpisodeOfCare');
    expect(keys.sort()).toEqual(
      keysOf('part3-self-referral')
        .filter((k) => /^(Patient|EpisodeOfCare)\//.test(k))
        .sort(),
    );
  });

  it('gives at Patient level, and to a GP system at system level, only the people in scope', async () => {
    const { keys } = await exportAll('$export?_type=Patient', { 'x-scope': 'gp:W99002' });
    expect(keys).toEqual([patientOf('child-with-parents')]);
    const everyone = await exportAll('Patient/$export?_type=Patient');
    expect(everyone.keys.sort()).toEqual(EXAMPLES.map(patientOf).sort());
    const none = await exportAll('Patient/$export', { 'x-scope': 'none' });
    expect(none.manifest.output).toEqual([]);
  });

  it('gives a download no more than the caller may see now, nor more than it could at kick-off', async () => {
    const idsUnder = async (kickOffScope: string, downloadScope: string) => {
      const kick = await kickOff('Patient/$export?_type=Patient', { 'x-scope': kickOffScope });
      const { output } = await manifestOf(kick.headers.get('content-location')!);
      const ids: string[] = [];
      for (const o of output) {
        const text = await (await fetch(o.url, { headers: { 'x-scope': downloadScope } })).text();
        ids.push(
          ...text
            .split('\n')
            .filter(Boolean)
            .map((l) => `Patient/${(JSON.parse(l) as Resource).id}`),
        );
      }
      return ids;
    };
    expect(await idsUnder('all', 'gp:W99003')).toEqual([patientOf('plan-not-agreed')]);
    expect(await idsUnder('all', 'none')).toEqual([]);
    expect(await idsUnder('gp:W99003', 'all')).toEqual([patientOf('plan-not-agreed')]);
    expect(await idsUnder('gp:W99003', 'gp:W99002')).toEqual([]);
  });

  it('limits a POSTed Patient export to the patients named', async () => {
    const kick = await kickOff(
      'Patient/$export',
      { 'Content-Type': 'application/fhir+json' },
      {
        method: 'POST',
        body: JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: 'patient', valueReference: { reference: patientOf('plan-not-agreed') } }] }),
      },
    );
    expect(kick.status).toBe(202);
    const manifest = await manifestOf(kick.headers.get('content-location')!);
    const keys: string[] = [];
    for (const o of manifest.output)
      keys.push(
        ...(await (await fetch(o.url)).text())
          .trim()
          .split('\n')
          .map((l) => `${o.type}/${(JSON.parse(l) as Resource).id}`),
      );
    expect(keys.sort()).toEqual([...new Set(keysOf('plan-not-agreed'))].sort());
  });

  it('answers an unknown Group by 404, and a Group no one in scope belongs to the same way', async () => {
    for (const [path, scope] of [
      ['Group/W00000/$export', 'all'],
      ['Group/W99001/$export', 'gp:W99002'],
      ['Group/not-an-ods-code!/$export', 'all'],
    ]) {
      const response = await kickOff(path!, { 'x-scope': scope! });
      expect(response.status, path).toBe(404);
      expect(((await response.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    }
  });

  it('keeps a job’s files as they were at kick-off: later changes, additions and deletions are not in them', async () => {
    const before = await exportAll('$export?_type=Goal,CarePlan');
    // the adult's plan loses its last outcome (a Goal deleted) and gains a changed description, after the kick-off
    const changed = extractedAt(ctpExample('adult-all-eight-areas'), '2026-02-01T00:00:00Z') as RecordJson & {
      plans: { outcomes: { description: string }[] }[];
    };
    changed.plans[0]!.outcomes = changed.plans[0]!.outcomes.slice(0, -1);
    changed.plans[0]!.outcomes[0]!.description = 'A changed outcome description';
    await storeRecord(t.db, changed);
    const changedKeys = (await t.db.query<{ k: string }>("select resource_type || '/' || id as k from pont_fhir_resource where version_id > 1")).rows.map((r) => r.k);
    expect(changedKeys.length).toBeGreaterThan(0);
    // the same job downloaded again gives the same bytes
    const again = await Promise.all(before.manifest.output.map(async (o) => ((await (await fetch(o.url)).text()).trim().split('\n') as string[]).map((l) => JSON.parse(l))));
    expect(again.flat()).toEqual(before.resources);
    // a new job sees the change, and _since the first job's time gives only what changed
    const after = await exportAll('$export?_type=Goal,CarePlan');
    expect(after.keys.length).toBe(before.keys.length - 1);
    expect(after.resources).not.toEqual(before.resources.filter((r) => after.keys.includes(`${r.resourceType}/${r.id}`)));
    const since = await exportAll(`$export?_type=Goal,CarePlan&_since=${encodeURIComponent(before.manifest.transactionTime)}`);
    expect(since.keys.sort()).toEqual(changedKeys.filter((k) => /^(Goal|CarePlan)\//.test(k) && after.keys.includes(k)).sort());
    expect(since.resources.every((r) => r.meta?.versionId === '2')).toBe(true);
    // and the Goal deleted since, as a transaction Bundle with its DELETE
    const goneKeys = before.keys.filter((k) => !after.keys.includes(k));
    expect(goneKeys).toHaveLength(1);
    expect(since.manifest.deleted?.map((d) => d.type)).toEqual(['Bundle']);
    const gone = (await (await fetch(since.manifest.deleted![0]!.url)).text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Bundle);
    expect(gone).toEqual([{ resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'DELETE', url: goneKeys[0] } }] }]);
    expect(before.manifest.deleted).toBeUndefined();
  });

  it('counts again a job whose counter died, once its claim has run out', async () => {
    const jobs = sqlExportJobStore(t.db);
    const job = await jobs.create({ clientId: 'regulator', level: { kind: 'system' }, types: ['Patient'], request: `${base}/$export?_type=Patient`, scope: { kind: 'all' } });
    expect(await jobs.claim(job.id, 1)).toBe(true); // a counter that never finishes
    const statusUrl = `${base}/$export-status/${job.id}`;
    const pending = await fetch(statusUrl);
    expect(pending.status).toBe(202);
    expect(pending.headers.get('x-progress')).toBe('counted 0 of 1 resource types');
    expect(pending.headers.get('retry-after')).toMatch(/^\d+$/);
    const manifest = await manifestOf(statusUrl);
    expect(manifest.output).toEqual([
      { type: 'Patient', url: `${base}/$export-output/${job.id}/Patient.1.ndjson`, count: PART_SIZE },
      { type: 'Patient', url: `${base}/$export-output/${job.id}/Patient.2.ndjson`, count: EXAMPLES.length - PART_SIZE },
    ]);
  });

  it('answers a _since whose zone came unencoded (a space for the plus)', async () => {
    const { manifest } = await exportAll('$export?_type=Patient&_since=2000-01-01T00:00:00+01:00');
    expect(manifest.output.reduce((n, o) => n + o.count, 0)).toBe(EXAMPLES.length);
  });

  it('cancels a job on DELETE: its status and files are 404 afterwards', async () => {
    const { manifest, statusUrl } = await exportAll('$export?_type=Patient');
    const deleted = await fetch(statusUrl, { method: 'DELETE' });
    expect(deleted.status).toBe(202);
    expect((await fetch(statusUrl)).status).toBe(404);
    expect((await fetch(manifest.output[0]!.url)).status).toBe(404);
    expect((await fetch(statusUrl, { method: 'DELETE' })).status).toBe(404);
  });

  it('keeps a finished job for a day, saying until when in Expires, then answers 404; old jobs are forgotten', async () => {
    const { manifest, statusUrl } = await exportAll('$export?_type=Patient');
    const status = await fetch(statusUrl);
    const expires = Date.parse(status.headers.get('expires')!);
    const day = 24 * 60 * 60 * 1000;
    expect(expires - Date.now()).toBeGreaterThan(day - 60_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(day);
    expect(Date.parse((await fetch(manifest.output[0]!.url)).headers.get('expires')!)).toBe(expires);
    try {
      clockAhead = expires - Date.now() + 1000;
      const gone = await fetch(statusUrl);
      expect(gone.status).toBe(404);
      expect(((await gone.json()) as { issue: { diagnostics: string }[] }).issue[0]!.diagnostics).toMatch(/^this export expired at \d{4}-/);
      expect((await fetch(manifest.output[0]!.url)).status).toBe(404);
    } finally {
      clockAhead = 0;
    }
    expect((await fetch(statusUrl)).status).toBe(200);
    const jobs = sqlExportJobStore(t.db);
    expect(await jobs.removeOlderThan(day / 1000)).toBe(0);
    expect(await jobs.removeOlderThan(0)).toBeGreaterThan(0);
    expect((await fetch(statusUrl)).status).toBe(404);
  });

  it('gives another client nothing of a job: status, files and DELETE are 404', async () => {
    const { manifest, statusUrl } = await exportAll('$export?_type=Patient');
    const other = { 'x-client': 'someone-else' };
    expect((await fetch(statusUrl, { headers: other })).status).toBe(404);
    expect((await fetch(manifest.output[0]!.url, { headers: other })).status).toBe(404);
    expect((await fetch(statusUrl, { method: 'DELETE', headers: other })).status).toBe(404);
    expect((await fetch(statusUrl)).status).toBe(200);
    expect((await fetch(`${base}/$export-status/not-a-job`)).status).toBe(404);
    expect((await fetch(`${manifest.output[0]!.url.replace(/[^/]+$/, 'Nothing.ndjson')}`)).status).toBe(404);
  });

  it('refuses a bad kick-off with 400 and an OperationOutcome naming the header or parameter', async () => {
    const cases: [string, Record<string, string>, RegExp][] = [
      ['$export', { Prefer: '' }, /Prefer/],
      ['$export', { Accept: 'application/xml' }, /Accept/],
      ['$export?_outputFormat=text%2Fcsv', {}, /_outputFormat/],
      ['Patient/$export?_type=CarePlan,Spaceship', {}, /_type/],
      ['$export?_since=yesterday', {}, /_since/],
      ['$export?_since=2025-01-01', {}, /_since/],
      ['$export?_typeFilter=CarePlan%3Fstatus%3Dactive', {}, /_typeFilter/],
      ['$export?colour=blue', {}, /colour/],
      ['$export?patient=Patient%2F1', {}, /patient/],
    ];
    for (const [path, headers, names] of cases) {
      const response = await kickOff(path, headers);
      expect(response.status, path).toBe(400);
      const outcome = (await response.json()) as { resourceType: string; issue: { diagnostics: string }[] };
      expect(outcome.resourceType).toBe('OperationOutcome');
      expect(outcome.issue[0]!.diagnostics, path).toMatch(names);
    }
    const posted = await kickOff('$export', { 'Content-Type': 'application/fhir+json' }, { method: 'POST', body: JSON.stringify({ resourceType: 'Patient' }) });
    expect(posted.status).toBe(400);
    const lenient = await kickOff('$export?_typeFilter=x&_type=Patient', { Prefer: 'respond-async, handling=lenient' });
    expect(lenient.status).toBe(202);
    expect((await manifestOf(lenient.headers.get('content-location')!)).output.map((o) => o.type)).toContain('Patient');
  });
});

describe('the types exported', () => {
  it('are every type pont writes for a record and every type the facade serves, split into person-linked and supporting', () => {
    const written = [...readFileSync(join(ROOT, 'mappings', 'ctp-to-fhir.yaml'), 'utf8').matchAll(/resourceType: *([A-Za-z]+)/g)].map((m) => m[1]!);
    expect(written.length).toBeGreaterThan(10);
    for (const type of [...written, ...SERVED_TYPES]) expect(EXPORT_TYPES, type).toContain(type);
    expect(new Set([...PERSON_TYPES, ...SUPPORTING_TYPES])).toEqual(new Set(EXPORT_TYPES));
    expect(SUPPORTING_TYPES).toEqual(['Organization', 'Practitioner', 'PractitionerRole']);
  });
});

describe('an export whose counting fails', () => {
  let t: TestDatabase;
  let server: Server;
  let base: string;
  let fault: StoreError;
  const seen: unknown[] = [];

  beforeAll(async () => {
    t = await testDatabase('pglite');
    await migrate(t.db);
    const reader = sqlExportReader(t.db);
    const app = express();
    app.use(
      '/fhir',
      createBulkRouter({
        jobs: sqlExportJobStore(t.db),
        reader: { ...reader, count: () => Promise.reject(fault) },
        scope: () => ({ kind: 'all' }),
        clientId: () => 'regulator',
        onBackgroundError: (err) => seen.push(err),
      }),
    );
    let origin: string;
    ({ server, origin } = await listenLocally(app));
    base = `${origin}/fhir`;
  }, 60_000);

  afterAll(async () => {
    await closeServer(server);
    await t?.dispose();
  });

  const kickOff = async () => (await fetch(`${base}/$export`, { headers: ASYNC })).headers.get('content-location')!;

  it('answers the status with 500 and an OperationOutcome naming the error code, when retrying cannot help', async () => {
    fault = new StoreError('STORE_FAILED', 'the store refused a statement (SQLSTATE 42883)', false);
    const statusUrl = await kickOff();
    const failed = await until(
      () => fetch(statusUrl),
      (r) => r.status !== 202,
    );
    expect(failed.status).toBe(500);
    const outcome = (await failed.json()) as { resourceType: string; issue: { diagnostics: string }[] };
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue[0]!.diagnostics).toMatch(/STORE_FAILED/);
    expect(seen).toContain(fault);
  });

  it('keeps the job in progress after a transient fault, to be counted again', async () => {
    fault = new StoreError('STORE_UNAVAILABLE', 'the store does not answer', true);
    const statusUrl = await kickOff();
    await until(
      () => seen.length,
      (n) => n > 0 && seen.at(-1) === fault,
    );
    const pending = await fetch(statusUrl);
    expect(pending.status).toBe(202);
  });
});
