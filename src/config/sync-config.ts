/**
 * Reads the sync configuration (YAML text) and checks it against its schema, once, at start:
 * every problem is named by the line and path where it is, and a problem stops the service from
 * starting. Ids must be unique, so that a ledger entry always names one target and a token one client.
 */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { ConfigError } from '../errors/errors.js';
import { describeIssue } from '../input/zod-outcome.js';
import { type SyncConfig, syncConfigSchema } from './sync-config.schema.js';

export function parseSyncConfig(text: string, name: string): SyncConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const problems: string[] = [];
  for (const e of doc.errors) problems.push(`${name}:${e.linePos?.[0]?.line ?? '?'}: ${e.code === 'DUPLICATE_KEY' ? 'a key is written twice' : 'not valid YAML'}`);
  if (problems.length > 0) throw configError(name, problems);
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    // The deepest node of the path that is in the document (a missing key: its parent).
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as (string | number)[], true) as Node | undefined;
      if (node && (isMap(node) || isSeq(node) || isScalar(node)) && node.range) return lines.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const result = syncConfigSchema.safeParse(doc.toJS() ?? {}, { error: describeIssue });
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path =
        issue.path
          .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
          .join('')
          .replace(/^\./, '') || '(root)';
      problems.push(`${name}:${lineOf(issue.path) ?? '?'}: ${path}: ${issue.message}`);
    }
    throw configError(name, problems);
  }
  const config = result.data;
  const kinds = { targets: 'target', sources: 'source', clients: 'client' } as const;
  for (const list of ['targets', 'sources', 'clients'] as const) {
    const seen = new Set<string>();
    (config[list] ?? []).forEach((item, i) => {
      if (seen.has(item.id)) problems.push(`${name}:${lineOf([list, i, 'id']) ?? '?'}: ${list}[${i}].id: another ${kinds[list]} has this id`);
      seen.add(item.id);
    });
  }
  if (problems.length > 0) throw configError(name, problems);
  return config;
}

function configError(name: string, problems: readonly string[]): ConfigError {
  return new ConfigError(
    `${name} is not a valid pont configuration:\n- ${problems.join('\n- ')}`,
    problems.map((p) => ({ severity: 'error', code: 'invalid', diagnostics: p })),
  );
}
