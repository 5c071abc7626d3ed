/** A ConfigSource held in memory: for tests, and for configuration fetched from elsewhere before start-up. */
import type { ConfigSource } from './config-source.js';

/** `files` maps paths ('mappings/ctp-to-fhir.yaml') to their text; folders are implied by the paths. */
export function memoryConfig(files: Readonly<Record<string, string>>, name = 'memory'): ConfigSource {
  const texts = new Map(Object.entries(files));
  return {
    list(folder) {
      const prefix = folder === '' ? '' : `${folder.replace(/\/+$/, '')}/`;
      const inFolder = [...texts.keys()].filter((path) => path.startsWith(prefix));
      if (inFolder.length === 0) return undefined;
      return inFolder
        .map((path) => path.slice(prefix.length))
        .filter((rest) => !rest.includes('/'))
        .sort();
    },
    read: (path) => texts.get(path),
    describe: (path) => `${name}:${path}`,
  };
}
