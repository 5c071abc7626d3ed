/**
 * A circuit breaker for one target: after `failures` deliveries in a row find the target
 * unavailable (no answer, 5xx, 429), the target is left alone for a cool-off that doubles each time it opens again (up
 * to a cap); then one delivery is let through to try it (half-open). A target that answers at
 * all, even with a refusal, closes it.
 */
import { DeliveryError } from '../../errors/errors.js';
import type { Clock } from '../../ports/clock.js';

export interface BreakerOptions {
  /** Consecutive deliveries finding the target unavailable that open the circuit. @defaultValue 5 */
  readonly failures?: number;
  /** The first cool-off. @defaultValue 1000 */
  readonly coolOffMs?: number;
  /** The longest cool-off. @defaultValue 300000 */
  readonly maxCoolOffMs?: number;
}

export type Outcome = 'ok' | 'unavailable' | 'answered';

export interface CircuitBreaker {
  /**
   * Throws DELIVERY_CIRCUIT_OPEN when no delivery may go now; otherwise lets this one through and
   * gives the function that records how it ended: delivered, the target unavailable, or an
   * answer of another kind.
   */
  admit(): (outcome: Outcome) => void;
  readonly state: 'closed' | 'open' | 'half-open';
}

export function createCircuitBreaker(targetId: string, clock: Clock, options: BreakerOptions = {}): CircuitBreaker {
  const threshold = options.failures ?? 5;
  const baseMs = options.coolOffMs ?? 1000;
  const maxMs = options.maxCoolOffMs ?? 300_000;
  let consecutive = 0;
  let opened = 0;
  let openUntil: number | undefined;
  let probing = false;

  const open = (): void => {
    opened++;
    openUntil = clock.now().getTime() + Math.min(maxMs, baseMs * 2 ** (opened - 1));
  };

  function settle(outcome: Outcome, probe: boolean): void {
    if (probe) probing = false;
    if (outcome === 'unavailable') {
      consecutive++;
      if (probe || (openUntil === undefined && consecutive >= threshold)) open();
      return;
    }
    // The target answered: whatever it said, it is there.
    consecutive = 0;
    opened = 0;
    openUntil = undefined;
  }

  return {
    get state() {
      if (openUntil === undefined) return 'closed';
      return !probing && clock.now().getTime() < openUntil ? 'open' : 'half-open';
    },
    admit() {
      if (openUntil === undefined) return (outcome) => settle(outcome, false);
      const waitMs = openUntil - clock.now().getTime();
      if (waitMs <= 0 && !probing) {
        probing = true;
        return (outcome) => settle(outcome, true);
      }
      throw new DeliveryError('DELIVERY_CIRCUIT_OPEN', `target ${targetId}: circuit open after ${threshold} failures in a row`, true, Math.max(waitMs, 0) || baseMs);
    },
  };
}
