/**
 * fast-check arbitraries for whole histories: a generated multi-year person
 * (`test/helpers/generate-histories.ts`, from a drawn seed) with a few drawn twists that reach the
 * cases where rules and measures used to disagree (temporary cover first, exceptional
 * circumstances, partial discharges, discharge on a deadline, plans of unknown status, reviews on
 * the day a plan was made, optional or undated copies, Part 3 requests of every kind), and an
 * evaluation date. All people are synthetic.
 */
import fc from 'fast-check';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { addDays, type IsoDate } from '../../src/time/dates.js';
import { generateHistories } from '../helpers/generate-histories.js';

export const HISTORY_END = '2025-12-31';

type Part3 = NonNullable<CtpRecord['part3Requests']>[number];

const twists = [
  'temporary-first',
  'delay-reason',
  'appointment-before-acceptance',
  'partial-discharge',
  'discharge-near-deadline',
  'unknown-status',
  'review-on-day-made',
  'optional-copy',
  'undated-copy',
  'no-copies',
  'plan-linked-before-acceptance',
] as const;
type Twist = (typeof twists)[number];

const part3Arbitrary = fc.record({
  receivedDay: fc.integer({ min: 0, max: 1700 }),
  hour: fc.integer({ min: 0, max: 23 }),
  priority: fc.constantFrom('emergency', 'urgent', 'routine', undefined),
  status: fc.constantFrom('received', 'assessing', 'completed', 'declined', 'withdrawn'),
  ineligible: fc.boolean(),
  startOffset: fc.option(fc.integer({ min: 0, max: 40 })),
  concludeOffset: fc.option(fc.integer({ min: 0, max: 20 })),
  reportOffset: fc.option(fc.integer({ min: 0, max: 25 })),
  method: fc.constantFrom('hand', 'prepaid-post', 'fax', 'other-agreed', 'last-known-address'),
});

export interface History {
  readonly record: CtpRecord;
  readonly asOf: IsoDate;
  readonly twists: readonly Twist[];
}

export const historyArbitrary: fc.Arbitrary<History> = fc
  .record({
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    twists: fc.uniqueArray(fc.constantFrom(...twists), { maxLength: 4 }),
    part3: fc.array(part3Arbitrary, { maxLength: 2 }),
    asOfBack: fc.integer({ min: 0, max: 1200 }),
  })
  .map(({ seed, twists: chosen, part3, asOfBack }) => {
    const record = generateHistories(1, { seed, from: '2021-01-01', to: HISTORY_END })[0]!;
    for (const twist of chosen) applyTwist(record, twist);
    const requests: Part3[] = part3.map((p, i) => part3Request(`gen-p3-${i}`, p));
    if (requests.length > 0) record.part3Requests = [...(record.part3Requests ?? []), ...requests];
    return { record, asOf: addDays(HISTORY_END, -asOfBack), twists: chosen };
  });

function applyTwist(record: CtpRecord, twist: Twist): void {
  const episode = record.episodes?.[0];
  const usual = record.coordinatorAppointments?.find((a) => a.episode === episode?.id && !a.temporary);
  const plan = record.plans?.[0];
  if (!episode?.acceptedOn) return;
  switch (twist) {
    case 'temporary-first':
      if (!usual?.start) return;
      record.coordinatorAppointments!.push({
        id: 'twist-temp',
        practitioner: 'cc3',
        episode: episode.id,
        start: episode.acceptedOn,
        end: addDays(usual.start, 10),
        temporary: true,
      });
      usual.start = addDays(usual.start, 10);
      return;
    case 'delay-reason':
      if (!usual?.start) return;
      usual.start = addDays(episode.acceptedOn, 20);
      usual.delayReason = 'Exceptional circumstances';
      return;
    case 'appointment-before-acceptance':
      if (!usual?.start) return;
      usual.start = addDays(episode.acceptedOn, -10);
      delete usual.episode;
      return;
    case 'partial-discharge':
      if (episode.discharge) episode.discharge.kind = 'partial';
      else episode.discharge = { date: addDays(episode.acceptedOn, 30), kind: 'partial' };
      return;
    case 'discharge-near-deadline': {
      const date = addDays(episode.acceptedOn, 13 + (episode.acceptedOn.charCodeAt(9) % 3));
      episode.status = 'finished';
      episode.discharge = { date, kind: 'full' };
      return;
    }
    case 'unknown-status':
      if (plan) plan.status = 'unknown';
      return;
    case 'review-on-day-made':
      if (plan?.madeOn) (record.reviews ??= []).push({ id: 'twist-review', plan: plan.planId, trigger: 'scheduled', heldOn: plan.madeOn });
      return;
    case 'optional-copy':
      if (plan) (plan.copies ??= []).push({ id: 'twist-copy', recipientRole: 'patient-requested', recipient: { kind: 'related-person', id: 'carer' }, status: 'not-sent' });
      return;
    case 'undated-copy': {
      const sent = plan?.copies?.find((c) => c.status === 'sent');
      if (sent) delete sent.date;
      return;
    }
    case 'no-copies':
      if (plan) delete plan.copies;
      return;
    case 'plan-linked-before-acceptance':
      if (plan) plan.madeOn = addDays(episode.acceptedOn, -5);
      return;
  }
}

function part3Request(id: string, p: Part3Spec): Part3 {
  const receivedOn = addDays('2021-01-01', p.receivedDay);
  const request: Part3 = {
    id,
    receivedAt: `${receivedOn}T${String(p.hour).padStart(2, '0')}:30:00Z`,
    requester: 'self',
    status: p.status,
    ...(p.priority === undefined ? {} : { priority: p.priority }),
    ...(p.ineligible ? { eligibility: { decision: 'ineligible' as const } } : {}),
  };
  if (p.startOffset !== null) {
    const startedOn = addDays(receivedOn, p.startOffset);
    const concludedOn = p.concludeOffset === null ? undefined : addDays(startedOn, p.concludeOffset);
    request.assessment = { startedOn, ...(concludedOn === undefined ? {} : { concludedOn }) };
    if (concludedOn !== undefined && p.reportOffset !== null) {
      request.report = { providedOn: addDays(concludedOn, p.reportOffset), method: p.method, servicesIdentified: false };
    }
  }
  return request;
}

type Part3Spec = typeof part3Arbitrary extends fc.Arbitrary<infer T> ? T : never;
