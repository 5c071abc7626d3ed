/**
 * The duty worker's part (ELFT §8, §9.2; LPT SOP §7): the call after triage and what it agreed, an
 * urgent assessment discussed with a senior on the day, and calls to duty answered, called back
 * and followed by a text. Each rule passes, fails, is held to its limit on each side (on UK days,
 * across midnight in summer time and the spring clock change), cannot be evaluated without the
 * data it needs, and is no rule of the other packs. Every person here is invented.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/compliance/finding.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { findingsOf, variant } from './helpers.js';

const LPT = 'leicestershire-lpt';
const ELFT = 'luton-bedfordshire-elft';
const WALES = 'wales-measure';
const NOTHING = 'Nothing in the record that this rule applies to.';

type Referral = NonNullable<NonNullable<CtpRecord['episodes']>[number]['referral']>;
type Attempt = NonNullable<Referral['contactAttempts']>[number];
type Request = NonNullable<CtpRecord['contactRequests']>[number];

const findings = (record: CtpRecord, pack: string, key: string, asOf = '2025-12-01'): Finding[] => findingsOf(record, key, asOf, pack);
const results = (record: CtpRecord, pack: string, key: string, asOf?: string) => findings(record, pack, key, asOf).map((f) => f.result);
const messages = (record: CtpRecord, pack: string, key: string, asOf?: string) => findings(record, pack, key, asOf).map((f) => f.message);

describe('ELFT-R6: the duty worker rings the person after triage and agrees a safety plan and a timescale', () => {
  const CALL = 'ELFT-R6/duty-call-after-triage';
  const AGREED = 'ELFT-R6/safety-plan-and-timescale-agreed';
  // Triaged on Friday 6 June 2025: the next working day is Monday 9 June.
  const triaged = (attempts: Attempt[] | null, triageAt: string | null = '2025-06-06T12:00:00+01:00') =>
    variant((x) => {
      x.episodes![0]!.referral = {
        receivedOn: '2025-06-05',
        triage: triageAt === null ? { by: ['team-manager'] } : { at: triageAt },
        ...(attempts ? { contactAttempts: attempts } : {}),
      };
    });
  const call = (at: string, extra: Partial<Attempt> = { reached: true }): Attempt => ({ at, method: 'telephone', ...extra });
  it('reached by the next working day: Monday passes; a call at 00:30 on the UK Tuesday, written in UTC on Monday, is late', () => {
    expect(results(triaged([call('2025-06-09T17:00:00+01:00')]), ELFT, CALL)).toEqual(['pass']);
    expect(findings(triaged([call('2025-06-09T23:30:00Z')]), ELFT, CALL)[0]).toMatchObject({ result: 'fail', location: 'episodes[0].referral', due: '2025-06-09' });
  });
  it('no call that reached them: not yet due on Monday, failing from Tuesday; a call before the triage day does not count', () => {
    expect(results(triaged(null), ELFT, CALL, '2025-06-09')).toEqual(['not-applicable']);
    expect(results(triaged([call('2025-06-05T15:00:00+01:00'), call('2025-06-06T15:00:00+01:00', { reached: false })]), ELFT, CALL, '2025-06-10')).toEqual(['fail']);
  });
  it('a call not known to have reached them, or a triage with no time, cannot be judged; no triage asks nothing', () => {
    expect(findings(triaged([call('2025-06-06T15:00:00+01:00', {})]), ELFT, CALL)[0]).toMatchObject({
      result: 'cannot-evaluate',
      missing: ['episodes[0].referral.contactAttempts[0].reached'],
    });
    expect(findings(triaged(null, null), ELFT, CALL)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].referral.triage.at'] });
    expect(
      messages(
        variant((x) => void (x.episodes![0]!.referral = { receivedOn: '2025-06-05' })),
        ELFT,
        CALL,
      ),
    ).toEqual([NOTHING]);
  });
  it('the call assesses risk and agrees a safety plan and a timescale; one left undone fails naming it; not recorded cannot be judged', () => {
    const all = { reached: true, riskAssessed: true, safetyPlanAgreed: true, timescaleAgreed: true };
    expect(results(triaged([call('2025-06-09T10:00:00+01:00', all)]), ELFT, AGREED)).toEqual(['pass']);
    const noPlan = findings(triaged([call('2025-06-09T10:00:00+01:00', { ...all, safetyPlanAgreed: false })]), ELFT, AGREED)[0]!;
    expect(noPlan).toMatchObject({ result: 'fail', location: 'episodes[0].referral.contactAttempts[0]' });
    expect(noPlan.message).toBe('The call after triage did not make or agree: a safety plan.');
    const { timescaleAgreed: _t, ...partly } = all;
    expect(findings(triaged([call('2025-06-09T10:00:00+01:00', partly)]), ELFT, AGREED)[0]).toMatchObject({
      result: 'cannot-evaluate',
      missing: ['episodes[0].referral.contactAttempts[0].timescaleAgreed'],
    });
  });
  it('is not a rule of LPT or Wales', () => {
    expect(findings(triaged(null), LPT, CALL)).toEqual([]);
    expect(findings(triaged(null), WALES, AGREED)).toEqual([]);
  });
});

describe('ELFT-T2: an urgent assessment discussed with a senior on the day', () => {
  const T2 = 'ELFT-T2/urgent-assessment-discussed-same-day';
  const assessed = (start: string, seniorDiscussedAt?: string, priority: Referral['priority'] = 'urgent') =>
    variant((x) => {
      x.episodes![0]!.referral = { receivedOn: '2025-06-02', priority };
      x.encounters = [{ id: 'as', kind: 'assessment', status: 'finished', start, mode: 'face-to-face', episode: 'ep', ...(seniorDiscussedAt ? { seniorDiscussedAt } : {}) }];
    });
  it('discussed the same UK day passes; at 00:30 the next UK day (23:30 UTC the same date) fails at the discussion', () => {
    expect(results(assessed('2025-06-03T10:00:00+01:00', '2025-06-03T22:59:00Z'), ELFT, T2)).toEqual(['pass']);
    expect(findings(assessed('2025-06-03T10:00:00+01:00', '2025-06-03T23:30:00Z'), ELFT, T2)[0]).toMatchObject({
      result: 'fail',
      location: 'encounters[0].seniorDiscussedAt',
    });
  });
  it('no discussion recorded: not yet judged on the day, failing after it', () => {
    expect(results(assessed('2025-06-03T10:00:00+01:00'), ELFT, T2, '2025-06-03')).toEqual(['not-applicable']);
    expect(findings(assessed('2025-06-03T10:00:00+01:00'), ELFT, T2, '2025-06-04')[0]).toMatchObject({ result: 'fail', location: 'encounters[0]', due: '2025-06-03' });
  });
  it('asks nothing of a routine referral, and is not a rule of LPT', () => {
    expect(messages(assessed('2025-06-03T10:00:00+01:00', undefined, 'routine'), ELFT, T2)).toEqual([NOTHING]);
    expect(findings(assessed('2025-06-03T10:00:00+01:00'), LPT, T2)).toEqual([]);
  });
});

describe('LPT-N10: calls to duty answered, urgent callers called back within 24 hours, a text after a failed call back', () => {
  const ANSWERED = 'LPT-N10/duty-call-answered-within-1-working-day';
  const URGENT = 'LPT-N10/urgent-call-back-within-24-hours';
  const TEXT = 'LPT-N10/text-after-failed-call-back';
  const requested = (extra: Partial<Request>, at = '2025-03-07T16:45:00Z') => variant((x) => void (x.contactRequests = [{ id: 'cr', at, from: 'patient', ...extra }]));
  it('a call at 4.45pm on a Friday answered on Monday passes, on Tuesday fails; a call back counts as an answer', () => {
    expect(results(requested({ repliedAt: '2025-03-10T10:00:00Z' }), LPT, ANSWERED)).toEqual(['pass']);
    expect(findings(requested({ repliedAt: '2025-03-11T10:00:00Z' }), LPT, ANSWERED)[0]).toMatchObject({ result: 'fail', location: 'contactRequests[0]', due: '2025-03-10' });
    expect(results(requested({ callBacks: [{ at: '2025-03-10T09:00:00Z', method: 'telephone', reached: false }] }), LPT, ANSWERED)).toEqual(['pass']);
  });
  it('not answered: not yet due on Monday, failing from Tuesday', () => {
    expect(results(requested({}), LPT, ANSWERED, '2025-03-10')).toEqual(['not-applicable']);
    expect(results(requested({}), LPT, ANSWERED, '2025-03-11')).toEqual(['fail']);
  });
  it('urgent: 24 elapsed hours across the spring clock change, 11:00 BST on Sunday passes and 11:01 fails; a call that is not urgent asks nothing', () => {
    const urgent = (at: string) => requested({ urgent: true, callBacks: [{ at, method: 'telephone', reached: true }] }, '2025-03-29T10:00:00Z');
    expect(results(urgent('2025-03-30T11:00:00+01:00'), LPT, URGENT)).toEqual(['pass']);
    expect(results(urgent('2025-03-30T11:01:00+01:00'), LPT, URGENT)).toEqual(['fail']);
    expect(messages(requested({ repliedAt: '2025-03-10T10:00:00Z' }), LPT, URGENT)).toEqual([NOTHING]);
  });
  it('a text the day a call back fails passes; the next day fails; none is judged once the day is over; unknown reach cannot be judged', () => {
    const failed = (sms?: string, reached: boolean | 'not recorded' = false) =>
      requested({
        callBacks: [
          { at: '2025-03-10T10:00:00Z', method: 'telephone', ...(reached === 'not recorded' ? {} : { reached }) },
          ...(sms ? [{ at: sms, method: 'sms' as const }] : []),
        ],
      });
    expect(results(failed('2025-03-10T10:05:00Z'), LPT, TEXT)).toEqual(['pass']);
    expect(findings(failed('2025-03-11T09:00:00Z'), LPT, TEXT)[0]).toMatchObject({ result: 'fail', location: 'contactRequests[0].callBacks[0]', due: '2025-03-10' });
    expect(results(failed(), LPT, TEXT, '2025-03-10')).toEqual(['not-applicable']);
    expect(results(failed(), LPT, TEXT, '2025-03-11')).toEqual(['fail']);
    expect(findings(failed(undefined, 'not recorded'), LPT, TEXT)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['contactRequests[0].callBacks[0].reached'] });
  });
  it('is not a rule of ELFT or Wales', () => {
    expect(findings(requested({}), ELFT, ANSWERED)).toEqual([]);
    expect(findings(requested({}), WALES, TEXT)).toEqual([]);
  });
});
