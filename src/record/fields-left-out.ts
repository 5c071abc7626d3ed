/**
 * The fields of a record that a copy of it does not hold: what a target's format left out when
 * the record was written in it and read back. Fields are named by path with list positions
 * folded (`encounters[].auditTimes`), at the highest level missing, so a list the format cannot
 * hold at all is one name. A field some items of a list keep in the copy is not named, so this
 * tells what a format cannot carry, not which single item lost what. Only names, never values.
 */
export function fieldsLeftOut(original: unknown, copy: unknown): string[] {
  const held = new Set<string>();
  collectPaths(copy, '', held);
  const missing = new Set<string>();
  findMissing(original, '', held, missing);
  return [...missing].sort();
}

function fieldsOf(value: unknown, path: string): [string, unknown][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, field]) => (field === undefined ? [] : [[path === '' ? key : `${path}.${key}`, field]]));
}

function collectPaths(value: unknown, path: string, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectPaths(item, `${path}[]`, into);
    return;
  }
  for (const [fieldPath, field] of fieldsOf(value, path)) {
    into.add(fieldPath);
    collectPaths(field, fieldPath, into);
  }
}

function findMissing(value: unknown, path: string, held: ReadonlySet<string>, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) findMissing(item, `${path}[]`, held, into);
    return;
  }
  for (const [fieldPath, field] of fieldsOf(value, path)) {
    if (held.has(fieldPath)) findMissing(field, fieldPath, held, into);
    else into.add(fieldPath);
  }
}
