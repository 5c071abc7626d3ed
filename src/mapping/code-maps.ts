/** Code translation tables from mappings/code-maps/, used by the `translate()` mapping function. */
import type { CodeMapFile } from './mapping.schema.js';
import { MappingFunctionError } from './template.js';

export class CodeMaps {
  private readonly forward = new Map<string, Map<string, string>>();
  private readonly backward = new Map<string, Map<string, string | null>>();

  constructor(maps: readonly CodeMapFile[]) {
    for (const map of maps) {
      this.forward.set(map.id, new Map(map.entries.map((e) => [e.from, e.to])));
      const back = new Map<string, string | null>();
      for (const e of map.entries) back.set(e.to, back.has(e.to) ? null : e.from);
      this.backward.set(map.id, back);
    }
  }

  has(mapId: string): boolean {
    return this.forward.has(mapId);
  }

  canTranslate(mapId: string, code: string, reverse = false): boolean {
    const table = reverse ? this.backward.get(mapId) : this.forward.get(mapId);
    if (!table) throw new MappingFunctionError('MAPPING_FAILED', `code map "${mapId}" does not exist`);
    const target = table.get(code);
    return target !== undefined && target !== null;
  }

  /** Translates one code; an unmapped code is an error, never passed through. */
  translate(mapId: string, code: string, reverse = false): string {
    const table = reverse ? this.backward.get(mapId) : this.forward.get(mapId);
    if (!table) throw new MappingFunctionError('MAPPING_FAILED', `code map "${mapId}" does not exist`);
    const target = table.get(code);
    if (target === undefined) {
      throw new MappingFunctionError('MAPPING_UNKNOWN_CODE', `${describeCode(code)} has no entry in code map "${mapId}"${reverse ? ' (reverse)' : ''}`, code);
    }
    if (target === null) throw new MappingFunctionError('MAPPING_FAILED', `${describeCode(code)} maps back ambiguously in code map "${mapId}"`, code);
    return target;
  }
}

/**
 * Names a code in a message without its value: a code from the input may be anything the sender
 * typed into a coded field (a name, an identifier), so only its length is said. The code map
 * named beside it lists the codes that are allowed.
 */
function describeCode(code: string): string {
  return code.trim() === '' ? 'a blank code' : `a code (${code.length} character${code.length === 1 ? '' : 's'})`;
}
