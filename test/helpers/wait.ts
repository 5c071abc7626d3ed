/** Waiting in tests for something another process or queue does: polls until it holds, or fails after `ms`. */

/** The first value `get` gives that `done` accepts. */
export async function until<T>(get: () => T | Promise<T>, done: (value: T) => boolean, ms = 20_000, every = 50): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await get();
    if (done(value)) return value;
    if (Date.now() - started > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, every));
  }
}

/** Resolves once `check` holds. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  await until(check, (ok) => ok, ms, 20);
}
