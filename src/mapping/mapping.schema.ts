/** The shape of a mapping file in mappings/, checked when the file is loaded. */
import { z } from 'zod';

const ruleId = z.string().regex(/^[a-z][a-z0-9-]*$/, { message: 'must be kebab-case' });
const expressionText = z.string().min(1, { message: 'must not be empty' });
const variableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'must be a variable name' });

export const resourceRuleSchema = z
  .object({
    rule: ruleId.describe('Stable id of this rule, used in traces and errors.'),
    description: z.string().optional(),
    resourceType: z.string().regex(/^[A-Z][A-Za-z]+$/, { message: 'must be a FHIR resource type' }),
    profile: z.url().describe('Canonical URL of the profile set in meta.profile.'),
    for: z
      .union([expressionText, z.array(expressionText).min(1)])
      .optional()
      .describe('One resource per item; a list nests (each expression runs on the items of the one before). Without it, one resource from the root.'),
    as: z
      .union([variableName, z.array(variableName).min(1)])
      .optional()
      .describe('Names under which the items are available as %name (one per level of for).'),
    localId: expressionText.describe('Template (e.g. "{{ id }}") giving the item’s local id; other rules refer to it with ref().'),
    key: z
      .union([expressionText, z.array(expressionText).min(1)])
      .optional()
      .describe('Template giving the identity hashed into the resource id (a list: the first that yields); defaults to scope, type and local id.'),
    conditional: z.string().optional().describe('Search criteria for a conditional update, e.g. identifier=system|{{value}}.'),
    template: z.record(z.string(), z.unknown()),
  })
  .strict();

export const mappingFileSchema = z
  .object({
    id: ruleId,
    version: z.string().regex(/^\d+\.\d+\.\d+$/, { message: 'must be a semantic version such as 1.0.0' }),
    description: z.string().min(1),
    input: ruleId.describe('The input format this mapping reads (a source name, "ctp" or "fhir").'),
    output: z
      .union([z.literal('fhir'), ruleId])
      .describe("What the mapping writes: fhir (resources), or one document from template: ctp (the canonical record) or an EPR's own format (a source name)."),
    scope: expressionText.optional().describe('Expression giving the string that scopes default resource keys.'),
    let: z.record(variableName, expressionText).optional().describe('Variables evaluated once against the root.'),
    params: z.record(variableName, z.unknown()).optional().describe('Variables the caller may pass (as %name), with the value used when it does not.'),
    resources: z.array(resourceRuleSchema).optional(),
    template: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.output === 'fhir' && (m.resources === undefined || m.resources.length === 0)) {
      ctx.addIssue({ code: 'custom', path: ['resources'], message: 'a mapping to FHIR needs at least one resource rule' });
    }
    if (m.output === 'fhir' && m.template !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['template'], message: 'a mapping to FHIR uses resources, not template' });
    }
    if (m.output !== 'fhir' && m.template === undefined) {
      ctx.addIssue({ code: 'custom', path: ['template'], message: `a mapping to ${m.output === 'ctp' ? 'the canonical record' : 'a document'} needs a template` });
    }
    if (m.output !== 'fhir' && m.resources !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['resources'],
        message: `a mapping to ${m.output === 'ctp' ? 'the canonical record' : 'a document'} uses template, not resources`,
      });
    }
    const seen = new Set<string>();
    m.resources?.forEach((r, i) => {
      const levels = r.for === undefined ? 0 : Array.isArray(r.for) ? r.for.length : 1;
      const names = r.as === undefined ? 0 : Array.isArray(r.as) ? r.as.length : 1;
      if (names > levels) ctx.addIssue({ code: 'custom', path: ['resources', i, 'as'], message: 'as names more levels than for has' });
      if (seen.has(r.rule)) ctx.addIssue({ code: 'custom', path: ['resources', i, 'rule'], message: `duplicate rule id "${r.rule}"` });
      seen.add(r.rule);
      for (const reserved of ['resourceType', 'id', 'meta']) {
        if (reserved in r.template) {
          ctx.addIssue({ code: 'custom', path: ['resources', i, 'template', reserved], message: `${reserved} is set by the engine` });
        }
      }
    });
  });

export type MappingFile = z.infer<typeof mappingFileSchema>;
export type ResourceRule = z.infer<typeof resourceRuleSchema>;

export const codeMapSchema = z
  .object({
    id: ruleId,
    description: z.string().min(1),
    entries: z.array(z.object({ from: z.string().min(1), to: z.string().min(1), note: z.string().optional() }).strict()).min(1),
  })
  .strict()
  .superRefine((m, ctx) => {
    const seen = new Set<string>();
    m.entries.forEach((e, i) => {
      if (seen.has(e.from)) ctx.addIssue({ code: 'custom', path: ['entries', i, 'from'], message: `duplicate source code "${e.from}"` });
      seen.add(e.from);
    });
  });

export type CodeMapFile = z.infer<typeof codeMapSchema>;
