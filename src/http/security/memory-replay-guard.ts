/** A replay guard for one process: a map of keys to the instant they may be forgotten. */
import type { Clock } from '../../ports/clock.js';
import type { ReplayGuard } from '../../ports/replay-guard.js';

/** Expired keys are swept once this many are held, so the map stays as small as the live keys. */
const SWEEP_AT = 1024;

export function memoryReplayGuard(clock: Pick<Clock, 'now'>): ReplayGuard {
  const held = new Map<string, number>();
  let sweepAt = SWEEP_AT;
  return {
    async firstUse(key, ttlMs) {
      const now = clock.now().getTime();
      if (held.size >= sweepAt) {
        for (const [k, until] of held) if (until <= now) held.delete(k);
        sweepAt = Math.max(SWEEP_AT, held.size * 2);
      }
      const until = held.get(key);
      if (until !== undefined && until > now) return false;
      held.set(key, now + ttlMs);
      return true;
    },
  };
}
