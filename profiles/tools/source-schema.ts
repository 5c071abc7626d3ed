/**
 * The authored sources in profiles/source/ and their zod schemas. See profiles/source/README.md
 * for the format. Every file is checked when loaded; problems become one ConfigError naming
 * each file and the path inside it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../../src/errors/errors.js';

const idPattern = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const sliceNamePattern = /^[A-Za-z][A-Za-z0-9_-]*$/;

const max = z.union([z.number().int().min(0), z.literal('*')]);
const text = z.string().trim().min(1);

/** `string`, `Reference(pont-patient | Group)`, or a list of them for a choice element. */
const typeSpec = z.union([text, z.array(text).min(1)]);

const binding = z.union([
  text,
  z
    .object({
      valueSet: text,
      strength: z.enum(['required', 'extensible', 'preferred', 'example']),
      description: text.optional(),
    })
    .strict(),
]);

const slicing = z
  .object({
    discriminator: z.array(z.string().regex(/^(value|pattern|type|exists|profile):\S+$/, { message: 'must be "type:path", e.g. "value:system"' })).min(1),
    rules: z.enum(['open', 'closed', 'openAtEnd']).optional(),
    ordered: z.boolean().optional(),
    description: text.optional(),
  })
  .strict();

const extensionSlice = z
  .object({
    url: text.describe('Id of a pont extension, or a full canonical URL.'),
    min: z.number().int().min(0).optional(),
    max: max.optional(),
    short: text.optional(),
  })
  .strict();
export type ExtensionSliceSource = z.infer<typeof extensionSlice>;

export interface ElementRuleSource {
  min?: number | undefined;
  max?: number | '*' | undefined;
  short?: string | undefined;
  definition?: string | undefined;
  comment?: string | undefined;
  type?: string | string[] | undefined;
  fixed?: unknown;
  pattern?: unknown;
  binding?: z.infer<typeof binding> | undefined;
  slicing?: z.infer<typeof slicing> | undefined;
  slices?: Record<string, ElementRuleSource> | undefined;
  extensions?: Record<string, ExtensionSliceSource> | undefined;
  elements?: Record<string, ElementRuleSource> | undefined;
}

const sliceNames = <T extends z.ZodType>(schema: T) => z.record(z.string().regex(sliceNamePattern, { message: 'slice names are letters, digits, "_" and "-"' }), schema);

const elementPath = z.string().regex(/^[a-z][A-Za-z0-9]*(\[x\])?(\.[a-z][A-Za-z0-9]*(\[x\])?)*$/, {
  message: 'element paths are relative to the resource, e.g. "status" or "activity.detail.code"',
});

const elementRule: z.ZodType<ElementRuleSource> = z.lazy(() =>
  z
    .object({
      min: z.number().int().min(0).optional(),
      max: max.optional(),
      short: text.optional(),
      definition: text.optional(),
      comment: text.optional(),
      type: typeSpec.optional(),
      fixed: z.unknown().optional(),
      pattern: z.unknown().optional(),
      binding: binding.optional(),
      slicing: slicing.optional(),
      slices: sliceNames(elementRule).optional(),
      extensions: sliceNames(extensionSlice).optional(),
      elements: z.record(elementPath, elementRule).optional(),
    })
    .strict()
    .refine((r) => r.fixed === undefined || r.pattern === undefined, { message: 'use fixed or pattern, not both' })
    .refine((r) => r.slices === undefined || r.slicing !== undefined, { message: 'slices need a slicing' }),
);

export const profileSourceSchema = z
  .object({
    id: z.string().regex(idPattern),
    base: z.string().regex(/^[A-Z][A-Za-z]+$/, { message: 'must be an R4 resource type' }),
    title: text,
    description: text,
    purpose: text.optional(),
    extensions: sliceNames(extensionSlice).optional().describe('Slices on <base>.extension.'),
    elements: z.record(elementPath, elementRule).optional(),
  })
  .strict();
export type ProfileSource = z.infer<typeof profileSourceSchema>;

export interface SubExtensionSource {
  short?: string | undefined;
  definition?: string | undefined;
  min?: number | undefined;
  max?: number | '*' | undefined;
  value?: string | string[] | undefined;
  binding?: z.infer<typeof binding> | undefined;
  pattern?: unknown;
  fixed?: unknown;
  dataAbsentReason?: boolean | undefined;
  extensions?: Record<string, SubExtensionSource> | undefined;
}

const valueOrParts = (r: { value?: unknown; extensions?: unknown; binding?: unknown; pattern?: unknown; fixed?: unknown; dataAbsentReason?: unknown }) =>
  (r.value !== undefined) !== (r.extensions !== undefined) &&
  (r.value !== undefined || (r.binding === undefined && r.pattern === undefined && r.fixed === undefined && r.dataAbsentReason === undefined));
const valueOrPartsMessage = {
  message: 'an extension has either a value (simple) or extensions (complex); binding, pattern, fixed and dataAbsentReason go with a value',
};

const subExtension: z.ZodType<SubExtensionSource> = z.lazy(() =>
  z
    .object({
      short: text.optional(),
      definition: text.optional(),
      min: z.number().int().min(0).optional(),
      max: max.optional(),
      value: typeSpec.optional(),
      binding: binding.optional(),
      pattern: z.unknown().optional(),
      fixed: z.unknown().optional(),
      dataAbsentReason: z.boolean().optional(),
      extensions: sliceNames(subExtension).optional(),
    })
    .strict()
    .refine(valueOrParts, valueOrPartsMessage),
);

export const extensionSourceSchema = z
  .object({
    id: z.string().regex(idPattern),
    title: text,
    description: text,
    context: z.array(z.string().regex(/^[A-Z][A-Za-z]+(\.[a-z][A-Za-z0-9]*)*$/)).min(1),
    value: typeSpec.optional(),
    binding: binding.optional(),
    pattern: z.unknown().optional(),
    fixed: z.unknown().optional(),
    dataAbsentReason: z.boolean().optional().describe('The value may be replaced by a data-absent-reason extension.'),
    extensions: sliceNames(subExtension).optional(),
  })
  .strict()
  .refine(valueOrParts, valueOrPartsMessage);
export type ExtensionSource = z.infer<typeof extensionSourceSchema>;

export const extensionFileSchema = z.object({ extensions: z.array(extensionSourceSchema).min(1) }).strict();

export const terminologySourceSchema = z
  .object({
    codeSystems: z
      .array(
        z
          .object({
            id: z.string().regex(idPattern),
            vocabulary: z.string().regex(/^[a-z][A-Za-z0-9]*Vocabulary$/, { message: 'must name a *Vocabulary export of src/record/vocabulary.ts' }),
            title: text,
            description: text,
          })
          .strict(),
      )
      .min(1),
  })
  .strict();
export type CodeSystemSource = z.infer<typeof terminologySourceSchema>['codeSystems'][number];

/** profiles/source/package.yaml: what the FHIR package and its ImplementationGuide say of themselves. */
export const packageSourceSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9]*(\.[a-z][a-z0-9-]*)+$/, { message: 'a FHIR package id: lower-case, dot-separated, e.g. wales.pont.fhir' }),
    igId: z.string().regex(idPattern),
    title: text,
    description: text,
    date: z.iso.date({ message: 'must be a date, YYYY-MM-DD' }),
    license: z.string().regex(/^[A-Za-z0-9.-]+$/, { message: 'an SPDX licence id' }),
    author: text,
    jurisdiction: z.string().regex(/^[A-Z]{2}$/, { message: 'an ISO 3166 country code' }),
  })
  .strict();
export type PackageSource = z.infer<typeof packageSourceSchema>;

export interface Sources {
  readonly package: PackageSource;
  readonly profiles: readonly ProfileSource[];
  readonly extensions: readonly ExtensionSource[];
  readonly codeSystems: readonly CodeSystemSource[];
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(dir, f));
}

/** Reads and checks profiles/source/: `profiles/*.yaml`, `extensions/*.yaml`, `terminology.yaml`, `package.yaml`. */
export function loadSources(sourceDir: string): Sources {
  const issues: OperationOutcomeIssue[] = [];
  const problem = (file: string, message: string, path?: string) =>
    issues.push({
      severity: 'error',
      code: 'invalid',
      diagnostics: `${file}${path ? ` at ${path}` : ''}: ${message}`,
    });

  function read<T>(file: string, schema: z.ZodType<T>): T | undefined {
    let data: unknown;
    try {
      data = parseYaml(readFileSync(file, 'utf8'));
    } catch (e) {
      problem(file, `not readable YAML (${e instanceof Error ? e.message.split('\n')[0] : 'unknown error'})`);
      return undefined;
    }
    const result = schema.safeParse(data);
    if (!result.success) {
      for (const i of result.error.issues) problem(file, i.message, i.path.join('.') || '(root)');
      return undefined;
    }
    return result.data;
  }

  const profiles: ProfileSource[] = [];
  for (const file of yamlFiles(join(sourceDir, 'profiles'))) {
    const p = read(file, profileSourceSchema);
    if (!p) continue;
    if (!file.endsWith(`/${p.id}.yaml`)) problem(file, `file name must be ${p.id}.yaml`);
    profiles.push(p);
  }
  const extensions: ExtensionSource[] = [];
  for (const file of yamlFiles(join(sourceDir, 'extensions'))) {
    const f = read(file, extensionFileSchema);
    if (f) extensions.push(...f.extensions);
  }
  const terminology = read(join(sourceDir, 'terminology.yaml'), terminologySourceSchema);
  const packageSource = read(join(sourceDir, 'package.yaml'), packageSourceSchema);

  const seen = new Map<string, string>();
  for (const [kind, id] of [
    ...profiles.map((p) => ['StructureDefinition', p.id] as const),
    ...extensions.map((e) => ['StructureDefinition', e.id] as const),
    ...(terminology?.codeSystems ?? []).map((c) => ['CodeSystem', c.id] as const),
  ]) {
    const key = `${kind}/${id}`;
    if (seen.has(key)) problem(sourceDir, `${kind} id ${id} is defined twice`);
    seen.set(key, id);
  }

  if (issues.length > 0 || !packageSource) {
    throw new ConfigError(`profiles/source has ${issues.length} problem(s):\n${issues.map((i) => `  ${i.diagnostics}`).join('\n')}`, issues);
  }
  return {
    package: packageSource,
    profiles: profiles.sort(byId),
    extensions: extensions.sort(byId),
    codeSystems: [...(terminology?.codeSystems ?? [])].sort(byId),
  };
}
