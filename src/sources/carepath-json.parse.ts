/**
 * Reads a CarePath MH export (one client, or several under `clients`) into one document per
 * client for mappings/carepath-json-to-ctp.yaml. Each document is the client's export with the
 * file's `exportMeta` beside it.
 */
import { decodeJson, type JsonDecodeOptions } from '../input/json.js';
import { describeIssue, type InputKind, invalidInput, kindOf, outcomeIssue, zodIssuesToOutcome } from '../input/zod-outcome.js';
import { type CarePathDocument, multiClientFileSchema, singleClientFileSchema } from './carepath-json.schema.js';

const WHAT = 'CarePath MH export';

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
const FILE: InputKind = { subject: 'The file', unknownField: 'is not a field of this format' };

/**
 * @param text - The file's text.
 * @param origin - The file name (or request id), used in messages.
 * @param options - How the JSON is decoded (the keys messages may name).
 * @returns One document per client, in file order.
 * @throws InputError `INPUT_NOT_JSON` (with line and column) or `INPUT_INVALID` (issues name the
 *   path in the file, e.g. `clients[1].referrals[0].ctpDocuments[0].createdDate`).
 */
export function parseCarePathJson(text: string, origin: string, options: JsonDecodeOptions = {}): CarePathDocument[] {
  const data = decodeJson(text, origin, options);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw invalidInput(origin, WHAT, [outcomeIssue('structure', [], `must be a JSON object, not ${kindOf(data)}`, FILE.subject)]);
  }
  if ('clients' in data) {
    const result = multiClientFileSchema.safeParse(data, { error: describeIssue });
    if (!result.success) throw invalidInput(origin, WHAT, zodIssuesToOutcome(result.error.issues, data, FILE));
    const { exportMeta, clients } = result.data;
    return clients.map((client, i) => Object.defineProperty({ exportMeta, ...client }, IN_FILE, { value: `clients[${i}]`, enumerable: false }));
  }
  const result = singleClientFileSchema.safeParse(data, { error: describeIssue });
  if (!result.success) throw invalidInput(origin, WHAT, zodIssuesToOutcome(result.error.issues, data, FILE));
  return [result.data];
}
