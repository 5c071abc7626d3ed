/**
 * Remembers one-time identifiers (a client assertion's `jti`) for as long as they could be
 * presented again, so that the second presentation is refused. In memory for one process, in
 * Redis when several pont processes answer the same token endpoint.
 */
export interface ReplayGuard {
  /**
   * Records `key` for `ttlMs` milliseconds. True the first time; false when the key is already
   * held (a replay). Rejects when the store cannot be reached (never taken as a replay).
   */
  firstUse(key: string, ttlMs: number): Promise<boolean>;
}
