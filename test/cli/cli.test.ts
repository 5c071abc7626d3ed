import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { testNhsNumber } from '../helpers/generate.js';
import { ROOT, testRuntime } from '../helpers/runtime.js';

// biome-ignore lint/suspicious/noExplicitAny: raw JSON, changed in ways the typed record cannot express
type RawJson = Record<string, any>;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function pont(...argv: string[]): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) }, testRuntime);
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'pont-cli-'));
function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const adultPath = join(ROOT, 'examples/ctp/adult-all-eight-areas.json');
const adult = JSON.parse(readFileSync(adultPath, 'utf8')) as RawJson;
const patientFamily: string = adult.patient.names[0].family;

describe('pont --help', () => {
  it('documents the exit codes', async () => {
    const r = await pont('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 .*\n {2}3 +internal fault/);
  });
});

describe('pont check', () => {
  it('exits 0 and says ok for valid, compliant examples', async () => {
    const r = await pont('check', '--as-of', '2025-11-20', adultPath, join(ROOT, 'examples/carepath-json/adult-all-eight-areas.json'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ctp\/adult-all-eight-areas\.json: ok, \d+ resources, 0 errors/);
    expect(r.stdout).toMatch(/carepath-json\/adult-all-eight-areas\.json: ok/);
    expect(r.stdout).toMatch(/compliance \(wales-measure 1\.1\.0, as of 2025-11-20\): \d+ passed, \d+ failed/);
    expect(r.stdout).toContain('2 records checked: 2 passed, 0 failed');
  });

  it('exits 1 with compliance errors when an extract cannot show a statutory element (WPAS has no area explanations)', async () => {
    const r = await pont('check', '--as-of', '2025-11-20', join(ROOT, 'examples/wpas-csv/adult-all-eight-areas.csv'));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/adult-all-eight-areas\.csv: FAILED, 35 resources/);
    expect(r.stdout).toMatch(/error +plans\[0\]\.outcomes\[0\]\.areas: CoP-P2-28\/area-explanations: /);
  });

  it('exits 1 when, as of today, a plan is overdue for review', async () => {
    const r = await pont('check', '--as-of', '2026-12-06', adultPath);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /error +plans\[0\]: CoP-P2-67\/reviewed-every-12-months: No review of plan version 1 \(plans\[0\]\) was held within 12 months after the plan was made\./,
    );
  });

  it('prints { file, record, bundle, outcome } per record as JSON', async () => {
    const r = await pont('check', '--format', 'json', '--as-of', '2025-11-20', adultPath);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { file: string; record: number; bundle: { resourceType: string }; outcome: { resourceType: string } }[];
    expect(out).toHaveLength(1);
    expect(out[0]!.file).toBe(adultPath);
    expect(out[0]!.bundle.resourceType).toBe('Bundle');
    expect(out[0]!.outcome.resourceType).toBe('OperationOutcome');
  });

  it('exits 1 naming the file and the path for a record of the wrong shape, without patient data', async () => {
    const bad = structuredClone(adult);
    bad.plans[0].agreement.statement = 'agreed-sort-of';
    delete bad.plans[0].version;
    bad.patient.dateOfBirth = 19800101;
    const path = file('wrong-shape.json', JSON.stringify(bad));
    const r = await pont('check', path);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${path}: FAILED`);
    expect(r.stdout).toContain('plans[0].agreement.statement');
    expect(r.stdout).toContain('plans[0].version');
    expect(r.stdout).toContain('patient.dateOfBirth');
    expect(r.stdout).not.toContain(patientFamily);
    expect(r.stdout).not.toContain('agreed-sort-of');
    const json = await pont('check', '--format', 'json', path);
    const [result] = JSON.parse(json.stdout) as { bundle: unknown; outcome: { issue: { expression?: string[] }[] } }[];
    expect(result!.bundle).toBeNull();
    expect(result!.outcome.issue.map((i) => i.expression?.[0])).toContain('plans[0].agreement.statement');
  });

  it('exits 1 with a line and column for a file that is not JSON', async () => {
    const path = file('broken.json', '{\n  "schemaVersion": "1",\n  "source": {,\n}');
    const r = await pont('check', '--source', 'ctp', path);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/not valid JSON \(line 3, column \d+\)/);
  });

  it('exits 1 with a clear message for wrong CSV columns', async () => {
    const csv = readFileSync(join(ROOT, 'examples/wpas-csv/adult-all-eight-areas.csv'), 'utf8');
    const [header, ...rows] = csv.split('\n');
    const path = file('renamed.csv', [header!.replace('NHS_NO', 'NHS_NUMBER'), ...rows].join('\n'));
    const r = await pont('check', path);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(path);
    expect(r.stdout).toMatch(/NHS_NO/);
    expect(r.stdout).not.toMatch(/\n\s+at /);
  });

  it('refuses a 50 MB file with a clear message and no stack trace', async () => {
    const path = file('huge.json', `{"schemaVersion":"1","pad":"${'x'.repeat(50 * 1024 * 1024)}"}`);
    const r = await pont('check', path);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/the input is over the 32\.0 MB limit/i);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 for an unknown source, a missing file, a bad --as-of or a bad --format', async () => {
    const unknown = await pont('check', '--source', 'nope', adultPath);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown source "nope"; known sources: ctp, fhir, carepath-json, wpas-csv');
    const missing = await pont('check', join(dir, 'absent.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('absent.json: cannot read the file (ENOENT)');
    const asOf = await pont('check', '--as-of', '2025-02-30', adultPath);
    expect(asOf.code).toBe(2);
    expect(asOf.stderr).toContain('--as-of must be a date');
    const format = await pont('check', '--format', 'xml', adultPath);
    expect(format.code).toBe(2);
    const none = await pont('check');
    expect(none.code).toBe(2);
  });

  it('asks for --source when it cannot tell the format', async () => {
    const path = file('mystery.json', '{"hello": "world"}');
    const r = await pont('check', path);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Cannot tell the format');
  });
});

describe('pont check: compliance options', () => {
  const planNotAgreed = join(ROOT, 'examples/ctp/plan-not-agreed.json');

  it('--as-of extracted checks each record as of its own extraction date', async () => {
    expect((await pont('check', '--as-of', 'extracted', planNotAgreed)).code).toBe(0);
    const today = await pont('check', '--as-of', '2025-11-20', planNotAgreed);
    expect(today.code).toBe(1);
    expect(today.stdout).toContain('CoP-P2-67/reviewed-every-12-months');
  });

  it('--format json carries every finding with counts', async () => {
    const r = await pont('check', '--format', 'json', '--as-of', 'extracted', planNotAgreed);
    const [out] = JSON.parse(r.stdout) as { compliance: { pack: string; asOf: string; counts: Record<string, number>; findings: { ruleId: string; result: string }[] } }[];
    expect(out!.compliance).toMatchObject({ pack: 'wales-measure', asOf: '2025-03-03' });
    expect(out!.compliance.counts.pass).toBe(out!.compliance.findings.filter((f) => f.result === 'pass').length);
    expect(out!.compliance.findings.some((f) => f.ruleId === 'CoP-P2-69' && f.result === 'pass')).toBe(true);
  });

  it('--pack runs another pack, and an unknown pack is a usage error', async () => {
    const r = await pont('check', '--as-of', 'extracted', '--pack', 'luton-bedfordshire-elft', planNotAgreed);
    expect(r.stdout).toMatch(/compliance \(luton-bedfordshire-elft 1\.0\.0, as of 2025-03-03\)/);
    const bad = await pont('check', '--pack', 'nowhere', planNotAgreed);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown rule pack "nowhere"');
  });

  it('--standards applies stricter local standards and refuses looser ones with exit 2', async () => {
    const strict = file('strict.yaml', 'pack: wales-measure\ntitle: Test local standards\nrules:\n  CoP-P2-47/copies-within-2-weeks: { within: 1 day }\n');
    const r = await pont('check', '--as-of', 'extracted', '--standards', strict, planNotAgreed);
    expect(r.stdout).toContain('with Test local standards');
    expect(r.stdout).toMatch(/CoP-P2-47\/copies-within-2-weeks: .*the limit is 1 day/);
    const loose = file('loose.yaml', 'pack: wales-measure\ntitle: Loose\nrules:\n  CoP-P3-14/report-within-10-working-days: { within: 15 working days }\n');
    const refused = await pont('check', '--standards', loose, planNotAgreed);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('"within" of 15 working days is looser than the minimum of 10 working days');
  });

  it('reports caseloads across the records checked together: in text, and per person in JSON', async () => {
    const { compliantRecord } = await import('../compliance/helpers.js');
    const files = Array.from({ length: 31 }, (_, i) => {
      const record = compliantRecord();
      record.source.recordId = `rec-${i}`;
      record.patient!.nhsNumber = testNhsNumber(i + 1);
      return file(`caseload-${i}.json`, JSON.stringify(record));
    });
    const text = await pont('check', '--pack', 'leicestershire-lpt', '--as-of', '2025-06-01', ...files);
    expect(text.stdout).toContain('caseloads (leicestershire-lpt): 1 coordinators, 1 over the limit');
    expect(text.stdout).toMatch(/warning coordinator nmc:EX000001: LPT-C1\/caseload-limit: Holds 31 people; the limit is 30\./);
    const json = await pont('check', '--format', 'json', '--pack', 'leicestershire-lpt', '--as-of', '2025-06-01', ...files.slice(0, 2));
    const out = JSON.parse(json.stdout) as { compliance: { caseloads: { ruleId: string; result: string; message: string }[] } }[];
    expect(out.map((o) => o.compliance.caseloads.map((c) => [c.ruleId, c.result, c.message]))).toEqual([
      [['LPT-C1', 'pass', 'Holds 2 people, within the limit of 30.']],
      [['LPT-C1', 'pass', 'Holds 2 people, within the limit of 30.']],
    ]);
  });

  it('--no-compliance maps and validates only', async () => {
    const r = await pont('check', '--no-compliance', '--as-of', '2026-12-06', adultPath);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('compliance (');
  });
});

describe('pont map', () => {
  it('prints the transaction Bundle', async () => {
    const r = await pont('map', adultPath);
    expect(r.code).toBe(0);
    const bundle = JSON.parse(r.stdout) as { resourceType: string; type: string; entry: unknown[] };
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'transaction' });
    expect(bundle.entry.length).toBeGreaterThan(20);
  });

  it('--trace names the rule behind each output element on standard error', async () => {
    const r = await pont('map', '--trace', adultPath);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^Bundle\.entry\[0\]\.resource\.identifier\[0\]\.value {2}<= {2}ctp-to-fhir:patient \[identifier\[0\]\.value\] from patient/m);
    expect(r.stderr).toMatch(/resource\.activity\[0\]\.detail\.description {2}<= {2}ctp-to-fhir:care-plan/);
    JSON.parse(r.stdout);
  });

  it('--trace on a vendor source also shows the rules that built the record', async () => {
    const r = await pont('map', '--trace', join(ROOT, 'examples/carepath-json/adult-all-eight-areas.json'));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^plans\[0\]\.\S+ {2}<= {2}carepath-json-to-ctp:/m);
    expect(r.stderr).toMatch(/<= {2}ctp-to-fhir:care-plan/);
  });

  it('--reverse turns the Bundle back into the same record', async () => {
    const mapped = await pont('map', adultPath);
    const bundlePath = file('adult.bundle.json', mapped.stdout);
    const back = await pont('map', '--reverse', bundlePath);
    expect(back.code).toBe(0);
    expect(JSON.parse(back.stdout)).toEqual(adult);
  });

  it('exits 1 and prints no Bundle when the input has errors', async () => {
    const bad = structuredClone(adult);
    bad.plans[0].outcomes[0].areas[0].area = 'astrology';
    const r = await pont('map', file('bad-area.json', JSON.stringify(bad)));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('plans[0].outcomes[0].areas[0].area');
  });
});
