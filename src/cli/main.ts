#!/usr/bin/env node
/** Entry point of the `pont` command. */
import { run } from './run.js';
import { createRuntime } from './runtime.js';

// A reader that stops early (`pont map … | head`) closes the pipe: stop quietly, as other Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const code = await run(process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }, () => createRuntime());
process.exitCode = code;
