/** The convert use case: inputs → canonical records → validated FHIR Bundles, one result per record. */
import type { Conversion, ConvertOptions, Pipeline } from '../pipeline/pipeline.js';
import { type Input, type Inputs, isReadable, type SourceInput } from './inputs.js';

export function convert(pipeline: Pipeline, inputs: Iterable<Input>, options: ConvertOptions = {}): Conversion[] {
  const results: Conversion[] = [];
  for (const input of inputs) results.push(...convertInput(pipeline, input, options));
  return results;
}

/**
 * Converts inputs as they arrive and yields each record's result as soon as it is ready: nothing
 * is kept between inputs, so a front end that reads and writes one record at a time runs in
 * memory bounded by its largest record.
 */
export async function* convertEach(pipeline: Pipeline, inputs: Inputs, options: ConvertOptions = {}): AsyncGenerator<Conversion> {
  for await (const input of inputs) yield* convertInput(pipeline, input, options);
}

/** The results of one input: one per record in it. */
export function convertInput(pipeline: Pipeline, input: Input, options: ConvertOptions = {}): Conversion[] {
  if (!isReadable(input)) return [unreadable(input.origin, input.issues, input.position)];
  return pipeline.convert(input.source, input.text, input.origin, { ...options, ...placeOf(input) });
}

/** Where a front end's part of an input sits in it: the record's position, the part's line offset. */
export function placeOf(input: SourceInput): { position?: number; lineOffset?: number } {
  return { ...(input.position === undefined ? {} : { position: input.position }), ...(input.lineOffset === undefined ? {} : { lineOffset: input.lineOffset }) };
}

/** The result for an input that yielded no record (at `index`, when the records before it were read). */
export function unreadable(origin: string, issues: Conversion['issues'], index?: number): Conversion {
  return { origin, index: index ?? 0, ...(index === undefined ? {} : { listed: true }), issues, trace: { toRecord: [], toFhir: [] } };
}
