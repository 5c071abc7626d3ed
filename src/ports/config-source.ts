/**
 * Where pont's configuration comes from: mapping files and code maps, rule packs, conformance
 * resources (profiles) and reference data, addressed by paths relative to one root. Read once,
 * when the core is composed, so the interface is synchronous; a source kept elsewhere (a
 * database, an object store) is fetched first and served from memory (`memoryConfig`).
 */
export interface ConfigSource {
  /** Names of the files directly inside `folder` ('' for the root), sorted; sub-folders are not listed. Undefined when there is no such folder. */
  list(folder: string): string[] | undefined;
  /** The text of one file, or undefined when there is no such file. */
  read(path: string): string | undefined;
  /** How to name `path` in messages (for a directory, its full path). */
  describe(path: string): string;
}

/** Where each kind of configuration lives inside a ConfigSource. */
export const CONFIG_LAYOUT = {
  mappings: 'mappings',
  rulePacks: 'mappings/rule-packs',
  qualityPacks: 'mappings/quality-packs',
  wordLists: 'mappings/word-lists',
  profiles: 'profiles',
  healthBoards: 'mappings/reference/wales-health-boards.yaml',
} as const;

/** `folder` and `name` joined with '/', ignoring an empty folder. */
export function configPath(folder: string, name: string): string {
  return folder === '' ? name : `${folder}/${name}`;
}
