/** The `pont` command, once the Node.js version is known to be right: composes the core from pont's own configuration and the system clock. */
import { createCore } from '../app/compose.js';
import { systemClock } from '../ports/clock.js';
import { directoryConfig } from '../ports/directory-config.js';
import { PACKAGE_ROOT } from './package-root.js';
import { run } from './run.js';

// A reader that stops early (`pont map … | head`) closes the pipe: stop quietly, as other Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

/** Writes to standard output, waiting for it to drain when full, so long reports stream in bounded memory. */
function stdout(text: string): void | Promise<void> {
  if (process.stdout.write(text)) return undefined;
  return new Promise((resolve) => process.stdout.once('drain', resolve));
}

const code = await run(process.argv.slice(2), { stdout, stderr: (t) => process.stderr.write(t) }, () =>
  createCore({ config: directoryConfig(PACKAGE_ROOT), clock: systemClock() }),
);
process.exitCode = code;
