/**
 * Rules written as data: FHIRPath expressions over the items of one record list. `where`
 * chooses the items, `needs` says whether the data to judge them is there, `require` judges.
 * Each item's location is its FHIRPath in the record, e.g. `plans[2].crisisPlan`.
 */
import { compileExpression } from '../fhirpath/compile.js';
import type { CompiledExpression } from '../fhirpath/types.js';
import type { RecordFacts } from './facts.js';
import type { RuleSpec } from './pack.schema.js';
import type { Emit } from './template.js';

export type DeclarativeCheck = (facts: RecordFacts, emit: Emit) => void;

interface ListItem {
  readonly item: unknown;
  readonly path: string;
  readonly parent: unknown;
}

export function compileDeclarative(spec: RuleSpec): DeclarativeCheck {
  const where = spec.where === undefined ? undefined : compileExpression(spec.where);
  const needs = spec.needs === undefined ? undefined : compileExpression(spec.needs);
  const require = compileExpression(spec.require!);
  const segments = spec.each?.split('.') ?? [];
  const failMessage = spec.failMessage!;
  const missing = spec.missing ?? [];

  return (facts, emit) => {
    const items: ListItem[] = segments.length === 0 ? [{ item: facts.record, path: '', parent: undefined }] : listItems(facts.record, segments);
    for (const { item, path, parent } of items) {
      const env = { asOf: facts.asOf, record: facts.record, parent, dateOfBirth: facts.dateOfBirth ?? null };
      if (where && !truth(where, item, env)) continue;
      const location = [path, spec.at].filter(Boolean).join('.') || undefined;
      const about = aboutPlan(facts, path);
      if (needs && !truth(needs, item, env)) emit.cannotEvaluate(missing, `${about}Not enough is recorded to check this: ${missing.join(', ')}.`, location);
      else if (truth(require, item, env)) emit.pass('Meets the requirement.', location);
      else emit.fail(`${about}${failMessage}`, location);
    }
  };
}

/** "Plan version 2 (plans[1]): " for an item of a plan, so that the message names the version; else nothing. */
function aboutPlan(facts: RecordFacts, path: string): string {
  const index = /^plans\[(\d+)\]/.exec(path)?.[1];
  const plan = index === undefined ? undefined : facts.record.plans?.[Number(index)];
  return plan === undefined ? '' : `Plan version ${plan.version} (plans[${index}]): `;
}

/**
 * True only for a single `true`. An expression that throws is not caught here: the record has
 * passed its schema, so that is a fault of the rule, which the engine reports as RULE_FAILED.
 */
function truth(expression: CompiledExpression, item: unknown, env: Record<string, unknown>): boolean {
  const result = expression(item, env);
  return result.length === 1 && result[0] === true;
}

function listItems(root: unknown, segments: readonly string[]): ListItem[] {
  let level: ListItem[] = [{ item: root, path: '', parent: undefined }];
  for (const segment of segments) {
    const next: ListItem[] = [];
    for (const { item, path } of level) {
      const value = (item as Record<string, unknown> | undefined)?.[segment];
      const prefix = `${path ? `${path}.` : ''}${segment}`;
      if (Array.isArray(value)) value.forEach((child, i) => next.push({ item: child, path: `${prefix}[${i}]`, parent: item }));
      else if (typeof value === 'object' && value !== null) next.push({ item: value, path: prefix, parent: item });
    }
    level = next;
  }
  return level;
}
