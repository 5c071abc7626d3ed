import { describe, expect, it } from 'vitest';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { compliantRecord, findingsOf, resultsOf, variant } from './helpers.js';

type Review = NonNullable<CtpRecord['reviews']>[number];
const withReviews = (...reviews: Review[]) => variant((r) => (r.reviews = reviews));
const held = (id: string, heldOn: string): Review => ({ id, plan: 'plan', trigger: 'scheduled', heldOn, summary: 'Review' });

describe('CoP-P2-67 reviewed at least once in every 12 months (plan made 2025-02-01)', () => {
  const key = 'CoP-P2-67/reviewed-every-12-months';
  it('passes on 2026-02-01 with no review yet, and fails as an error the day after', () => {
    expect(resultsOf(compliantRecord(), key, '2026-02-01')).toEqual(['pass']);
    expect(findingsOf(compliantRecord(), key, '2026-02-02')[0]).toMatchObject({ result: 'fail', severity: 'error', due: '2026-02-01', location: 'plans[0]' });
  });
  it('fails a gap of more than 12 months between held reviews, even if the latest is recent', () => {
    const r = withReviews(held('r1', '2026-01-15'), held('r2', '2027-01-16'));
    expect(findingsOf(r, key, '2027-02-01').map((f) => [f.result, f.location])).toEqual([['fail', 'reviews[1].heldOn']]);
    expect(resultsOf(withReviews(held('r1', '2026-01-15'), held('r2', '2027-01-15')), key, '2027-02-01')).toEqual(['pass']);
  });
  it('stops the clock at full discharge (Code 7.7)', () => {
    const r = variant((x) => {
      x.episodes![0]!.status = 'finished';
      x.episodes![0]!.discharge = { date: '2025-12-01', kind: 'full' };
    });
    expect(resultsOf(r, key, '2027-01-01')).toEqual(['pass']);
  });
  it('does not count a minor amendment or a change of temporary coordinator as a review', () => {
    const r = variant((x) => {
      x.plans!.push({ ...structuredClone(x.plans![0]!), id: 'plan-v2', version: 2, changeType: 'minor-amendment', madeOn: '2025-10-01' });
      x.coordinatorAppointments!.push({
        id: 't',
        practitioner: 'cc2',
        profession: 'occupational-therapist',
        start: '2025-11-01',
        end: '2025-11-20',
        temporary: true,
        covers: 'appt',
      });
    });
    expect(resultsOf(r, key, '2026-02-02')).toEqual(['fail']);
  });
  it('the review-by date is at most 12 calendar months after the date made', () => {
    const k = 'CoP-P2-67/review-by-within-12-months';
    expect(
      resultsOf(
        variant((r) => (r.plans![0]!.reviewBy = '2026-02-01')),
        k,
      ),
    ).toEqual(['pass']);
    expect(
      resultsOf(
        variant((r) => (r.plans![0]!.reviewBy = '2026-02-02')),
        k,
      ),
    ).toEqual(['fail']);
    const leap = variant((r) => Object.assign(r.plans![0]!, { madeOn: '2024-02-29', completedOn: '2024-02-29', reviewBy: '2025-03-01' }));
    expect(findingsOf(leap, k)[0]).toMatchObject({ result: 'fail', due: '2025-02-28' });
    expect(
      resultsOf(
        variant((r) => (r.plans![0]!.reviewBy = { notRecorded: 'unknown' })),
        k,
      ),
    ).toEqual(['cannot-evaluate']);
  });
});

const request = (requestedBy: string, extra: Partial<NonNullable<Review['request']>> = {}, heldOn?: string): Review => ({
  id: 'rq',
  plan: 'plan',
  trigger: 'request',
  request: { receivedOn: '2025-03-03', requestedBy: requestedBy as never, ...extra },
  ...(heldOn ? { heldOn, summary: 'Review' } : {}),
});

describe('requested reviews (CoP-P2-68, CoP-P2-69, CoP-P2-70)', () => {
  it('a provider’s request can never be refused', () => {
    const key = 'CoP-P2-68/provider-request-held';
    expect(findingsOf(withReviews(request('provider', { decision: 'refused-no-change', decisionReason: 'R' })), key)[0]).toMatchObject({ result: 'fail', severity: 'error' });
    expect(resultsOf(withReviews(request('provider', {}, '2025-03-20')), key)).toEqual(['pass']);
    expect(resultsOf(withReviews(request('provider')), key)).toEqual(['not-applicable']);
  });
  it('the person’s or a carer’s request may be refused only as frivolous or vexatious, or for no change', () => {
    const key = 'CoP-P2-69/patient-carer-request';
    expect(resultsOf(withReviews(request('carer', { decision: 'refused-no-change', decisionReason: 'R' })), key)).toEqual(['pass']);
    expect(resultsOf(withReviews(request('patient', {}, '2025-04-01')), key)).toEqual(['pass']);
    const tooSoon = findingsOf(withReviews(request('patient', { decision: 'refused-other', decisionReason: 'R' })), key)[0]!;
    expect(tooSoon).toMatchObject({ result: 'fail', severity: 'error', location: 'reviews[0].request.decision' });
    expect(resultsOf(compliantRecord(), key)).toEqual(['not-applicable']);
  });
  it('a refusal needs recorded reasons', () => {
    expect(resultsOf(withReviews(request('patient', { decision: 'refused-frivolous-vexatious' })), 'CoP-P2-69/refusal-reasons')).toEqual(['fail']);
  });
  it('a requested review is held within 6 weeks: day 42 passes, day 43 fails', () => {
    const key = 'CoP-P2-70/review-within-6-weeks-of-request';
    expect(resultsOf(withReviews(request('patient', {}, '2025-04-14')), key)).toEqual(['pass']);
    expect(resultsOf(withReviews(request('patient', {}, '2025-04-15')), key)).toEqual(['fail']);
    expect(resultsOf(withReviews(request('patient')), key, '2025-04-14')).toEqual(['not-applicable']);
    expect(resultsOf(withReviews(request('patient')), key, '2025-04-15')).toEqual(['fail']);
  });
});

describe('after a review', () => {
  const revised = (madeOn: string) =>
    variant((r) => {
      r.reviews = [held('rv', '2025-05-01')];
      r.plans![0]!.status = 'superseded';
      r.plans!.push({
        ...structuredClone(r.plans![0]!),
        id: 'plan-v2',
        version: 2,
        status: 'active',
        changeType: 'review-revision',
        review: 'rv',
        madeOn,
        reviewBy: '2026-05-01',
      });
    });
  it('CoP-P2-48 the revised plan within 2 weeks of the review', () => {
    const key = 'CoP-P2-48/revised-plan-within-2-weeks';
    expect(resultsOf(revised('2025-05-15'), key)).toEqual(['pass']);
    expect(resultsOf(revised('2025-05-16'), key)).toEqual(['fail']);
  });
  it('CoP-P2-71 each held review is recorded', () => {
    expect(resultsOf(withReviews({ id: 'r', plan: 'plan', trigger: 'scheduled', heldOn: '2025-05-01' }), 'CoP-P2-71/review-recorded')).toEqual(['fail']);
  });
  it('CoP-P2-72 a minor amendment that changes the crisis plan is flagged for attention', () => {
    const key = 'CoP-P2-72/minor-amendment-scope';
    const amended = (change: (p: NonNullable<CtpRecord['plans']>[number]) => void) =>
      variant((r) => {
        const v2 = { ...structuredClone(r.plans![0]!), id: 'plan-v2', version: 2, changeType: 'minor-amendment' as const, madeOn: '2025-03-01' };
        change(v2);
        r.plans![0]!.status = 'superseded';
        r.plans!.push(v2);
      });
    expect(
      resultsOf(
        amended((p) => (p.relapseSignatures = ['Another sign'])),
        key,
      ),
    ).toEqual(['pass']);
    expect(
      findingsOf(
        amended((p) => (p.crisisPlan!.actions = ['Something else'])),
        key,
      )[0],
    ).toMatchObject({ result: 'fail', severity: 'warning' });
  });
  it('CoP-P2-57 services that cannot be delivered lead to a review', () => {
    const key = 'CoP-P2-57/undeliverable-services-reviewed';
    const stuck = variant((r) => (r.plans![0]!.outcomes![0]!.actions![0]!.status = 'cannot-be-delivered'));
    expect(resultsOf(stuck, key)).toEqual(['fail']);
    expect(
      resultsOf(
        variant((r) => (r.reviews = [request('care-coordinator')])),
        key,
      ),
    ).toEqual(['not-applicable']);
    const asked = variant((r) => (r.reviews = [{ ...request('care-coordinator'), request: { receivedOn: '2025-03-01', requestedBy: 'care-coordinator' } }]), stuck);
    expect(resultsOf(asked, key)).toEqual(['pass']);
  });
});
