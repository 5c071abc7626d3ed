import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MessageCheck } from '../../src/app/message-check.js';
import { recentChecks } from '../../src/ports/recent-checks.js';

const check = (n: number): MessageCheck => ({ records: [{ errors: [{ severity: 'information', code: 'informational', diagnostics: String(n) }] }] });

describe('recent checks (ingest → processing in one process)', () => {
  it('gives a remembered check once, then nothing', () => {
    const checks = recentChecks({ capacity: 4, maxAgeMs: 1000, now: () => 0 });
    checks.remember('m1', check(1));
    expect(checks.take('m1')).toEqual(check(1));
    expect(checks.take('m1')).toBeUndefined();
    expect(checks.take('never')).toBeUndefined();
  });

  it('when full keeps the earlier messages, which the queue takes first, and forgets checks older than the age limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 30 }), (capacity, gaps) => {
        let now = 0;
        const maxAgeMs = 100;
        const checks = recentChecks({ capacity, maxAgeMs, now: () => now });
        const kept: { id: string; at: number }[] = [];
        gaps.forEach((gap, i) => {
          now += gap;
          // The model: forget what is too old, then keep the new one only if there is room.
          while (kept.length > 0 && now - kept[0]!.at >= maxAgeMs) kept.shift();
          if (kept.length < capacity) kept.push({ id: `m${i}`, at: now });
          checks.remember(`m${i}`, check(i));
        });
        // Age is looked at when a check is remembered: one past it but not yet forgotten is still right to use.
        const expected = new Set(kept.map((k) => k.id));
        for (let i = 0; i < gaps.length; i++) expect(checks.take(`m${i}`) !== undefined, `m${i}`).toBe(expected.has(`m${i}`));
      }),
    );
  });
});
