/** Naming a request that got no answer, without anything from the request itself. */

/** The system's code for a failed request (ECONNREFUSED, ETIMEDOUT …), or the error's name. */
export function networkCode(err: unknown): string {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e instanceof Error; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timed out';
    e = e.cause;
  }
  return err instanceof Error ? err.name : 'unknown';
}
