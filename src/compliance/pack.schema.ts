/**
 * Rule packs: data files (YAML) with a schema and a version. A pack is a set of rules for one
 * body of law or policy (the Welsh Measure, an English trust's care coordination policy); each
 * rule is either a code template with parameters or a declarative FHIRPath check.
 */
import { z } from 'zod';
import { forces } from './finding.js';

const text = z.string().trim().min(1, { message: 'must not be empty' });
const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'must be lower-case words joined by "-"' });
const rawParams = z.record(z.string(), z.unknown());

export const ruleSpecSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*$/, { message: 'must be a catalogue id such as CoP-P2-11' }),
    check: slug.describe('Which part of the rule this is; id + check is unique in a pack.'),
    title: text,
    force: z.enum(forces),
    citation: text.describe('Where the duty comes from, e.g. "Code of Practice para 3.6".'),
    explanation: text.describe('What the rule asks, in words a care coordinator would use.'),
    template: slug.optional().describe('A rule written in code, by template name.'),
    params: rawParams.optional(),
    byTeamType: z.record(slug, rawParams).optional().describe('Parameters that differ for episodes of a team type.'),
    each: z
      .string()
      .regex(/^[a-zA-Z][a-zA-Z0-9]*(\.[a-zA-Z][a-zA-Z0-9]*)*$/, { message: 'must be a dotted path of record lists, e.g. plans or plans.copies' })
      .optional()
      .describe('Declarative rules: the record list whose items are checked; absent checks the record once.'),
    where: text.optional().describe('FHIRPath on each item: only items for which it is true are checked.'),
    needs: text.optional().describe('FHIRPath on each item: when false the rule cannot be evaluated.'),
    missing: z.array(text).min(1).optional().describe('What is not recorded when `needs` is false.'),
    require: text.optional().describe('FHIRPath on each item: true passes, false or empty fails.'),
    at: z
      .string()
      .regex(/^[a-zA-Z][a-zA-Z0-9]*(\.[a-zA-Z][a-zA-Z0-9]*)*$/)
      .optional()
      .describe('Element of the item the finding points at.'),
    failMessage: text.optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const declarative = rule.require !== undefined;
    if (declarative === (rule.template !== undefined)) {
      ctx.addIssue({ code: 'custom', message: 'a rule needs exactly one of "template" (code) or "require" (FHIRPath)', path: ['template'] });
    }
    if (declarative && rule.failMessage === undefined) ctx.addIssue({ code: 'custom', message: 'a declarative rule needs failMessage', path: ['failMessage'] });
    if (!declarative && (rule.each ?? rule.where ?? rule.needs ?? rule.at) !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'each, where, needs and at belong to declarative rules only', path: ['each'] });
    }
    if ((rule.needs === undefined) !== (rule.missing === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'needs and missing go together', path: ['missing'] });
    }
  });
export type RuleSpec = z.infer<typeof ruleSpecSchema>;

export const rulePackSchema = z
  .object({
    id: slug,
    version: z.string().regex(/^\d+\.\d+\.\d+$/, { message: 'must be a version such as 1.0.0' }),
    title: text,
    jurisdiction: z.enum(['wales', 'england']),
    basis: text.describe('The documents the rules come from, with their versions or dates.'),
    workingDays: z.enum(['GB-WLS', 'GB-ENG']).describe('Which bank holidays working days exclude.'),
    selectedBy: z
      .object({
        default: z.boolean().optional(),
        sources: z.array(text).min(1).optional().describe('Source systems (record source.system) whose records use this pack.'),
        organisations: z.array(text).min(1).optional().describe('ODS codes of organisations whose records use this pack.'),
      })
      .strict()
      .optional(),
    teamTypes: z.record(slug, z.object({ title: text, match: z.array(text).min(1).describe('Team names (case-insensitive) of this type.') }).strict()).optional(),
    rules: z.array(ruleSpecSchema).min(1),
    caseload: z
      .object({
        id: z.string().regex(/^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*$/),
        check: slug,
        title: text,
        force: z.enum(forces),
        citation: text,
        explanation: text,
        max: z.number().int().positive().describe('Most people one whole-time coordinator may hold.'),
        byTeamType: z.record(slug, z.object({ max: z.number().int().positive() }).strict()).optional(),
        proRata: z
          .object({
            amhpRotaDays: z.boolean().default(false).describe('Whether days on the AMHP rota reduce the limit too.'),
            workingDaysPerWeek: z.number().positive().default(5),
          })
          .strict()
          .optional()
          .describe('Limits pro rata to each coordinator’s whole-time equivalent (and AMHP rota days); full time where it is not recorded.'),
      })
      .strict()
      .optional()
      .describe('A limit on each coordinator’s caseload, checked across all the records given together.'),
  })
  .strict()
  .superRefine((pack, ctx) => {
    for (const teamType of Object.keys(pack.caseload?.byTeamType ?? {})) {
      if (!pack.teamTypes?.[teamType]) ctx.addIssue({ code: 'custom', message: `unknown team type "${teamType}"`, path: ['caseload', 'byTeamType', teamType] });
    }
    const seen = new Set<string>();
    pack.rules.forEach((rule, i) => {
      const key = `${rule.id}/${rule.check}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', message: `${key} appears twice`, path: ['rules', i, 'check'] });
      seen.add(key);
      for (const teamType of Object.keys(rule.byTeamType ?? {})) {
        if (!pack.teamTypes?.[teamType]) ctx.addIssue({ code: 'custom', message: `unknown team type "${teamType}"`, path: ['rules', i, 'byTeamType', teamType] });
      }
    });
  });
export type RulePackSpec = z.infer<typeof rulePackSchema>;

/** An organisation's own standards: stricter values for some of a pack's parameters. */
export const localStandardsSchema = z
  .object({
    pack: slug,
    title: text,
    rules: z.record(z.string().regex(/^[^/]+\/[a-z0-9-]+$/, { message: 'keys are "<rule id>/<check>"' }), rawParams),
  })
  .strict();
export type LocalStandards = z.infer<typeof localStandardsSchema>;
