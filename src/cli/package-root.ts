/** The folder pont is installed in, which holds its configuration (mappings/, profiles/): two levels above this file in both src/cli and dist/cli. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
