/** What the use cases read: the text of one input in a named format, or an input that could not be read. */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';

export interface SourceInput {
  /** Names the input in results and messages (a file path, a message id). */
  readonly origin: string;
  /** The format: ctp, fhir, or an EPR export (carepath-json, wpas-csv). */
  readonly source: string;
  readonly text: string;
}

/** An input the front end could not read (too large, unknown format): its issues are reported as its result. */
export interface UnreadableInput {
  readonly origin: string;
  readonly issues: OperationOutcomeIssue[];
}

export type Input = SourceInput | UnreadableInput;

export function isReadable(input: Input): input is SourceInput {
  return 'text' in input;
}
