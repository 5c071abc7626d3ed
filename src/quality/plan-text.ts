/**
 * The written parts of a plan version, each with its FHIRPath in the record, so that a signal can
 * name where it found something without quoting it. `staffText` is what the plan's authors wrote
 * and the person receives; the person's own words (outcomes in their words, their views) are kept
 * apart, because their words are never judged for jargon or voice.
 */
import type { PlanVersion } from '../record/record.schema.js';

export interface TextPiece {
  /** Location relative to the plan, e.g. `outcomes[1].description`. */
  readonly path: string;
  readonly text: string;
}

export function staffText(plan: PlanVersion): TextPiece[] {
  const pieces: TextPiece[] = [];
  const add = (path: string, text: string | undefined) => {
    if (text !== undefined) pieces.push({ path, text });
  };
  plan.outcomes?.forEach((o, i) => {
    add(`outcomes[${i}].description`, o.description);
    o.areas?.forEach((a, j) => add(`outcomes[${i}].areas[${j}].explanation`, typeof a.explanation === 'string' ? a.explanation : undefined));
    o.milestones?.forEach((m, j) => add(`outcomes[${i}].milestones[${j}].description`, m.description));
    o.actions?.forEach((a, j) => {
      add(`outcomes[${i}].actions[${j}].description`, a.description);
      add(`outcomes[${i}].actions[${j}].when`, a.when);
    });
  });
  plan.actions?.forEach((a, i) => {
    add(`actions[${i}].description`, a.description);
    add(`actions[${i}].when`, a.when);
  });
  if (Array.isArray(plan.relapseSignatures)) plan.relapseSignatures.forEach((s, i) => add(`relapseSignatures[${i}]`, s));
  plan.crisisPlan?.actions?.forEach((a, i) => add(`crisisPlan.actions[${i}]`, a));
  plan.crisisPlan?.contingencies?.forEach((c, i) => add(`crisisPlan.contingencies[${i}]`, c));
  if (typeof plan.languageAndCommunication === 'string') add('languageAndCommunication', plan.languageAndCommunication);
  return pieces;
}

/** The plan's outcomes and actions as one text: what near-duplicate search compares between people. */
export function planBody(plan: PlanVersion): string {
  const parts: string[] = [];
  for (const o of plan.outcomes ?? []) {
    if (o.description) parts.push(o.description);
    for (const a of o.actions ?? []) if (a.description) parts.push(a.description);
  }
  for (const a of plan.actions ?? []) if (a.description) parts.push(a.description);
  if (Array.isArray(plan.relapseSignatures)) parts.push(...plan.relapseSignatures);
  parts.push(...(plan.crisisPlan?.actions ?? []), ...(plan.crisisPlan?.contingencies ?? []));
  return parts.join('\n');
}

/** Words in a text: runs of letters, digits and apostrophes. */
export function words(text: string): string[] {
  return text.match(/[\p{L}\p{N}']+/gu) ?? [];
}

export function wordCount(text: string): number {
  return words(text).length;
}
