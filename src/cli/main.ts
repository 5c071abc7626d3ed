#!/usr/bin/env node
/**
 * Entry point of the `pont` command. It must parse and run on any Node.js, so that an older one
 * is told what pont needs instead of failing inside a dependency: the version check comes first,
 * and the command itself is loaded only after it (a static import would load it before).
 */
import { nodeVersionProblem } from './node-version.js';

const problem = nodeVersionProblem(process.versions.node);
if (problem === undefined) {
  await import('./start.js');
} else {
  process.stderr.write(`pont: ${problem}\n`);
  process.exitCode = 2;
}
