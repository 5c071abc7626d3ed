/**
 * Turns untrusted input into a canonical CTP record, or an `InputError('INPUT_INVALID')` that
 * lists every problem at once: schema problems first (one issue per zod problem), then the
 * record's internal-integrity problems (see `integrity.ts`).
 *
 * Diagnostics name the field (as a FHIRPath-like `expression` such as
 * `plans[0].outcomes[1].areas[0].area`) and the problem, never the offending value: the
 * values of a record are patient data (see `../input/zod-outcome.ts`).
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { describeIssue, type InputKind, invalidInput, zodIssuesToOutcome } from '../input/zod-outcome.js';
import { checkIntegrity } from './integrity.js';
import { type CtpRecord, recordSchema } from './record.schema.js';

export { toExpression } from '../input/zod-outcome.js';

const RECORD: InputKind = { subject: 'The record', unknownField: 'is not a field of the CTP record schema' };

/**
 * Parses and checks one canonical record.
 *
 * @param input - The decoded JSON document (anything).
 * @param origin - Where the input came from (a file name, a request id), used in the error message.
 * @returns The record, with text fields trimmed.
 * @throws InputError with code `INPUT_INVALID` when the input does not match the record schema or
 *   fails an integrity check; its issues say where and what, never the value.
 */
export function parseRecord(input: unknown, origin: string): CtpRecord {
  const result = recordSchema.safeParse(input, { error: describeIssue });
  if (result.success) {
    const integrity = checkIntegrity(result.data);
    if (integrity.length > 0) throw invalidInput(origin, 'CTP record', integrity);
    return result.data;
  }
  const issues = zodIssuesToOutcome(result.error.issues, input, RECORD);
  const unreliable = new Set(result.error.issues.map((issue) => issue.path[0]).filter((key): key is string => typeof key === 'string'));
  throw invalidInput(origin, 'CTP record', [...issues, ...integrityOfInvalidInput(input, unreliable)]);
}

/**
 * Integrity checks on input that failed the schema: they still find duplicate ids, broken
 * references and dates out of order, so a user sees every problem in one pass. References into
 * sections that failed the schema are left alone (they would only echo the schema problem).
 * `checkIntegrity` only reads ids, references and dates and tolerates wrong shapes; the guard is
 * for input too malformed even for that.
 */
function integrityOfInvalidInput(input: unknown, unreliableSections: ReadonlySet<string>): OperationOutcomeIssue[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return [];
  try {
    return checkIntegrity(input as CtpRecord, { unreliableSections });
  } catch {
    return [];
  }
}
