#!/usr/bin/env node
/** Entry point of the `pont` command. */
import { run } from './run.js';
import { createRuntime } from './runtime.js';

const code = await run(process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }, () => createRuntime());
process.exitCode = code;
