/**
 * The involvement signals judge only what the record's times can show: beyond the fire-and-control
 * pair of signals.test.ts, the edges of each judgement.
 */
import { describe, expect, it } from 'vitest';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { goodRecord, signalResults, variant } from './helpers.js';

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

describe('PE-41/contact-no-longer-current', () => {
  const key = 'PE-41/contact-no-longer-current';
  const carer = (change: (p: NonNullable<CtpRecord['relatedPeople']>[number]) => void) => variant((r) => change(r.relatedPeople![0]!));

  it('fires for a related person recorded as inactive, with no end date', () => {
    expect(
      signalResults(
        carer((p) => (p.active = false)),
        key,
      ),
    ).toEqual(['fail']);
  });

  it('is silent when the plan was made after the relationship ended', () => {
    expect(
      signalResults(
        carer((p) => (p.period = { end: '2024-12-01' })),
        key,
      ),
    ).toEqual(['pass']);
  });

  it('is silent on an end still to come', () => {
    expect(
      signalResults(
        carer((p) => (p.period = { end: '2025-09-01' })),
        key,
      ),
    ).toEqual(['pass']);
  });
});

describe('PE-75/no-interpreter-at-review', () => {
  const key = 'PE-75/no-interpreter-at-review';
  const review = (needed: boolean, interpreter?: 'telephone') =>
    variant((r) => {
      r.patient!.interpreterRequired = needed;
      r.reviews = [{ id: 'rv', plan: 'plan', trigger: 'scheduled', heldOn: '2025-05-15', participants: [{ kind: 'patient' }], ...(interpreter ? { interpreter } : {}) }];
    });

  it('counts a telephone interpreter by default', () => {
    expect(signalResults(review(true, 'telephone'), key)).toEqual(['pass']);
  });

  it('does not apply to a person not recorded as needing an interpreter', () => {
    expect(signalResults(review(false), key)).toEqual(['not-applicable']);
  });
});

describe('PE-32/dispute-unresolved', () => {
  const key = 'PE-32/dispute-unresolved';
  type Dispute = NonNullable<NonNullable<CtpRecord['plans']>[number]['disputes']>[number];
  const disputed = (dispute: Dispute, nextMadeOn?: string) =>
    variant((r) => {
      const first = r.plans![0]!;
      first.disputes = [dispute];
      if (nextMadeOn) {
        const next = { ...structuredClone(first), id: 'plan-v2', version: 2, madeOn: nextMadeOn, changeType: 'minor-amendment' as const };
        delete (next as { disputes?: unknown }).disputes;
        r.plans!.push(next);
      }
    });

  it('fires when the next version was made while the request was open, however recent', () => {
    const results = signalResults(disputed({ raisedOn: '2025-05-20', by: 'carer', resolvedOn: '2025-05-30' }, '2025-05-25'), key);
    expect(results).toContain('fail');
  });

  it('waits while a request is open within the limit and no version has followed', () => {
    expect(signalResults(disputed({ raisedOn: '2025-05-20', by: 'advocate' }), key)).toEqual(['not-applicable']);
  });
});

describe('PE-36/copy-not-acknowledged', () => {
  it('waits while the copy is recent', () => {
    const record = variant((r) => {
      const copy = r.plans![0]!.copies!.find((c) => c.recipientRole === 'patient')!;
      delete copy.receivedOn;
      copy.date = '2025-05-20';
    });
    expect(signalResults(record, 'PE-36/copy-not-acknowledged')).toEqual(['not-applicable']);
  });
});

describe('PE-71/carer-support-not-offered', () => {
  const key = 'PE-71/carer-support-not-offered';
  it('does not judge someone who cares under a contract or as a volunteer', () => {
    const record = variant((r) => {
      delete r.relatedPeople![0]!.carerAssessment;
      r.relatedPeople![0]!.isPaidOrVolunteer = true;
    });
    expect(signalResults(record, key)).toEqual(['not-applicable']);
  });
  it("takes the offer of a carer's assessment, or other support offered, as support; neither fails", () => {
    const neither = variant((r) => delete r.relatedPeople![0]!.carerAssessment);
    expect(signalResults(neither, key)).toEqual(['fail']);
    const other = variant((r) => {
      delete r.relatedPeople![0]!.carerAssessment;
      r.relatedPeople![0]!.carerSupport = [{ kind: 'information', offeredOn: '2025-02-01' }];
    });
    expect(signalResults(other, key)).toEqual(['pass']);
    expect(signalResults(goodRecord(), key)).toEqual(['pass']);
  });
  it('does not count an offer made after the date of evaluation', () => {
    const later = variant((r) => (r.relatedPeople![0]!.carerAssessment = { offeredOn: '2025-07-01' }));
    expect(signalResults(later, key, '2025-06-01')).toEqual(['fail']);
  });
});

describe('PE-73/family-involvement-undecided', () => {
  const key = 'PE-73/family-involvement-undecided';

  it('fires on a decision recorded without its basis', () => {
    expect(
      signalResults(
        variant((r) => delete r.plans![0]!.familyInvolvement!.basis),
        key,
      ),
    ).toEqual(['fail']);
  });

  it('does not apply when no family member or carer is recorded', () => {
    const record = variant((r) => {
      delete r.plans![0]!.familyInvolvement;
      r.relatedPeople![0]!.roles = ['imha'];
    });
    expect(signalResults(record, key)).toEqual(['not-applicable']);
  });
});

describe('PE-58/contact-below-plan', () => {
  const key = 'PE-58/contact-below-plan';

  it('does not judge before the plan has run for the periods looked at', () => {
    expect(
      signalResults(
        variant((r) => (r.plans![0]!.contactFrequency = { times: 1, every: 2, unit: 'month' })),
        key,
      ),
    ).toEqual(['not-applicable']);
  });

  it('counts contacts per period: one period short of two is not enough to fire', () => {
    const record = variant((r) => {
      r.plans![0]!.contactFrequency = { times: 1, every: 2, unit: 'week' };
      r.encounters!.push({ id: 'enc3', kind: 'contact', status: 'finished', start: '2025-05-10', mode: 'telephone', practitioner: 'cc', episode: 'ep' });
    });
    expect(signalResults(record, key)).toEqual(['pass']);
  });
});

describe('PE-59/request-unanswered', () => {
  const key = 'PE-59/request-unanswered';
  const request = (at: string, repliedAt?: string) => variant((r) => (r.contactRequests = [{ id: 'call', at, from: 'patient', ...(repliedAt ? { repliedAt } : {}) }]));

  it('fires on a reply that came too late', () => {
    expect(signalResults(request('2025-04-01', '2025-04-20'), key)).toEqual(['fail']);
  });

  it('waits while a request is recent', () => {
    expect(signalResults(request('2025-05-29'), key)).toEqual(['not-applicable']);
  });
});

describe('PE-65/referral-without-coordinator', () => {
  it('is silent on a referral the coordinator made', () => {
    const record = variant((r) => (r.referrals = [{ id: 'ref', madeOn: '2025-04-10', requester: { kind: 'practitioner', id: r.coordinatorAppointments![0]!.practitioner } }]));
    expect(signalResults(record, 'PE-65/referral-without-coordinator')).toEqual(['pass']);
  });
});
