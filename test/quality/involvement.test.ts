/**
 * The involvement signals judge only what the record's times can show: beyond the fire-and-control
 * pair of signals.test.ts, the edges of each judgement.
 */
import { describe, expect, it } from 'vitest';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { signalResults, variant } from './helpers.js';

type Cancellation = NonNullable<NonNullable<CtpRecord['encounters']>[number]['cancellation']>;
const cancelled = (start: string, cancellation: Cancellation) =>
  variant((r) => {
    r.encounters!.push({ id: 'off', kind: 'contact', status: 'cancelled', start, practitioner: 'cc', episode: 'ep', cancellation });
  });

describe('PE-60/cancelled-without-notice', () => {
  const results = (start: string, cancellation: Cancellation) => signalResults(cancelled(start, cancellation), 'PE-60/cancelled-without-notice');

  it('fires when the person was told only after the contact was due', () => {
    expect(results('2025-05-12T10:00:00+01:00', { by: 'service', personToldAt: '2025-05-12T11:00:00+01:00' })).toEqual(['fail']);
  });

  it('does not judge a day-only start and a telling on that same day', () => {
    expect(results('2025-05-12', { by: 'service', personToldAt: '2025-05-12' })).toEqual(['not-applicable']);
  });

  it('passes when the person was told on an earlier day', () => {
    expect(results('2025-05-12', { by: 'service', personToldAt: '2025-05-09' })).toEqual(['pass']);
  });

  it('looks only at contacts the service cancelled that are past', () => {
    expect(results('2025-05-12', { by: 'patient' })).toEqual(['not-applicable']);
    expect(results('2025-06-05', { by: 'service' })).toEqual(['not-applicable']);
  });
});
