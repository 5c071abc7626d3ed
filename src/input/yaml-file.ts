/** Reads a YAML data file shipped with pont (or given as configuration) and checks it against a schema, collecting problems. */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { describeIssue } from './zod-outcome.js';

export function readYamlAgainst<T extends z.ZodType>(file: string, schema: T, root: string, problems: string[]): z.infer<T> | undefined {
  const name = relative(root, file) || file;
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    const reason = err instanceof Error && 'code' in err && err.code === 'ENOENT' ? 'file not found' : `not valid YAML (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
    problems.push(`${name}: ${reason}`);
    return undefined;
  }
  const result = schema.safeParse(data, { error: describeIssue });
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(`${name}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    return undefined;
  }
  return result.data;
}
