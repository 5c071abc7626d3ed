/** What an authenticator is and needs: shared by the kinds of authentication (auth.ts and each kind's module). */
import type { Clock } from '../../ports/clock.js';

/** Looks up an environment variable by name (process.env at the edge, a plain object in tests). */
export type EnvLookup = (name: string) => string | undefined;

export interface Authenticator {
  /** The Authorization header to send, if any. */
  authorization(): Promise<string | undefined>;
  /** After a 401: forgets a cached token. True when a fresh one could help, so one more try is worth it. */
  renew(): boolean;
}

export interface AuthDeps {
  readonly targetId: string;
  readonly env: EnvLookup;
  readonly clock: Clock;
  /** For the token endpoint; the platform's fetch when left out. */
  readonly fetch?: typeof fetch;
  readonly timeoutMs: number;
}
