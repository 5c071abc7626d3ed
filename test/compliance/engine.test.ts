import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createComplianceEngine } from '../../src/compliance/engine.js';
import { loadRulePacks } from '../../src/compliance/load-packs.js';
import { findingIssues } from '../../src/compliance/outcome.js';
import { defineTemplate } from '../../src/compliance/template.js';
import { builtInTemplates } from '../../src/compliance/templates/index.js';
import { ConfigError, EngineError, UnknownPackError } from '../../src/errors/errors.js';
import { ASOF, compliantRecord, engine, PACK_DIR, variant } from './helpers.js';

function standardsFile(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pont-standards-'));
  const file = join(dir, 'standards.yaml');
  writeFileSync(file, yaml);
  return file;
}

function packDirWith(name: string, yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pont-packs-'));
  cpSync(PACK_DIR, dir, { recursive: true });
  writeFileSync(join(dir, name), yaml);
  return dir;
}

const errorOf = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('evaluation', () => {
  it('is deterministic: same record and date, same findings in the same order', () => {
    const a = engine().evaluate(compliantRecord(), { asOf: '2026-03-01' });
    const b = engine().evaluate(compliantRecord(), { asOf: '2026-03-01' });
    expect(JSON.stringify(a.findings)).toBe(JSON.stringify(b.findings));
    expect(a.findings.some((f) => f.result === 'fail')).toBe(true);
  });

  it('depends on the evaluation date, not on the clock', () => {
    const before = engine()
      .evaluate(compliantRecord(), { asOf: '2026-02-01' })
      .findings.filter((f) => f.result === 'fail');
    const after = engine()
      .evaluate(compliantRecord(), { asOf: '2026-02-02' })
      .findings.filter((f) => f.result === 'fail');
    expect(before).toEqual([]);
    expect(after.map((f) => `${f.ruleId}/${f.check}`)).toEqual(['CoP-P2-67/reviewed-every-12-months']);
  });

  it('turns failures and unchecked rules into OperationOutcome issues with rule id, citation and location, errors first', () => {
    const r = variant((x) => {
      delete x.plans![0]!.language;
      delete x.plans![0]!.signatures;
    });
    const issues = findingIssues(engine().evaluate(r, { asOf: ASOF }).findings);
    expect(issues.map((i) => [i.severity, i.code, i.details?.coding?.[0]?.code, i.expression?.[0]])).toEqual([
      ['error', 'business-rule', 'CoP-P2-36', 'plans[0].signatures.careCoordinator'],
      ['warning', 'incomplete', 'CoP-P2-37', 'plans[0].language'],
    ]);
    expect(issues[0]!.diagnostics).toBe(
      "CoP-P2-36/coordinator-signature: The care coordinator has not signed plan version 1 (plans[0]). (Schedule 2 (the person's own signature is optional, catalogue E-16))",
    );
    expect(issues[0]!.details?.text).toMatch(/^The care coordinator must sign/);
    const parts = issues[1]!.extension![0]!.extension!;
    expect(parts.find((p) => p.url === 'result')?.valueCode).toBe('cannot-evaluate');
    expect(parts.find((p) => p.url === 'missing')?.valueString).toBe("the plan's language");
  });

  it('never puts names or free text from the record into a finding', () => {
    const r = variant((x) => {
      x.patient!.names = [{ given: ['Zebedee'], family: 'Quixotic' }];
      x.plans![0]!.agreement = { statement: 'not-agreed-s18-6' };
      x.plans![0]!.outcomes![0]!.description = 'Zebedee wants a flat';
      delete x.plans![0]!.signatures;
    });
    const text = JSON.stringify(engine().evaluate(r, { asOf: '2027-01-01' }).findings);
    expect(text).not.toMatch(/Zebedee|Quixotic|flat/);
  });
});

describe('rule packs', () => {
  it('loads the three packs, the Welsh one by default', () => {
    expect(engine().packs.map((p) => `${p.id} ${p.version}`)).toEqual(['leicestershire-lpt 1.0.0', 'luton-bedfordshire-elft 1.0.0', 'wales-measure 1.1.0']);
    expect(engine().selectPack(compliantRecord()).id).toBe('wales-measure');
  });

  it('refuses a pack file with an unknown template, bad parameters or bad FHIRPath, naming file, rule and path', () => {
    const header = 'id: broken\nversion: 1.0.0\ntitle: Broken\njurisdiction: wales\nbasis: test\nworkingDays: GB-WLS\nrules:\n';
    const rules = [
      '  - { id: X-1, check: a, title: t, force: must, citation: c, explanation: e, template: no-such-template }',
      '  - { id: X-2, check: b, title: t, force: must, citation: c, explanation: e, template: coordinator-appointed-within, params: { within: fortnight } }',
      '  - { id: X-3, check: c, title: t, force: must, citation: c, explanation: e, require: "madeOn >>> 1", failMessage: m }',
    ];
    const badForce = '  - { id: X-4, check: d, title: t, force: maybe, citation: c, explanation: e, require: "true", failMessage: m }';
    const err = errorOf(() => loadRulePacks(packDirWith('zz-broken.yaml', header + [...rules, badForce].join('\n')), builtInTemplates()));
    expect(err.message).toContain('zz-broken.yaml: rules.3.force: must be one of: must, should');
    expect(err.issues).toHaveLength(1);
    const fixed = packDirWith('zz-broken.yaml', header + rules.join('\n'));
    const messages = errorOf(() => loadRulePacks(fixed, builtInTemplates())).issues.map((i) => i.diagnostics);
    expect(messages).toEqual([
      expect.stringMatching(/^mappings\/rule-packs\/zz-broken\.yaml: rules\[0\] \(X-1\/a\): unknown template "no-such-template"/),
      expect.stringMatching(/^mappings\/rule-packs\/zz-broken\.yaml: rules\[1\] \(X-2\/b\): params\.within: must be a whole number and a unit/),
      expect.stringMatching(/^mappings\/rule-packs\/zz-broken\.yaml: rules\[2\] \(X-3\/c\): cannot compile expression "madeOn >>> 1"/),
    ]);
  });
});

describe('local standards', () => {
  const packs = (yaml: string) => loadRulePacks(PACK_DIR, builtInTemplates(), { localStandardsFile: standardsFile(yaml) });

  it('may make a limit stricter, and the findings follow', () => {
    const strict = createComplianceEngine(
      packs(`pack: wales-measure
title: Test Health Board local CTP standards 2026
rules:
  CoP-P2-47/first-plan-within-6-weeks: { within: 4 weeks }
  CoP-P3-12/response-time: { routine: 21 days }
`),
    );
    const r = variant((x) => (x.plans![0]!.madeOn = '2025-02-10')); // 31 days after appointment
    const key = (e: typeof strict) => e.evaluate(r, { asOf: ASOF }).findings.find((f) => f.check === 'first-plan-within-6-weeks')!.result;
    expect(key(engine())).toBe('pass');
    expect(key(strict)).toBe('fail');
    expect(strict.pack('wales-measure').localStandards).toBe('Test Health Board local CTP standards 2026');
  });

  it('is refused at start-up when looser than the Code’s minimum, naming the rule and both values', () => {
    const err = errorOf(() =>
      packs(`pack: wales-measure
title: Too loose
rules:
  CoP-P3-12/response-time: { routine: 35 days }
  CoP-P2-11/appointed-within-14-days: { within: 3 weeks }
`),
    );
    expect(err.issues.map((i) => i.diagnostics)).toEqual([
      'local standards: CoP-P2-11/appointed-within-14-days: "within" of 3 weeks is looser than the minimum of 14 days; local standards may only be stricter',
      'local standards: CoP-P3-12/response-time: "routine" of 35 days is looser than the minimum of 28 days; local standards may only be stricter',
    ]);
  });

  it('is refused for unknown rules, unchangeable parameters, incomparable units and a missing file', () => {
    const err = errorOf(() =>
      packs(`pack: wales-measure
title: Odd
rules:
  CoP-P9-99/nothing: { within: 1 day }
  CoP-P2-50/copies-to-recipients: { allowFor: 1 week }
  CoP-P2-67/reviewed-every-12-months: { every: 300 days }
`),
    );
    expect(err.issues.map((i) => i.diagnostics)).toEqual([
      'local standards: CoP-P2-50/copies-to-recipients: "allowFor" cannot be changed by local standards',
      'local standards: CoP-P2-67/reviewed-every-12-months: "every" must be given in the same kind of unit as the pack\'s 12 months',
      'local standards: no rule CoP-P9-99/nothing in pack "wales-measure"',
    ]);
    expect(errorOf(() => loadRulePacks(PACK_DIR, builtInTemplates(), { localStandardsFile: '/nonexistent/standards.yaml' })).message).toContain('file not found');
  });
});

describe('faults inside the engine', () => {
  const header = 'id: faults\nversion: 1.0.0\ntitle: Faults\njurisdiction: wales\nbasis: test\nworkingDays: GB-WLS\nrules:\n';
  const fault = (fn: () => unknown): EngineError => {
    try {
      fn();
    } catch (err) {
      if (err instanceof EngineError) return err;
      throw err;
    }
    throw new Error('expected an EngineError');
  };

  it('a rule written in code that throws is an engine error naming the rule, never a finding or the data', () => {
    const templates = new Map(builtInTemplates());
    const explodes = defineTemplate({
      name: 'explodes',
      params: z.object({}).strict(),
      evaluate(facts, _params, emit) {
        emit.pass('first item fine');
        throw new TypeError(`cannot read ${facts.record.patient?.nhsNumber ?? ''}`);
      },
    });
    templates.set(explodes.name, explodes);
    const dir = packDirWith('zz-faults.yaml', `${header}  - { id: X-9, check: boom, title: t, force: must, citation: c, explanation: e, template: explodes }\n`);
    const faulty = createComplianceEngine(loadRulePacks(dir, templates));
    const err = fault(() => faulty.evaluate(compliantRecord(), { asOf: ASOF, pack: 'faults' }));
    expect([err.code, err.stage, err.retryable]).toEqual(['RULE_FAILED', 'compliance', false]);
    expect(err.message).toBe('rule X-9/boom (explodes) of pack faults failed: TypeError thrown');
    expect(err.cause).toBeInstanceOf(TypeError);
    expect(JSON.stringify([err.message, err.issues])).not.toContain(compliantRecord().patient!.nhsNumber!);
  });

  it('a declarative rule whose expression cannot be evaluated on the record is an engine error, not "cannot evaluate"', () => {
    // Two plans: comparing all their dates at once is a FHIRPath singleton error.
    const dir = packDirWith(
      'zz-faults.yaml',
      `${header}  - { id: X-8, check: dates, title: t, force: must, citation: c, explanation: e, require: "plans.madeOn > '2020-01-01'", failMessage: m }\n`,
    );
    const faulty = createComplianceEngine(loadRulePacks(dir, builtInTemplates()));
    const twoPlans = variant((x) => x.plans!.push({ ...x.plans![0]!, id: 'plan-2' }));
    const err = fault(() => faulty.evaluate(twoPlans, { asOf: ASOF, pack: 'faults' }));
    expect([err.code, err.stage, err.retryable]).toEqual(['RULE_FAILED', 'compliance', false]);
    expect(err.message).toMatch(/^rule X-8\/dates \(fhirpath\) of pack faults failed/);
    // With one plan the same rule simply judges.
    expect(faulty.evaluate(compliantRecord(), { asOf: ASOF, pack: 'faults' }).findings.map((f) => f.result)).toEqual(['pass']);
  });

  it('an unknown pack is a typed start-up error of the core', () => {
    let err: unknown;
    try {
      engine().evaluate(compliantRecord(), { asOf: ASOF, pack: 'nowhere' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnknownPackError);
    const unknown = err as UnknownPackError;
    expect([unknown.code, unknown.stage, unknown.retryable, unknown.pack]).toEqual(['UNKNOWN_PACK', 'startup', false, 'nowhere']);
    expect(unknown.known).toEqual(['leicestershire-lpt', 'luton-bedfordshire-elft', 'wales-measure']);
  });
});
