/**
 * FHIR given as loose resources (a Bulk Data export's NDJSON files, a JSON list of resources)
 * rather than one Bundle per person: the records in such inputs are gathered into one Bundle per
 * Patient (src/fhir/patient-bundles.ts) before they are read. Every other input passes through
 * as it comes; loose resources are held until the inputs end, as the references between them may
 * cross files. A resource that belongs to nobody's Bundle is reported, not dropped.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { gatherPatientBundles, type LooseResource } from '../fhir/patient-bundles.js';
import { type Input, type Inputs, isReadable, type SourceInput } from './inputs.js';

type Json = Record<string, unknown>;

/** A Bundle that says so first, as FHIR JSON usually does. */
const BUNDLE_FIRST = /^\s*\{\s*"resourceType"\s*:\s*"Bundle"/;

/** A resource cut out of a larger input, as the front end read it. */
function looseResource(input: Input): LooseResource<SourceInput> | undefined {
  if (!isReadable(input) || input.source !== 'fhir' || input.position === undefined) return undefined;
  if (BUNDLE_FIRST.test(input.text)) return undefined; // the common case, without parsing it twice
  let json: unknown;
  try {
    json = JSON.parse(input.text);
  } catch {
    return undefined; // read as it is, so that its reader names the problem
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const type = (json as Json).resourceType;
  return typeof type === 'string' && type !== 'Bundle' ? { resource: json as Json, at: input } : undefined;
}

/** Holds the input when it is a loose resource; says whether it did. */
function holdIfLoose(input: Input, held: LooseResource<SourceInput>[]): boolean {
  const loose = looseResource(input);
  if (loose !== undefined) held.push(loose);
  return loose !== undefined;
}

const where = (at: SourceInput) => `${at.origin}, record ${(at.position ?? 0) + 1}`;

function notRead(r: LooseResource<SourceInput>, diagnostics: string): Input {
  const issue: OperationOutcomeIssue = { severity: 'error', code: 'not-found', diagnostics, expression: [String(r.resource.resourceType)] };
  return { origin: r.at.origin, issues: [issue], ...(r.at.position === undefined ? {} : { position: r.at.position }) };
}

/** The inputs with their loose FHIR resources gathered into one Bundle per Patient, given after all the others. */
export async function* gatherLooseFhir(inputs: Inputs): AsyncGenerator<Input> {
  const held: LooseResource<SourceInput>[] = [];
  for await (const input of inputs) if (!holdIfLoose(input, held)) yield input;
  yield* gathered(held);
}

/** The same over inputs already in hand. */
export function gatherLooseFhirNow(inputs: Iterable<Input>): Input[] {
  const held: LooseResource<SourceInput>[] = [];
  const passed = [...inputs].filter((input) => !holdIfLoose(input, held));
  return [...passed, ...gathered(held)];
}

function gathered(held: readonly LooseResource<SourceInput>[]): Input[] {
  if (held.length === 0) return [];
  const { bundles, leftOver, duplicates } = gatherPatientBundles(held);
  return [
    // Named by where its Patient was found.
    ...bundles.map(
      ({ at, bundle }): Input => ({ origin: at.origin, source: 'fhir', text: JSON.stringify(bundle), ...(at.position === undefined ? {} : { position: at.position }) }),
    ),
    ...leftOver.map((r) =>
      notRead(r, `This ${String(r.resource.resourceType)} (${where(r.at)}) is about no Patient in the input, so it is part of no record and was not read.`),
    ),
    ...duplicates.map((r) =>
      notRead(r, `This ${String(r.resource.resourceType)} (${where(r.at)}) has the type and id of an earlier resource in the input; the earlier one was read.`),
    ),
  ];
}
