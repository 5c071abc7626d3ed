/**
 * Turns a rule pack's data into runnable rules: finds each code template, parses its
 * parameters (per team type too), compiles declarative FHIRPath rules, and applies an
 * organisation's local standards, which may only make a rule stricter.
 */
import { ConfigError } from '../errors/errors.js';
import { compareDurations, type Duration, formatDuration } from '../time/duration.js';
import type { HolidayRegion } from '../time/working-days.js';
import { compileDeclarative } from './declarative.js';
import type { Episode, RecordFacts } from './facts.js';
import type { Force } from './finding.js';
import type { LocalStandards, RulePackSpec, RuleSpec } from './pack.schema.js';
import { partsMask } from './record-parts.js';
import type { Emit, RuleTemplate, Tightening } from './template.js';

export interface CompiledRule {
  readonly id: string;
  readonly check: string;
  readonly title: string;
  readonly force: Force;
  readonly citation: string;
  readonly explanation: string;
  /** The template name, or "fhirpath" for a declarative rule. */
  readonly kind: string;
  run(facts: RecordFacts, emit: Emit): void;
}

export interface RulePack {
  readonly id: string;
  readonly version: string;
  readonly title: string;
  readonly jurisdiction: 'wales' | 'england';
  readonly workingDays: HolidayRegion;
  readonly selectedBy: RulePackSpec['selectedBy'];
  readonly rules: readonly CompiledRule[];
  readonly caseload?: RulePackSpec['caseload'];
  /** The team type an episode belongs to, from its team's name. */
  teamTypeOf(episode: Episode): string | undefined;
  /** The local standards applied, if any. */
  readonly localStandards?: string;
}

export type TemplateRegistry = ReadonlyMap<string, RuleTemplate<unknown>>;

export function compilePack(spec: RulePackSpec, templates: TemplateRegistry, origin: string, local?: LocalStandards): RulePack {
  const problems: string[] = [];
  const effective = local ? applyLocalStandards(spec, local, templates, problems) : spec;
  const rules: CompiledRule[] = [];
  const teamTypeOf = teamTypeMatcher(effective);
  effective.rules.forEach((rule, i) => {
    const compiled = compileRule(rule, templates, teamTypeOf, (message) => problems.push(`${origin}: rules[${i}] (${rule.id}/${rule.check}): ${message}`));
    if (compiled) rules.push(compiled);
  });
  if (problems.length > 0) {
    throw new ConfigError(
      `rule pack ${origin} is invalid:\n- ${problems.join('\n- ')}`,
      problems.map((p) => ({ severity: 'error', code: 'invalid', diagnostics: p })),
    );
  }
  return {
    id: spec.id,
    version: spec.version,
    title: spec.title,
    jurisdiction: spec.jurisdiction,
    workingDays: spec.workingDays,
    selectedBy: spec.selectedBy,
    rules,
    ...(spec.caseload ? { caseload: spec.caseload } : {}),
    teamTypeOf: teamTypeMatcher(spec),
    localStandards: local?.title,
  };
}

function compileRule(
  rule: RuleSpec,
  templates: TemplateRegistry,
  teamTypeOf: (episode: Episode) => string | undefined,
  problem: (m: string) => void,
): CompiledRule | undefined {
  const common = { id: rule.id, check: rule.check, title: rule.title, force: rule.force, citation: rule.citation, explanation: rule.explanation };
  if (rule.template === undefined) {
    try {
      return { ...common, kind: 'fhirpath', run: compileDeclarative(rule) };
    } catch (err) {
      problem(err instanceof Error ? err.message : String(err));
      return undefined;
    }
  }
  const template = templates.get(rule.template);
  if (!template) {
    problem(`unknown template "${rule.template}"; known: ${[...templates.keys()].sort().join(', ')}`);
    return undefined;
  }
  const base = parseParams(template, rule.params ?? {}, 'params', problem);
  if (base === undefined) return undefined;
  const byTeamType = new Map<string, unknown>();
  for (const [teamType, overrides] of Object.entries(rule.byTeamType ?? {})) {
    const parsed = parseParams(template, { ...rule.params, ...overrides }, `byTeamType.${teamType}`, problem);
    if (parsed === undefined) return undefined;
    byTeamType.set(teamType, parsed);
  }
  const needed = partsRequired(template, [base, ...byTeamType.values()]);
  if (byTeamType.size === 0) {
    const params = () => base;
    return {
      ...common,
      kind: template.name,
      run: (facts, emit) => {
        if ((facts.heldParts & needed) === needed) template.evaluate(facts, params, emit);
      },
    };
  }
  const enabling = teamTypesEnabling(base, byTeamType);
  return {
    ...common,
    kind: template.name,
    run: (facts, emit) => {
      if ((facts.heldParts & needed) !== needed) return;
      if (enabling !== undefined && !hasEpisodeOfType(facts, teamTypeOf, enabling)) return;
      // Many templates never pass an episode: the person's team types are looked up on the first that does.
      let teamTypes: Map<Episode, string | undefined> | undefined;
      // Passed inline rather than named: a named closure made on every call costs more than its body.
      template.evaluate(
        facts,
        (episode?: Episode) => {
          if (episode === undefined) return base;
          // An episode's team type is matched once per person and shared by every rule of the pack (the key is the pack's matcher).
          teamTypes ??= facts.memo(teamTypeOf, newTeamTypes);
          const teamType = knownTeamType(teamTypes, teamTypeOf, episode);
          return (teamType !== undefined ? byTeamType.get(teamType) : undefined) ?? base;
        },
        emit,
      );
    },
  };
}

/** The parts of the record without which the rule says nothing whatever the team type: those its template is silent without under every set of its parameters. */
function partsRequired(template: RuleTemplate<unknown>, variants: readonly unknown[]): number {
  if (template.silentWithout === undefined) return 0;
  let needed = -1;
  for (const params of variants) needed &= partsMask(template.silentWithout(params));
  return needed;
}

const newTeamTypes = () => new Map<Episode, string | undefined>();

/**
 * For a rule that does not apply by default (`applies: false`), the team types it applies to;
 * undefined for any other rule. A template with `applies` says nothing about an item it does not
 * apply to (RuleTemplate.evaluate), so the rule need not run for a person with no such episode.
 */
function teamTypesEnabling(base: unknown, byTeamType: ReadonlyMap<string, unknown>): ReadonlySet<string> | undefined {
  if (!appliesIs(base, false)) return undefined;
  return new Set([...byTeamType].filter(([, params]) => appliesIs(params, true)).map(([teamType]) => teamType));
}

function appliesIs(params: unknown, value: boolean): boolean {
  return typeof params === 'object' && params !== null && (params as { applies?: unknown }).applies === value;
}

/** Whether any of the person's episodes belongs to one of the team types, each episode matched once per person and pack (as params does). */
function hasEpisodeOfType(facts: RecordFacts, teamTypeOf: (episode: Episode) => string | undefined, teamTypes: ReadonlySet<string>): boolean {
  const episodes = facts.record.episodes;
  if (episodes === undefined || episodes.length === 0 || teamTypes.size === 0) return false;
  const known = facts.memo(teamTypeOf, newTeamTypes);
  for (const episode of episodes) {
    const teamType = knownTeamType(known, teamTypeOf, episode);
    if (teamType !== undefined && teamTypes.has(teamType)) return true;
  }
  return false;
}

/** An episode's team type from the person's matches so far, matched and kept on first sight. */
function knownTeamType(known: Map<Episode, string | undefined>, teamTypeOf: (episode: Episode) => string | undefined, episode: Episode): string | undefined {
  let teamType = known.get(episode);
  if (teamType === undefined && !known.has(episode)) known.set(episode, (teamType = teamTypeOf(episode)));
  return teamType;
}

function parseParams(template: RuleTemplate<unknown>, raw: Record<string, unknown>, where: string, problem: (m: string) => void): unknown {
  const result = template.params.safeParse(raw);
  if (result.success) return result.data;
  for (const issue of result.error.issues) problem(`${where}.${issue.path.join('.') || '(root)'}: ${issue.message}`);
  return undefined;
}

/** The team type whose names match the episode's team, case-insensitively and on whole words. */
function teamTypeMatcher(pack: RulePackSpec): (episode: Episode) => string | undefined {
  const patterns = Object.entries(pack.teamTypes ?? {}).map(
    ([name, type]) => [name, type.match.map((m) => new RegExp(`(^|\\W)${m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|\\W)`, 'i'))] as const,
  );
  return (episode) => {
    if (episode.team === undefined) return undefined;
    for (const [name, regexes] of patterns) if (regexes.some((r) => r.test(episode.team!))) return name;
    return undefined;
  };
}

/**
 * Replaces a pack's parameters with an organisation's stricter ones. A value looser than the
 * pack's (which states the statutory or Code minimum, or the trust policy) is refused, as is a
 * change to a parameter the template does not allow to be tightened.
 */
function applyLocalStandards(spec: RulePackSpec, local: LocalStandards, templates: TemplateRegistry, problems: string[]): RulePackSpec {
  if (local.pack !== spec.id) {
    problems.push(`local standards "${local.title}" are for pack "${local.pack}", not "${spec.id}"`);
    return spec;
  }
  const rules = spec.rules.map((rule) => {
    const key = `${rule.id}/${rule.check}`;
    const overrides = local.rules[key];
    if (overrides === undefined) return rule;
    const template = rule.template === undefined ? undefined : templates.get(rule.template);
    if (!template) {
      problems.push(`local standards: ${key} has no parameters to change`);
      return rule;
    }
    const report = (m: string) => problems.push(`local standards: ${key}: ${m}`);
    const merged = { ...rule.params, ...overrides };
    const before = parseParams(template, rule.params ?? {}, 'params', report) as Record<string, unknown> | undefined;
    const after = parseParams(template, merged, 'params', report) as Record<string, unknown> | undefined;
    if (!before || !after) return rule;
    for (const name of Object.keys(overrides)) {
      const direction = template.tightening?.[name];
      if (!direction) {
        report(`"${name}" cannot be changed by local standards`);
        continue;
      }
      const looser = isLooser(after[name], before[name], direction);
      if (looser === undefined) report(`"${name}" must be given in the same kind of unit as the pack's ${describe(before[name])}`);
      else if (looser) report(`"${name}" of ${describe(after[name])} is looser than the minimum of ${describe(before[name])}; local standards may only be stricter`);
    }
    const byTeamType = Object.fromEntries(
      Object.entries(rule.byTeamType ?? {}).map(([teamType, values]) => {
        const stricter: Record<string, unknown> = { ...values };
        const teamParsed = parseParams(template, { ...rule.params, ...values }, `byTeamType.${teamType}`, report) as Record<string, unknown> | undefined;
        for (const name of Object.keys(overrides)) {
          const direction = template.tightening?.[name];
          if (!direction || !teamParsed || !(name in values)) continue;
          if (isLooser(after[name], teamParsed[name], direction) === false) stricter[name] = overrides[name];
        }
        return [teamType, stricter];
      }),
    );
    return { ...rule, params: merged, ...(rule.byTeamType ? { byTeamType } : {}) };
  });
  for (const key of Object.keys(local.rules)) {
    if (!spec.rules.some((r) => `${r.id}/${r.check}` === key)) problems.push(`local standards: no rule ${key} in pack "${spec.id}"`);
  }
  return { ...spec, rules };
}

function isLooser(value: unknown, limit: unknown, direction: Tightening): boolean | undefined {
  let difference: number | undefined;
  if (typeof value === 'number' && typeof limit === 'number') difference = value - limit;
  else if (isDuration(value) && isDuration(limit)) difference = compareDurations(value, limit);
  if (difference === undefined) return undefined;
  return direction === 'lower' ? difference > 0 : difference < 0;
}

function isDuration(value: unknown): value is Duration {
  return typeof value === 'object' && value !== null && 'unit' in value && 'value' in value;
}

function describe(value: unknown): string {
  return isDuration(value) ? formatDuration(value) : JSON.stringify(value);
}
