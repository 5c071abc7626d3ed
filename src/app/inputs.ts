/** What the use cases read: the text of one input in a named format, or an input that could not be read. */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';

export interface SourceInput {
  /** Names the input in results and messages (a file path, a message id). */
  readonly origin: string;
  /** The format: ctp, fhir, or an EPR export (carepath-json, wpas-csv). */
  readonly source: string;
  readonly text: string;
  /**
   * Set when the front end cut a large input into records as it read them (a JSON list, NDJSON):
   * the 0-based position of this record in the input. Absent when `text` is the whole input.
   */
  readonly position?: number;
  /** Set when the text is one person's part of a CSV extract: added to its line numbers, so that messages give the extract's lines. */
  readonly lineOffset?: number;
}

/** An input the front end could not read (too large, unknown format): its issues are reported as its result. */
export interface UnreadableInput {
  readonly origin: string;
  readonly issues: OperationOutcomeIssue[];
  /** Where in the input reading stopped, when the records before it were read (see SourceInput.position). */
  readonly position?: number;
}

export type Input = SourceInput | UnreadableInput;

/** Inputs as a front end gives them: a list, or read lazily (from disk or a network stream) as the use case asks for the next. */
export type Inputs = Iterable<Input> | AsyncIterable<Input>;

export function isReadable(input: Input): input is SourceInput {
  return 'text' in input;
}
