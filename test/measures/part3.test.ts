import { describe, expect, it } from 'vitest';
import { part3Report10WorkingDays } from '../../src/measures/definitions/part3-report-10-working-days.js';
import { part3ResponseTime } from '../../src/measures/definitions/part3-response-time.js';
import type { Part3Request } from '../../src/record/integrity.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { minimalRecord } from '../helpers/minimal-record.js';
import { evaluate, only } from './helpers.js';

function withRequest(request: Partial<Part3Request>): CtpRecord {
  const r = minimalRecord();
  r.part3Requests = [{ id: 'p3', receivedAt: '2025-03-10T10:00:00Z', requester: 'self', status: 'completed', priority: 'routine', ...request }];
  return r;
}

describe('part3-report-10-working-days', () => {
  // Concluded Thursday 2025-04-10. Working days after it: 11, 14–17, (Good Friday 18 and Easter Monday 21 are not), 22–25, 28.
  const concluded = (providedOn: string | undefined, extra: Partial<Part3Request> = {}) =>
    withRequest({
      assessment: { startedOn: '2025-04-01', concludedOn: '2025-04-10' },
      ...(providedOn === undefined ? {} : { report: { providedOn, method: 'hand', servicesIdentified: false } }),
      ...extra,
    });
  const april = (r: CtpRecord, asOf = '2025-12-31') => only(evaluate(part3Report10WorkingDays, r, ['2025-04'], asOf));

  it('counts a report within 10 working days in the numerator, in the month of its deadline', () => {
    const { verdict, item } = april(concluded('2025-04-14'));
    expect(verdict).toBe('met');
    expect(item.on).toBe('2025-04-28');
  });

  it('skips Good Friday and Easter Monday: the 10th working day is 28 April, not 24 April', () => {
    expect(april(concluded('2025-04-25')).verdict).toBe('met');
    expect(april(concluded('2025-04-28')).verdict).toBe('met');
    expect(april(concluded('2025-04-29'))).toMatchObject({ verdict: 'not met', reason: 'late' });
  });

  it('fails a report never provided once the deadline has passed', () => {
    expect(april(concluded(undefined)).verdict).toBe('not met');
  });

  it('excludes a report not yet due on the as-of day; a request withdrawn after the assessment concluded still owes the report (8.39)', () => {
    expect(april(concluded(undefined), '2025-04-28')).toMatchObject({ verdict: 'excluded', reason: 'not yet due' });
    expect(april(concluded(undefined, { status: 'withdrawn' }))).toMatchObject({ verdict: 'not met' });
  });

  it('does not count a report sent by fax or other agreed means as provided: only hand or prepaid post (8.40)', () => {
    const by = (method: 'fax' | 'other-agreed' | 'last-known-address' | 'prepaid-post') =>
      april(concluded(undefined, { report: { providedOn: '2025-04-14', method, servicesIdentified: false } })).verdict;
    expect(by('fax')).toBe('not met');
    expect(by('other-agreed')).toBe('not met');
    expect(by('last-known-address')).toBe('not met');
    expect(by('prepaid-post')).toBe('met');
  });

  it('excepts a report recorded in time without how it went, and fails one recorded late however it went', () => {
    const unknownMeans = (providedOn: string) => april(concluded(undefined, { report: { providedOn, servicesIdentified: false } }));
    expect(unknownMeans('2025-04-28')).toMatchObject({ verdict: 'excepted', reason: 'how the report was delivered is not recorded' });
    expect(unknownMeans('2025-04-29')).toMatchObject({ verdict: 'not met', reason: 'late' });
  });

  it('puts a person with no residence under the unknown health board', () => {
    expect(april(concluded('2025-04-14')).item.organisations['health-board'].code).toBe('unknown');
  });
});

describe('part3-response-time', () => {
  const started = (startedOn: string | undefined, priority: Part3Request['priority'], extra: Partial<Part3Request> = {}) =>
    withRequest({ priority, ...(startedOn === undefined ? {} : { assessment: { startedOn } }), ...extra });
  const march = (r: CtpRecord, asOf = '2025-12-31') => only(evaluate(part3ResponseTime, r, ['2025-03'], asOf));

  it('stratifies by priority and counts a routine start within 28 days in the numerator', () => {
    const { verdict, item } = march(started('2025-03-20', 'routine'));
    expect(verdict).toBe('met');
    expect(item.stratum).toBe('routine');
    expect(item.on).toBe('2025-03-10');
  });

  it('judges routine requests by calendar days: the 28th day passes, the 29th fails', () => {
    expect(march(started('2025-04-07', 'routine')).verdict).toBe('met');
    expect(march(started('2025-04-08', 'routine'))).toMatchObject({ verdict: 'not met', reason: 'late' });
  });

  it('makes an urgent start on the deadline day, with no time recorded, a denominator exception', () => {
    expect(march(started('2025-03-11', 'urgent')).verdict).toBe('met');
    expect(march(started('2025-03-12', 'urgent'))).toMatchObject({ verdict: 'excepted', reason: 'time not recorded' });
    expect(march(started('2025-03-13', 'urgent')).verdict).toBe('not met');
  });

  it('makes an emergency started the same day an exception, and the next day a failure', () => {
    expect(march(started('2025-03-10', 'emergency'))).toMatchObject({ verdict: 'excepted', reason: 'time not recorded' });
    expect(march(started('2025-03-11', 'emergency')).verdict).toBe('not met');
  });

  it('places a request by the day it was received in Wales (BST), not in UTC', () => {
    const r = started('2025-07-02', 'urgent', { receivedAt: '2025-06-30T23:30:00Z' });
    expect(evaluate(part3ResponseTime, r, ['2025-06'], '2025-12-31')).toEqual([]);
    expect(only(evaluate(part3ResponseTime, r, ['2025-07'], '2025-12-31')).item.on).toBe('2025-07-01');
  });

  it('excludes withdrawn, declined or ineligible requests and ones not yet due', () => {
    expect(march(started(undefined, 'routine', { status: 'withdrawn' })).verdict).toBe('excluded');
    expect(march(started(undefined, 'routine', { eligibility: { decision: 'ineligible' } })).verdict).toBe('excluded');
    expect(march(started(undefined, 'routine'), '2025-04-07')).toMatchObject({ verdict: 'excluded', reason: 'not yet due' });
    expect(march(started(undefined, 'routine'), '2025-04-08').verdict).toBe('not met');
  });

  it('counts only Part 3 requests: one made by a carer or a professional is not one (8.20)', () => {
    expect(evaluate(part3ResponseTime, started(undefined, 'routine', { requester: 'carer' }), ['2025-03'], '2025-12-31')).toEqual([]);
    expect(evaluate(part3ResponseTime, started(undefined, 'routine', { requester: 'professional' }), ['2025-03'], '2025-12-31')).toEqual([]);
    expect(march(started(undefined, 'routine', { requester: 'donee' })).verdict).toBe('not met');
  });

  it('judges a request known only by its date from the whole of that day in Wales', () => {
    expect(march(started('2025-03-11', 'urgent', { receivedAt: '2025-03-10' })).verdict).toBe('met');
    expect(march(started('2025-03-12', 'urgent', { receivedAt: '2025-03-10' }))).toMatchObject({ verdict: 'excepted' });
    expect(march(started('2025-03-13', 'urgent', { receivedAt: '2025-03-10' })).verdict).toBe('not met');
  });

  it('holds a request with no priority to the routine 28 days (8.10), in the unknown stratum', () => {
    const { verdict, item } = march(started('2025-03-11', undefined));
    expect(verdict).toBe('met');
    expect(item.stratum).toBe('unknown');
    expect(march(started('2025-04-07', undefined)).verdict).toBe('met');
    expect(march(started('2025-04-08', undefined)).verdict).toBe('not met');
    expect(march(started(undefined, undefined)).verdict).toBe('not met');
  });
});
