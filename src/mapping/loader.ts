/**
 * Loads every mapping file and code map from mappings/ once at start-up, checks each against
 * its schema, compiles the expressions, and reports every problem at once.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ConfigError, PontError } from '../errors/errors.js';
import { readYamlAgainst } from '../input/yaml-file.js';
import { CodeMaps } from './code-maps.js';
import { CompiledMapping } from './engine.js';
import { codeMapSchema, mappingFileSchema, type CodeMapFile, type MappingFile } from './mapping.schema.js';

export class MappingRegistry {
  private readonly byId = new Map<string, CompiledMapping>();

  constructor(mappings: readonly CompiledMapping[]) {
    for (const m of mappings) this.byId.set(m.id, m);
  }

  get(id: string): CompiledMapping | undefined {
    return this.byId.get(id);
  }

  /** The mapping that reads `input` and writes `output`, if there is one. */
  find(input: string, output: 'fhir' | 'ctp'): CompiledMapping | undefined {
    for (const m of this.byId.values()) if (m.input === input && m.output === output) return m;
    return undefined;
  }

  all(): CompiledMapping[] {
    return [...this.byId.values()];
  }
}

export function loadMappings(dir: string): MappingRegistry {
  const problems: string[] = [];
  const codeMapFiles: CodeMapFile[] = [];
  const codeMapDir = join(dir, 'code-maps');
  for (const file of yamlFiles(codeMapDir)) {
    const parsed = readYamlAgainst(file, codeMapSchema, dir, problems);
    if (!parsed) continue;
    if (codeMapFiles.some((m) => m.id === parsed.id)) problems.push(`${relative(dir, file)}: duplicate code map id "${parsed.id}"`);
    else codeMapFiles.push(parsed);
  }
  const codeMaps = new CodeMaps(codeMapFiles);

  const compiled: CompiledMapping[] = [];
  for (const file of yamlFiles(dir)) {
    const spec: MappingFile | undefined = readYamlAgainst(file, mappingFileSchema, dir, problems);
    if (!spec) continue;
    const name = relative(dir, file);
    if (compiled.some((m) => m.id === spec.id)) {
      problems.push(`${name}: duplicate mapping id "${spec.id}"`);
      continue;
    }
    for (const used of referencedCodeMaps(spec)) {
      if (!codeMaps.has(used)) problems.push(`${name}: uses code map "${used}", which does not exist in code-maps/`);
    }
    try {
      compiled.push(new CompiledMapping(`mappings/${name}`, spec, codeMaps));
    } catch (err) {
      problems.push(err instanceof PontError ? err.message : `${name}: ${String(err)}`);
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(`mappings in ${dir} are invalid:\n- ${problems.join('\n- ')}`, problems.map((p) => ({ severity: 'error', code: 'invalid', diagnostics: p })));
  }
  return new MappingRegistry(compiled);
}

function yamlFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => n.endsWith('.yaml') || n.endsWith('.yml')).sort().map((n) => join(dir, n));
}

/** Code map ids named in translate('…'), mapped('…') and refKind('…') calls anywhere in the mapping. */
function referencedCodeMaps(spec: MappingFile): Set<string> {
  const found = new Set<string>();
  const text = JSON.stringify(spec);
  for (const m of text.matchAll(/(?:translate|mapped|refKind)\(\\?['"]([a-z0-9-]+)\\?['"]/g)) found.add(m[1]!);
  return found;
}
