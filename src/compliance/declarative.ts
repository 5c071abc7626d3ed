/**
 * Rules written as data: FHIRPath expressions over the items of one record list. `where`
 * chooses the items, `needs` says whether the data to judge them is there, `require` judges.
 * Each item's location is its FHIRPath in the record, e.g. `plans[2].crisisPlan`.
 */
import { compileExpression, type CompiledExpression } from '../mapping/expression.js';
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
  const where = spec.where === undefined ? undefined : compileExpression(spec.where, {});
  const needs = spec.needs === undefined ? undefined : compileExpression(spec.needs, {});
  const require = compileExpression(spec.require!, {});
  const segments = spec.each?.split('.') ?? [];
  const failMessage = spec.failMessage!;
  const missing = spec.missing ?? [];

  return (facts, emit) => {
    const items: ListItem[] = segments.length === 0 ? [{ item: facts.record, path: '', parent: undefined }] : listItems(facts.record, segments);
    const env: Record<string, unknown> = { asOf: facts.asOf, record: facts.record, parent: undefined, dateOfBirth: facts.dateOfBirth ?? null };
    for (const { item, path, parent } of items) {
      env.parent = parent;
      if (where && truth(where, item, env) !== true) continue;
      const location = [path, spec.at].filter(Boolean).join('.') || undefined;
      const verdict = needs && truth(needs, item, env) !== true ? 'missing' : truth(require, item, env);
      if (verdict === 'missing') emit.cannotEvaluate(missing, `Not enough is recorded to check this: ${missing.join(', ')}.`, location);
      else if (verdict === undefined) emit.cannotEvaluate(['data in the expected form'], 'The recorded data is not in a form this rule can read.', location);
      else if (verdict) emit.pass('Meets the requirement.', location);
      else emit.fail(failMessage, location);
    }
  };
}

/** True only for a single `true`; undefined when the expression fails on data of an unexpected shape. */
function truth(expression: CompiledExpression, item: unknown, env: Record<string, unknown>): boolean | undefined {
  try {
    const result = expression(item, env);
    return result.length === 1 && result[0] === true;
  } catch {
    return undefined;
  }
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
