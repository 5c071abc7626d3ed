/** A ConfigSource reading a folder on disk (pont's own installation, or one an operator passes in). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize, resolve } from 'node:path';
import { ConfigError } from '../errors/errors.js';
import type { ConfigSource } from './config-source.js';

export function directoryConfig(root: string): ConfigSource {
  const base = resolve(root);
  const locate = (path: string): string => {
    const clean = normalize(path);
    if (isAbsolute(clean) || clean === '..' || clean.startsWith('../')) throw new ConfigError(`configuration path ${path} is outside the configuration folder`);
    return join(base, clean);
  };
  return {
    list(folder) {
      try {
        const dir = locate(folder);
        return readdirSync(dir, { withFileTypes: true })
          .filter((entry) => entry.isFile() || (entry.isSymbolicLink() && isFileBehindLink(join(dir, entry.name))))
          .map((entry) => entry.name)
          .sort();
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw new ConfigError(`${locate(folder)}: cannot read the folder (${codeOf(err)})`, [], { cause: err });
      }
    },
    read(path) {
      try {
        return readFileSync(locate(path), 'utf8');
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw new ConfigError(`${locate(path)}: cannot read the file (${codeOf(err)})`, [], { cause: err });
      }
    },
    describe: locate,
  };
}

function isFileBehindLink(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false; // a dangling link lists as nothing
  }
}

function codeOf(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? 'unknown error';
}

function isMissing(err: unknown): boolean {
  const code = codeOf(err);
  return code === 'ENOENT' || code === 'ENOTDIR';
}
