/**
 * The timeline's answers, one decision at a time (see src/timeline/README.md). The minimal
 * record: accepted 2025-01-06, coordinator from 2025-01-10, plan made 2025-02-01 and to be
 * reviewed by 2026-01-31.
 */
import { describe, expect, it } from 'vitest';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { createWorkingDayCalendar } from '../../src/time/working-days.js';
import { judgeClock } from '../../src/timeline/clock.js';
import { judgeReport, judgeResponse, receivedOn } from '../../src/timeline/part3.js';
import { reviewCycles } from '../../src/timeline/reviews.js';
import { buildTimeline, isCopyDue } from '../../src/timeline/timeline.js';
import { minimalRecord } from '../helpers/minimal-record.js';

const calendar = createWorkingDayCalendar('GB-WLS');

function timelineOf(change: (r: CtpRecord) => void = () => {}) {
  const r = minimalRecord();
  change(r);
  return buildTimeline(r);
}
const episode = (t: ReturnType<typeof buildTimeline>) => t.episodes[0]!;

describe('receipt of services', () => {
  it('ends on the day of a full discharge: the duties cease on discharge (7.7)', () => {
    const t = timelineOf((r) => (r.episodes![0] = { ...r.episodes![0]!, status: 'finished', discharge: { date: '2025-03-31', kind: 'full' } }));
    expect(t.inReceipt(episode(t), '2025-03-30')).toBe(true);
    expect(t.inReceipt(episode(t), '2025-03-31')).toBe(false);
    expect(t.inReceipt(episode(t), '2025-01-05')).toBe(false);
  });
  it('is not ended by a partial discharge of an active episode (7.10); a finished one ends on its discharge date', () => {
    const active = timelineOf((r) => (r.episodes![0]!.discharge = { date: '2025-03-01', kind: 'partial' }));
    expect(active.inReceipt(episode(active), '2025-06-01')).toBe(true);
    const finished = timelineOf((r) => (r.episodes![0] = { ...r.episodes![0]!, status: 'finished', discharge: { date: '2025-03-01', kind: 'partial' } }));
    expect(finished.inReceipt(episode(finished), '2025-03-01')).toBe(false);
  });
  it('cannot place a finished episode with no discharge date in time', () => {
    const t = timelineOf((r) => (r.episodes![0]!.status = 'finished'));
    expect(episode(t).undatedEnd).toBe(true);
    expect(t.episodesInReceiptOn('2025-02-01')).toEqual([]);
  });
});

describe('the first appointment of an episode', () => {
  it('is the first usual appointment: temporary cover does not count (3.13, 3.15)', () => {
    const t = timelineOf((r) => r.coordinatorAppointments!.push({ id: 'temp', practitioner: 'cc', episode: 'ep', start: '2025-01-07', end: '2025-01-09', temporary: true }));
    expect(t.firstAppointment(episode(t))?.appointment.id).toBe('appt');
  });
  it('counts an appointment already in force at acceptance from the day of acceptance (3.19, E-09)', () => {
    const t = timelineOf((r) => {
      r.coordinatorAppointments![0]!.start = '2024-12-01';
      delete r.coordinatorAppointments![0]!.episode;
    });
    expect(t.firstAppointment(episode(t))).toMatchObject({ on: '2025-01-06' });
  });
  it('ignores an unlinked appointment that ended before the episode began', () => {
    const t = timelineOf((r) => Object.assign(r.coordinatorAppointments![0]!, { start: '2024-10-01', end: '2024-12-01', episode: undefined }));
    expect(t.firstAppointment(episode(t))).toBeUndefined();
  });
});

describe('plans', () => {
  it('counts only active, superseded and ended plans as made: not drafts or plans of unknown status (4.86)', () => {
    for (const status of ['draft', 'unknown'] as const) expect(timelineOf((r) => (r.plans![0]!.status = status)).madePlans).toEqual([]);
    expect(timelineOf((r) => (r.plans![0]!.status = 'ended')).madePlans).toHaveLength(1);
  });
  it('carries a plan made before acceptance into the episode only when no full discharge came between (7.7)', () => {
    const readmitted = (kind: 'full' | 'partial') =>
      timelineOf((r) => {
        r.episodes![0] = { ...r.episodes![0]!, status: 'finished', discharge: { date: '2025-03-01', kind } };
        r.episodes!.push({ id: 'ep2', status: 'active', acceptedOn: '2025-04-01' });
      });
    const partial = readmitted('partial');
    expect(partial.carriedPlan(partial.episodes[1]!)?.id).toBe('plan-v1');
    expect(partial.firstPlan(partial.episodes[1]!)).toMatchObject({ on: '2025-04-01' });
    const full = readmitted('full');
    expect(full.carriedPlan(full.episodes[1]!)).toBeUndefined();
    expect(full.planOn('2025-04-30')).toMatchObject({ valid: false, reason: 'no plan made since the last full discharge' });
  });
});

describe('reviews', () => {
  it('counts a review on the day the plan was made without opening a cycle of its own', () => {
    const t = timelineOf((r) => (r.reviews![0]!.heldOn = '2025-02-01'));
    const cycles = reviewCycles(t, 'plan', '2026-03-01', { every: { value: 12, unit: 'months' } }, calendar);
    expect(cycles.map((c) => [c.from, c.due, c.verdict])).toEqual([['2025-02-01', '2026-02-01', 'not-done']]);
  });
  it('sets the open cycle aside when the person leaves services on or before it falls due (7.7), whatever the plan status', () => {
    const t = timelineOf((r) => {
      r.episodes![0] = { ...r.episodes![0]!, status: 'finished', discharge: { date: '2026-02-01', kind: 'full' } };
      r.plans![0]!.status = 'ended';
    });
    expect(reviewCycles(t, 'plan', '2026-06-01', { every: { value: 12, unit: 'months' } }, calendar).at(-1)?.verdict).toBe('set-aside');
    const active = timelineOf((r) => (r.plans![0]!.status = 'ended'));
    expect(reviewCycles(active, 'plan', '2026-06-01', { every: { value: 12, unit: 'months' } }, calendar).at(-1)?.verdict).toBe('not-done');
  });
});

describe('copies', () => {
  it('are not due when declined, withheld, or optional (4.93, 4.95)', () => {
    const copy = (recipientRole: 'patient' | 'patient-requested' | 'to-facilitate-outcomes', status: 'not-sent' | 'declined' | 'withheld-other') =>
      isCopyDue({ id: 'c', recipientRole, recipient: { kind: 'patient' }, status });
    expect(copy('patient', 'not-sent')).toBe(true);
    expect(copy('patient', 'declined')).toBe(false);
    expect(copy('patient', 'withheld-other')).toBe(false);
    expect(copy('patient-requested', 'not-sent')).toBe(false);
    expect(copy('to-facilitate-outcomes', 'not-sent')).toBe(false);
  });
});

describe('clocks', () => {
  it('judges on time, late, excused, pending, not done and set aside', () => {
    const due = '2025-01-20';
    expect(judgeClock({ due, done: '2025-01-20', asOf: '2025-06-01' })).toBe('on-time');
    expect(judgeClock({ due, done: '2025-01-21', asOf: '2025-06-01' })).toBe('late');
    expect(judgeClock({ due, done: '2025-01-21', asOf: '2025-06-01', excuse: 'Exceptional' })).toBe('excused');
    expect(judgeClock({ due, done: '2025-01-21', asOf: '2025-01-20' })).toBe('pending');
    expect(judgeClock({ due, done: undefined, asOf: '2025-01-21' })).toBe('not-done');
    expect(judgeClock({ due, done: undefined, asOf: '2025-06-01', leftServicesOn: '2025-01-20' })).toBe('set-aside');
    expect(judgeClock({ due, done: undefined, asOf: '2025-06-01', leftServicesOn: '2025-01-21' })).toBe('not-done');
  });
});

describe('Part 3 clocks', () => {
  const request = { id: 'p3', receivedAt: '2025-05-01T23:30:00Z', requester: 'self' as const, status: 'completed' as const };
  const limits = { emergency: { value: 4, unit: 'hours' }, urgent: { value: 48, unit: 'hours' }, routine: { value: 28, unit: 'days' } } as const;
  it('dates a request by the day in Wales it was received on', () => {
    expect(receivedOn(request)).toBe('2025-05-02');
  });
  it('holds a request with no priority to the routine 28 days (8.10)', () => {
    expect(judgeResponse({ ...request, assessment: { startedOn: '2025-05-30' } }, [], limits, '2025-07-01', calendar)).toMatchObject({
      priority: 'routine',
      due: '2025-05-30',
      verdict: 'on-time',
    });
  });
  it('counts a report as provided only by hand or prepaid post (8.40)', () => {
    const concluded = { ...request, assessment: { startedOn: '2025-05-10', concludedOn: '2025-05-12' } };
    const by = (method: 'hand' | 'prepaid-post' | 'fax' | 'other-agreed') =>
      judgeReport({ ...concluded, report: { providedOn: '2025-05-13', method, servicesIdentified: false } }, { value: 10, unit: 'working-days' }, '2025-07-01', calendar)
        ?.verdict;
    expect([by('hand'), by('prepaid-post'), by('fax'), by('other-agreed')]).toEqual(['on-time', 'on-time', 'not-done', 'not-done']);
  });
});
