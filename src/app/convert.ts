/** The convert use case: inputs → canonical records → validated FHIR Bundles, one result per record. */
import type { Conversion, ConvertOptions, Pipeline } from '../pipeline/pipeline.js';
import { type Input, isReadable } from './inputs.js';

export function convert(pipeline: Pipeline, inputs: Iterable<Input>, options: ConvertOptions = {}): Conversion[] {
  const results: Conversion[] = [];
  for (const input of inputs) {
    if (isReadable(input)) results.push(...pipeline.convert(input.source, input.text, input.origin, options));
    else results.push(unreadable(input.origin, input.issues));
  }
  return results;
}

/** The result for an input that yielded no record. */
export function unreadable(origin: string, issues: Conversion['issues'], index = 0): Conversion {
  return { origin, index, issues, trace: { toRecord: [], toFhir: [] } };
}
