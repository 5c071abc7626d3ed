/** Loads the rule packs in mappings/rule-packs at start-up, and an organisation's local standards file when one is given. */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ConfigError, PontError } from '../errors/errors.js';
import { readYamlAgainst } from '../input/yaml-file.js';
import { compilePack, type RulePack, type TemplateRegistry } from './compile-pack.js';
import { localStandardsSchema, rulePackSchema, type LocalStandards } from './pack.schema.js';

export function loadRulePacks(dir: string, templates: TemplateRegistry, options: { localStandardsFile?: string } = {}): RulePack[] {
  const problems: string[] = [];
  let local: LocalStandards | undefined;
  if (options.localStandardsFile !== undefined) {
    local = readYamlAgainst(options.localStandardsFile, localStandardsSchema, process.cwd(), problems);
  }
  const packs: RulePack[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort();
  } catch {
    problems.push(`${dir}: cannot read the rule pack folder`);
  }
  for (const name of names) {
    const file = join(dir, name);
    const spec = readYamlAgainst(file, rulePackSchema, dir, problems);
    if (!spec) continue;
    if (packs.some((p) => p.id === spec.id)) {
      problems.push(`${name}: duplicate pack id "${spec.id}"`);
      continue;
    }
    try {
      packs.push(compilePack(spec, templates, `mappings/rule-packs/${relative(dir, file)}`, local?.pack === spec.id ? local : undefined));
    } catch (err) {
      if (err instanceof PontError) problems.push(...err.issues.map((i) => i.diagnostics ?? err.message));
      else problems.push(`${name}: ${String(err)}`);
    }
  }
  if (local && !packs.some((p) => p.id === local.pack) && problems.length === 0) problems.push(`local standards: no rule pack "${local.pack}"`);
  if (packs.filter((p) => p.selectedBy?.default).length > 1) problems.push('more than one rule pack says it is the default');
  if (problems.length > 0) {
    throw new ConfigError(`rule packs are invalid:\n- ${problems.join('\n- ')}`, problems.map((p) => ({ severity: 'error', code: 'invalid', diagnostics: p })));
  }
  return packs;
}
