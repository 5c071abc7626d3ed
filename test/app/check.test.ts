import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkRunJson } from '../../src/app/check-json.js';
import { createCore } from '../../src/app/compose.js';
import type { SourceInput } from '../../src/app/inputs.js';
import { run } from '../../src/cli/run.js';
import { defineTemplate } from '../../src/compliance/template.js';
import { builtInTemplates } from '../../src/compliance/templates/index.js';
import { EngineError, UnknownPackError } from '../../src/errors/errors.js';
import { fixedClock } from '../../src/ports/clock.js';
import { CONFIG_LAYOUT, type ConfigSource, configPath } from '../../src/ports/config-source.js';
import { directoryConfig } from '../../src/ports/directory-config.js';
import { ROOT, testRuntime } from '../helpers/runtime.js';

const adultPath = join(ROOT, 'examples/ctp/adult-all-eight-areas.json');
const adultText = readFileSync(adultPath, 'utf8');
const adult = JSON.parse(adultText) as { patient: { nhsNumber: string; names: { family: string }[] }; source: { extractedAt: string } };
const input = (origin = adultPath): SourceInput => ({ origin, source: 'ctp', text: adultText });

describe('the check use case', () => {
  it('evaluates as of the clock’s today when no date is given', () => {
    const checked = testRuntime().check([input()]);
    expect(checked.results[0]!.evaluation?.asOf).toBe(testRuntime().clock.today());
  });

  it('as of "extracted" uses each record’s extraction date and counts no caseloads', () => {
    const checked = testRuntime().check([input()], { asOf: 'extracted', pack: 'leicestershire-lpt' });
    expect(checked.results[0]!.evaluation?.asOf).toBe(adult.source.extractedAt.slice(0, 10));
    expect(checked.caseloads).toEqual([]);
    const fixed = testRuntime().check([input()], { asOf: '2025-06-01', pack: 'leicestershire-lpt' });
    expect(fixed.caseloads.length).toBeGreaterThan(0);
  });

  it('without compliance, converts and validates only', () => {
    const checked = testRuntime().check([input()], { compliance: false, asOf: '2026-12-06' });
    expect(checked.results[0]!.evaluation).toBeUndefined();
    expect(checked.results[0]!.bundle).toBeDefined();
    expect(checked.failed).toBe(false);
  });

  it('refuses an unknown pack before reading any input', () => {
    let read = false;
    const inputs = (function* () {
      read = true;
      yield input();
    })();
    expect(() => testRuntime().check(inputs, { pack: 'nowhere' })).toThrow(UnknownPackError);
    expect(read).toBe(false);
  });

  it('reports an unreadable input as that input’s result, and fails the run', () => {
    const checked = testRuntime().check([{ origin: 'gone.json', issues: [{ severity: 'error', code: 'not-found', diagnostics: 'No such input.' }] }, input()], {
      asOf: '2025-11-20',
    });
    expect(checked.results.map((r) => [r.origin, r.record === undefined])).toEqual([
      ['gone.json', true],
      [adultPath, false],
    ]);
    expect(checked.failed).toBe(true);
  });

  it('gives a JSON form made only of plain data', () => {
    const json = checkRunJson(testRuntime().check([input()], { asOf: '2025-06-01', pack: 'leicestershire-lpt' }));
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(json[0]).toMatchObject({ file: adultPath, record: 1, compliance: { pack: 'leicestershire-lpt', asOf: '2025-06-01' } });
    expect(json[0]!.compliance?.caseloads).toBeDefined();
  });
});

describe('an internal fault', () => {
  /** The shipped configuration with one rule pack whose only rule uses a template that throws. */
  function configWithBrokenPack(): ConfigSource {
    const shipped = directoryConfig(ROOT);
    const pack = [
      'id: broken',
      'version: 1.0.0',
      'title: Broken',
      'jurisdiction: wales',
      'basis: test',
      'workingDays: GB-WLS',
      'selectedBy: { default: true }',
      'rules:',
      '  - { id: X-1, check: explodes, title: t, force: must, citation: c, explanation: e, template: explode }',
    ].join('\n');
    return {
      list: (folder) => (folder === CONFIG_LAYOUT.rulePacks ? ['broken.yaml'] : shipped.list(folder)),
      read: (path) => (path === configPath(CONFIG_LAYOUT.rulePacks, 'broken.yaml') ? pack : shipped.read(path)),
      describe: shipped.describe,
    };
  }

  const explode = defineTemplate({
    name: 'explode',
    params: z.object({}).strict(),
    evaluate() {
      // A bug whose message would carry the person's details, were it ever printed.
      throw new TypeError(`cannot read ${adult.patient.nhsNumber} ${adult.patient.names[0]!.family}`);
    },
  });
  const core = createCore({ config: configWithBrokenPack(), clock: fixedClock('2026-01-05T09:00:00Z'), templates: new Map([...builtInTemplates(), ['explode', explode]]) });

  it('named by the engine (EngineError) is reported as a fault of that rule, with exit 3', async () => {
    const named = defineTemplate({
      name: 'explode',
      params: z.object({}).strict(),
      evaluate() {
        throw new EngineError('RULE_FAILED', 'compliance', 'rule X-1/explodes threw');
      },
    });
    const faulty = createCore({ config: configWithBrokenPack(), clock: fixedClock('2026-01-05T09:00:00Z'), templates: new Map([...builtInTemplates(), ['explode', named]]) });
    let stderr = '';
    const io = {
      stdout: () => undefined,
      stderr: (t: string) => {
        stderr += t;
      },
    };
    const code = await run(['check', '--as-of', '2025-11-20', adultPath], io, () => faulty);
    expect(code).toBe(3);
    expect(stderr).toMatch(/^pont: internal fault \(RULE_FAILED, compliance\): .*X-1/);
  });

  it('is thrown by the check use case, never turned into a finding', () => {
    expect(() => core.check([input()], { asOf: '2025-11-20' })).toThrow();
  });

  it('makes pont check exit 3, printing nothing on standard output and no data from the record', async () => {
    let stdout = '';
    let stderr = '';
    const code = await run(
      ['check', '--as-of', '2025-11-20', adultPath],
      {
        stdout: (t) => {
          stdout += t;
        },
        stderr: (t) => {
          stderr += t;
        },
      },
      () => core,
    );
    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^pont: internal (error|fault)/);
    expect(stderr).not.toContain(adult.patient.nhsNumber);
    expect(stderr).not.toContain(adult.patient.names[0]!.family);
  });
});
