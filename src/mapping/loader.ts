/**
 * Loads every mapping file and code map from mappings/ once at start-up, checks each against
 * its schema, compiles the expressions, and reports every problem at once.
 */
import { ConfigError, PontError } from '../errors/errors.js';
import { parseYamlAgainst } from '../input/yaml-file.js';
import { type ConfigSource, configPath } from '../ports/config-source.js';
import { directoryConfig } from '../ports/directory-config.js';
import { CodeMaps } from './code-maps.js';
import { CompiledMapping } from './engine.js';
import { type CodeMapFile, codeMapSchema, type MappingFile, mappingFileSchema } from './mapping.schema.js';

export class MappingRegistry {
  private readonly byId = new Map<string, CompiledMapping>();

  constructor(mappings: readonly CompiledMapping[]) {
    for (const m of mappings) this.byId.set(m.id, m);
  }

  get(id: string): CompiledMapping | undefined {
    return this.byId.get(id);
  }

  /** The mapping that reads `input` and writes `output`, if there is one. */
  find(input: string, output: string): CompiledMapping | undefined {
    for (const m of this.byId.values()) if (m.input === input && m.output === output) return m;
    return undefined;
  }

  all(): CompiledMapping[] {
    return [...this.byId.values()];
  }
}

/**
 * Reads the mapping files in `folder` of the configuration and the code maps in its `code-maps/`.
 * A folder path stands for that folder read from disk.
 */
export function loadMappings(from: ConfigSource | string, folder = ''): MappingRegistry {
  const config = typeof from === 'string' ? directoryConfig(from) : from;
  const problems: string[] = [];
  const codeMapFiles: CodeMapFile[] = [];
  for (const name of yamlFiles(config, configPath(folder, 'code-maps'))) {
    const file = `code-maps/${name}`;
    const parsed = parseYamlAgainst(config.read(configPath(folder, file)), file, codeMapSchema, problems);
    if (!parsed) continue;
    if (codeMapFiles.some((m) => m.id === parsed.id)) problems.push(`${file}: duplicate code map id "${parsed.id}"`);
    else codeMapFiles.push(parsed);
  }
  const codeMaps = new CodeMaps(codeMapFiles);

  const compiled: CompiledMapping[] = [];
  for (const name of yamlFiles(config, folder)) {
    const spec: MappingFile | undefined = parseYamlAgainst(config.read(configPath(folder, name)), name, mappingFileSchema, problems);
    if (!spec) continue;
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
    const where = config.describe(folder);
    throw new ConfigError(
      `mappings in ${where} are invalid:\n- ${problems.join('\n- ')}`,
      problems.map((p) => ({ severity: 'error', code: 'invalid', diagnostics: p })),
    );
  }
  return new MappingRegistry(compiled);
}

function yamlFiles(config: ConfigSource, folder: string): string[] {
  return (config.list(folder) ?? []).filter((n) => n.endsWith('.yaml') || n.endsWith('.yml'));
}

/** Code map ids named in translate('…'), mapped('…') and refKind('…') calls anywhere in the mapping. */
function referencedCodeMaps(spec: MappingFile): Set<string> {
  const found = new Set<string>();
  const text = JSON.stringify(spec);
  for (const m of text.matchAll(/(?:translate|mapped|refKind)\(\\?['"]([a-z0-9-]+)\\?['"]/g)) found.add(m[1]!);
  return found;
}
