import { describe, expect, it } from 'vitest';
import { findingsOf, formerUser as former, resultsOf, variant } from './helpers.js';

describe('CoP-P3-01 eligibility (discharged 2022-06-01)', () => {
  const key = 'CoP-P3-01/ineligibility-supported';
  const refused = (receivedAt: string, dateOfBirth?: string) =>
    former({ receivedAt, eligibility: { decision: 'ineligible', reason: 'R', decidedOn: receivedAt.slice(0, 10) } }, dateOfBirth);
  it('fails a refusal on the third anniversary of discharge (inclusive, E-21), passes one the day after', () => {
    expect(findingsOf(refused('2025-06-01T09:00:00Z'), key, '2025-07-01')[0]).toMatchObject({ result: 'fail', severity: 'error' });
    expect(resultsOf(refused('2025-06-02T09:00:00Z'), key, '2025-07-01')).toEqual(['pass']);
  });
  it('someone discharged at 16 is not eligible at 17, and is at 18 for the rest of the 3 years (Code 8.23)', () => {
    // Born 2006-01-01: 16 at discharge, 18 on 2024-01-01.
    expect(resultsOf(refused('2023-12-31T09:00:00Z', '2006-01-01'), key, '2025-07-01')).toEqual(['pass']);
    expect(resultsOf(refused('2024-01-01T09:00:00Z', '2006-01-01'), key, '2025-07-01')).toEqual(['fail']);
  });
  it('cannot be evaluated without a date of birth', () => {
    const r = variant((x) => delete x.patient!.dateOfBirth, refused('2025-05-01T09:00:00Z'));
    expect(resultsOf(r, key, '2025-07-01')).toEqual(['cannot-evaluate']);
  });
  it('CoP-P3-04 the most recent discharge starts the period', () => {
    const k = 'CoP-P3-04/most-recent-discharge';
    expect(resultsOf(former({ eligibility: { decision: 'eligible', qualifyingDischargeOn: '2022-06-01' } }), k, '2025-07-01')).toEqual(['pass']);
    expect(resultsOf(former({ eligibility: { decision: 'eligible', qualifyingDischargeOn: '2020-01-01' } }), k, '2025-07-01')).toEqual(['fail']);
  });
  it('CoP-P3-10 a decision not to assess records its grounds and date', () => {
    expect(resultsOf(former({ eligibility: { decision: 'ineligible' } }), 'CoP-P3-10/refusal-recorded', '2025-07-01')).toEqual(['fail']);
  });
  it('CoP-P3-07 uncertain eligibility is assessed', () => {
    const k = 'CoP-P3-07/uncertain-eligibility-assessed';
    expect(resultsOf(former({ eligibility: { decision: 'uncertain' }, assessment: { startedOn: '2025-05-20' } }), k, '2025-07-01')).toEqual(['pass']);
    // Received 2025-05-01: the 28th day is 2025-05-29.
    expect(resultsOf(former({ eligibility: { decision: 'uncertain' }, assessment: { startedOn: '2025-05-29' } }), k, '2025-07-01')).toEqual(['pass']);
    expect(resultsOf(former({ eligibility: { decision: 'uncertain' }, assessment: { startedOn: '2025-05-30' } }), k, '2025-07-01')).toEqual(['fail']);
    expect(resultsOf(former({ eligibility: { decision: 'uncertain' } }), k, '2025-07-01')).toEqual(['fail']);
  });
});

describe('CoP-P3-12 response times by priority (received 2025-05-01 10:00 BST)', () => {
  const key = 'CoP-P3-12/response-time';
  it('routine: the 28th day passes, the 29th fails', () => {
    expect(resultsOf(former({ assessment: { startedOn: '2025-05-29' } }), key, '2025-07-01')).toEqual(['pass']);
    expect(resultsOf(former({ assessment: { startedOn: '2025-05-30' } }), key, '2025-07-01')).toEqual(['fail']);
  });
  it('emergency: counted in hours from the instant of the request', () => {
    const emergency = (start: string) => variant((r) => (r.encounters = [{ id: 'a', kind: 'assessment', status: 'finished', start }]), former({ priority: 'emergency' }));
    expect(resultsOf(emergency('2025-05-01T13:00:00+01:00'), key, '2025-07-01')).toEqual(['pass']);
    expect(resultsOf(emergency('2025-05-01T14:01:00+01:00'), key, '2025-07-01')).toEqual(['fail']);
  });
  it('cannot be known when only the date is recorded and the limit ends that day', () => {
    const f = findingsOf(former({ priority: 'emergency', assessment: { startedOn: '2025-05-01' } }), key, '2025-07-01')[0]!;
    expect(f).toMatchObject({ result: 'cannot-evaluate', missing: ['the time the assessment started'] });
    expect(resultsOf(former({ priority: 'urgent', assessment: { startedOn: '2025-05-04' } }), key, '2025-07-01')).toEqual(['fail']);
  });
  it('holds a request with no priority to the routine 28 days (8.10: all other referrals)', () => {
    expect(resultsOf(former({ priority: undefined }), key, '2025-07-01')).toEqual(['fail']);
    expect(resultsOf(former({ priority: undefined, assessment: { startedOn: '2025-05-29' } }), key, '2025-07-01')).toEqual(['pass']);
  });
});

describe('CoP-P3-14 the written report within 10 working days', () => {
  const key = 'CoP-P3-14/report-within-10-working-days';
  const report = (concludedOn: string, providedOn?: string) =>
    former({
      assessment: { startedOn: '2025-05-20', concludedOn, assessor: 'cc' },
      ...(providedOn ? { report: { providedOn, method: 'prepaid-post', servicesIdentified: false } } : {}),
    });
  it('counts working days over the late May bank holiday (2025-05-26)', () => {
    // Concluded Friday 2025-05-16: 10 working days end on Monday 2025-06-02, skipping 26 May.
    expect(resultsOf(report('2025-05-16', '2025-06-02'), key, '2025-07-01')).toEqual(['pass']);
    expect(findingsOf(report('2025-05-16', '2025-06-03'), key, '2025-07-01')[0]).toMatchObject({ result: 'fail', severity: 'error', due: '2025-06-02' });
  });
  it('fails when no report has come by the deadline, and is not yet due before it', () => {
    expect(resultsOf(report('2025-05-16'), key, '2025-06-02')).toEqual(['not-applicable']);
    expect(resultsOf(report('2025-05-16'), key, '2025-06-03')).toEqual(['fail']);
  });
  it('does not count a report sent by other means as provided (8.40): it fails once the 10 working days have passed', () => {
    const r = former({
      assessment: { startedOn: '2025-05-10', concludedOn: '2025-05-16', assessor: 'cc' },
      report: { providedOn: '2025-05-20', method: 'fax', servicesIdentified: true },
    });
    expect(findingsOf(r, key, '2025-07-01')[0]).toMatchObject({ result: 'fail', location: 'part3Requests[0].report.method', due: '2025-06-02' });
    expect(resultsOf(r, key, '2025-06-02')).toEqual(['not-applicable']);
  });
  it('cannot be evaluated when a report exists but the assessment’s end is not recorded', () => {
    const r = former({ assessment: { startedOn: '2025-05-20' }, report: { providedOn: '2025-06-01', method: 'hand', servicesIdentified: true } });
    expect(resultsOf(r, key, '2025-07-01')).toEqual(['cannot-evaluate']);
  });
  it('CoP-P3-15 the report counts only by hand or prepaid post (E-19)', () => {
    const via = (method: 'hand' | 'other-agreed') =>
      former({ assessment: { concludedOn: '2025-05-16', assessor: 'cc' }, report: { providedOn: '2025-05-20', method, servicesIdentified: true } });
    expect(resultsOf(via('hand'), 'CoP-P3-15/report-method', '2025-07-01')).toEqual(['pass']);
    expect(resultsOf(via('other-agreed'), 'CoP-P3-15/report-method', '2025-07-01')).toEqual(['fail']);
  });
  it('CoP-P3-13 the assessor is recorded', () => {
    expect(resultsOf(former({ assessment: { concludedOn: '2025-05-16' } }), 'CoP-P3-13/assessor-recorded', '2025-07-01')).toEqual(['fail']);
  });
});
