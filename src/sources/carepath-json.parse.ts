/**
 * Reads a CarePath MH export (one client, or several under `clients`) into one document per
 * client for mappings/carepath-json-to-ctp.yaml. Each document is the client's export with the
 * file's `exportMeta` beside it.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { decodeJson, type JsonDecodeOptions } from '../input/json.js';
import { describeIssue, type InputKind, invalidInput, kindOf, outcomeIssue, zodIssuesToOutcome } from '../input/zod-outcome.js';
import { type CarePathDocument, multiClientFileSchema, singleClientFileSchema } from './carepath-json.schema.js';

export const CAREPATH_WHAT = 'CarePath MH export';

/** Where a client's document sits in a file of several clients (`clients[2]`), kept out of sight on the document. */
const IN_FILE = Symbol('in file');

/**
 * A path in a client's document as a path in the file: under `clients[i]` in a file of several
 * clients (the export header, which they share, stays at the top).
 */
export function carePathFilePath(document: unknown, path: string): string {
  const at = typeof document === 'object' && document !== null ? (document as { [IN_FILE]?: string })[IN_FILE] : undefined;
  if (at === undefined || path === 'exportMeta' || path.startsWith('exportMeta.') || path.startsWith('exportMeta[')) return path;
  return path === '' ? at : `${at}.${path}`;
}
export const CAREPATH_FILE: InputKind = { subject: 'The file', unknownField: 'is not a field of this format' };

export interface CarePathParseOptions extends JsonDecodeOptions {
  /**
   * Set when the text is one client cut out of a file of several (src/sources/carepath-json.cut.ts):
   * the client's position there, so that paths name it as the file does (`clients[7]`).
   */
  readonly position?: number;
}

/**
 * @param text - The file's text.
 * @param origin - The file name (or request id), used in messages.
 * @param options - How the JSON is decoded (the keys messages may name), and where a cut-out client sits.
 * @returns One document per client, in file order.
 * @throws InputError `INPUT_NOT_JSON` (with line and column) or `INPUT_INVALID` (issues name the
 *   path in the file, e.g. `clients[1].referrals[0].ctpDocuments[0].createdDate`).
 */
export function parseCarePathJson(text: string, origin: string, options: CarePathParseOptions = {}): CarePathDocument[] {
  const data = decodeJson(text, origin, options);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw invalidInput(origin, CAREPATH_WHAT, [outcomeIssue('structure', [], `must be a JSON object, not ${kindOf(data)}`, CAREPATH_FILE.subject)]);
  }
  if ('clients' in data) {
    const result = multiClientFileSchema.safeParse(data, { error: describeIssue });
    const at = (i: number) => `clients[${(options.position ?? 0) + i}]`;
    if (!result.success) {
      const issues = zodIssuesToOutcome(result.error.issues, data, CAREPATH_FILE);
      throw invalidInput(origin, CAREPATH_WHAT, options.position === undefined ? issues : issues.map((issue) => renamed(issue, 'clients[0]', at(0))));
    }
    const { exportMeta, clients } = result.data;
    return clients.map((client, i) => Object.defineProperty({ exportMeta, ...client }, IN_FILE, { value: at(i), enumerable: false }));
  }
  const result = singleClientFileSchema.safeParse(data, { error: describeIssue });
  if (!result.success) throw invalidInput(origin, CAREPATH_WHAT, zodIssuesToOutcome(result.error.issues, data, CAREPATH_FILE));
  return [result.data];
}

/** The issue with paths under `from` named under `to` instead. */
function renamed(issue: OperationOutcomeIssue, from: string, to: string): OperationOutcomeIssue {
  const rename = (text: string) => (text === from || text.startsWith(`${from}.`) || text.startsWith(`${from}[`) ? to + text.slice(from.length) : text);
  return {
    ...issue,
    ...(issue.diagnostics === undefined ? {} : { diagnostics: rename(issue.diagnostics) }),
    ...(issue.expression === undefined ? {} : { expression: issue.expression.map(rename) }),
  };
}
