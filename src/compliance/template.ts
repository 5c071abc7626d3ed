/**
 * Rules written in code. A template is one kind of check (e.g. "something must follow an event
 * within a time limit"); a rule pack turns it into a rule by giving it an id, a citation, a force
 * and parameters. The same template serves the Welsh Measure and the English trust policies.
 */
import type { z } from 'zod';
import type { IsoDate } from '../time/dates.js';
import type { Episode, RecordFacts } from './facts.js';
import type { RecordPart } from './record-parts.js';

/** The person or item concerned, when findings of one check share a location (Finding.subject). */
export interface About {
  readonly subject?: string | undefined;
}

export interface Emit {
  pass(message: string, location?: string, options?: About): void;
  fail(message: string, location?: string, options?: { due?: IsoDate } & About): void;
  cannotEvaluate(missing: readonly string[], message: string, location?: string, options?: About): void;
  notApplicable(message: string, location?: string, options?: About): void;
}

/** Which way a parameter may move when local standards tighten it. */
export type Tightening = 'lower' | 'higher';

export interface RuleTemplate<P = unknown> {
  readonly name: string;
  /** Parses the pack's raw parameters (durations as text, e.g. "14 days"). */
  readonly params: z.ZodType<P>;
  /** Parameters local standards may change, and which direction is stricter. */
  readonly tightening?: Readonly<Record<string, Tightening>>;
  /**
   * Checks one record and emits one result per item checked. `params` gives the parameters for
   * an episode, so that packs can set different values per team type. A template with an
   * `applies` parameter emits nothing about an item whose parameters say `applies: false`, so a
   * rule that applies only to some team types is not run for a person with no episode of them.
   */
  evaluate(facts: RecordFacts, params: (episode?: Episode) => P, emit: Emit): void;
  /**
   * Parts of the record (facts.record) without any one of which evaluate says nothing, for a
   * rule's parameters: a rule is not run for a record that lacks one. Each template that declares
   * them is held to it by a law test over generated records with each part taken away.
   */
  silentWithout?(params: P): readonly RecordPart[];
}

/** Lets a module export a list of templates with different parameter types. */
export function defineTemplate<P>(template: RuleTemplate<P>): RuleTemplate<unknown> {
  return template as RuleTemplate<unknown>;
}
