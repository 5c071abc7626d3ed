/**
 * The keys pont's input formats define (the record schema, the export formats, FHIR R4): the only
 * keys a message may name. A key outside them may be anything a source wrote, patient data
 * included, so messages describe it by position instead.
 */
import type { StructureDefinition } from '@medplum/fhirtypes';
import { z } from 'zod';

/** Every property name anywhere in a JSON Schema. */
export function jsonSchemaKeys(schema: unknown, into: Set<string> = new Set()): Set<string> {
  const stack: unknown[] = [schema];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'properties' && typeof value === 'object' && value !== null) for (const name of Object.keys(value)) into.add(name);
        stack.push(value);
      }
    }
  }
  return into;
}

/** Every property name of zod schemas (through their JSON Schema). */
export function zodSchemaKeys(schemas: readonly z.ZodType[], into: Set<string> = new Set()): Set<string> {
  for (const schema of schemas) jsonSchemaKeys(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }), into);
  return into;
}

/**
 * Every element name of FHIR types as JSON writes them: `birthDate`, `_birthDate` (a primitive's
 * extensions), and each type of a choice (`value[x]` as `valueString`, `valueCodeableConcept`).
 */
export function fhirElementKeys(definitions: Iterable<StructureDefinition>, into: Set<string> = new Set(['resourceType'])): Set<string> {
  for (const definition of definitions) {
    for (const element of definition.snapshot?.element ?? []) {
      const name = element.path?.split('.').slice(1).pop();
      if (name === undefined) continue;
      const names = name.endsWith('[x]') ? (element.type ?? []).map((t) => name.slice(0, -3) + (t.code ?? '').charAt(0).toUpperCase() + (t.code ?? '').slice(1)) : [name];
      for (const n of names) {
        into.add(n);
        into.add(`_${n}`);
      }
    }
  }
  return into;
}
