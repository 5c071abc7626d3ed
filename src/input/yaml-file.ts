/** Parses a YAML data file shipped with pont (or given as configuration) and checks it against a schema, collecting problems. */
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { describeIssue } from './zod-outcome.js';

/** `text` undefined means the file does not exist; `name` names it in the problems. */
export function parseYamlAgainst<T extends z.ZodType>(text: string | undefined, name: string, schema: T, problems: string[]): z.infer<T> | undefined {
  if (text === undefined) {
    problems.push(`${name}: file not found`);
    return undefined;
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    problems.push(`${name}: not valid YAML (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
    return undefined;
  }
  const result = schema.safeParse(data, { error: describeIssue });
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(`${name}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    return undefined;
  }
  return result.data;
}
