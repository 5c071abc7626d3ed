/** Loads the rule packs at start-up, and an organisation's local standards when they are given. */
import { basename, dirname } from 'node:path';
import { ConfigError, PontError } from '../errors/errors.js';
import { parseYamlAgainst } from '../input/yaml-file.js';
import { type ConfigSource, configPath } from '../ports/config-source.js';
import { directoryConfig } from '../ports/directory-config.js';
import { compilePack, type RulePack, type TemplateRegistry } from './compile-pack.js';
import { type LocalStandards, localStandardsSchema, rulePackSchema } from './pack.schema.js';

/** An organisation's local standards file, already read by the caller (the CLI reads the user's file). */
export interface LocalStandardsText {
  /** Names the file in messages. */
  readonly name: string;
  /** The YAML text, or undefined when the file does not exist. */
  readonly text: string | undefined;
}

export interface LoadPacksOptions {
  readonly localStandards?: LocalStandardsText;
  /** A local standards file on disk; prefer `localStandards`. */
  readonly localStandardsFile?: string;
}

/**
 * Reads the `*.yaml` rule packs in `folder` of the configuration (a folder path stands for that
 * folder on disk) and compiles them with the templates.
 */
export function loadRulePacks(from: ConfigSource | string, templates: TemplateRegistry, options: LoadPacksOptions = {}, folder = ''): RulePack[] {
  const config = typeof from === 'string' ? directoryConfig(from) : from;
  const problems: string[] = [];
  const standards = options.localStandards ?? (options.localStandardsFile === undefined ? undefined : readStandardsFile(options.localStandardsFile));
  const local: LocalStandards | undefined = standards === undefined ? undefined : parseYamlAgainst(standards.text, standards.name, localStandardsSchema, problems);
  const packs: RulePack[] = [];
  const names = config.list(folder)?.filter((n) => n.endsWith('.yaml'));
  if (names === undefined) problems.push(`${config.describe(folder)}: cannot read the rule pack folder`);
  for (const name of names ?? []) {
    const spec = parseYamlAgainst(config.read(configPath(folder, name)), name, rulePackSchema, problems);
    if (!spec) continue;
    if (packs.some((p) => p.id === spec.id)) {
      problems.push(`${name}: duplicate pack id "${spec.id}"`);
      continue;
    }
    try {
      packs.push(compilePack(spec, templates, `mappings/rule-packs/${name}`, local?.pack === spec.id ? local : undefined));
    } catch (err) {
      if (err instanceof PontError) problems.push(...err.issues.map((i) => i.diagnostics ?? err.message));
      else problems.push(`${name}: ${String(err)}`);
    }
  }
  if (local && !packs.some((p) => p.id === local.pack) && problems.length === 0) problems.push(`local standards: no rule pack "${local.pack}"`);
  if (packs.filter((p) => p.selectedBy?.default).length > 1) problems.push('more than one rule pack says it is the default');
  if (problems.length > 0) {
    throw new ConfigError(
      `rule packs are invalid:\n- ${problems.join('\n- ')}`,
      problems.map((p) => ({ severity: 'error', code: 'invalid', diagnostics: p })),
    );
  }
  return packs;
}

function readStandardsFile(file: string): LocalStandardsText {
  return { name: file, text: directoryConfig(dirname(file)).read(basename(file)) };
}
