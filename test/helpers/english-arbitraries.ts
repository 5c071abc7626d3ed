/**
 * fast-check arbitraries of the evidence the English trust policies need, added to a generated
 * canonical record so that the round-trip properties cover it: a referral received at a time of
 * day, and a hospital stay known only by its discharge, with the time of discharge.
 */
import fc from 'fast-check';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { referralPriorities } from '../../src/record/vocabulary.js';
import { addDays } from '../../src/time/dates.js';

type Episode = NonNullable<CtpRecord['episodes']>[number];

const day = fc.integer({ min: 0, max: 6000 }).map((days) => addDays('2010-01-01', days));
const two = (n: number) => String(n).padStart(2, '0');

/** A date-time on `date`, with seconds or without, in UTC or with an offset (the UK's two and another). */
export const timeOn = (date: string) =>
  fc
    .record({
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.integer({ min: 0, max: 59 }),
      seconds: fc.boolean(),
      zone: fc.constantFrom('Z', '+00:00', '+01:00', '-05:00'),
    })
    .map(({ hour, minute, seconds, zone }) => `${date}T${two(hour)}:${two(minute)}${seconds ? ':00' : ''}${zone}`);

const timedDay = day.chain((date) => fc.record({ on: fc.constant(date), at: fc.option(timeOn(date), { freq: 2 }) }));

export interface EnglishEvidence {
  readonly referral?: { on: string; at: string | null; priority: (typeof referralPriorities)[number] | null };
  readonly dischargeOnly?: { on: string; at: string | null };
}

export const englishEvidence: fc.Arbitrary<EnglishEvidence> = fc.record(
  {
    referral: fc
      .record({
        on: day,
        at: fc.constant(null as string | null),
        priority: fc.option(fc.constantFrom(...referralPriorities)),
      })
      .chain((r) => fc.option(timeOn(r.on), { freq: 2 }).map((at) => ({ ...r, at }))),
    dischargeOnly: timedDay,
  },
  { requiredKeys: [] },
);

/** Adds the evidence to the record's first episode, when it has one. */
export function addEnglishEvidence(record: Record<string, unknown>, e: EnglishEvidence): void {
  const episode = (record.episodes as Episode[] | undefined)?.[0];
  if (episode === undefined) return;
  if (e.referral) {
    episode.referral = {
      receivedOn: e.referral.on,
      ...(e.referral.at !== null ? { receivedAt: e.referral.at } : {}),
      ...(e.referral.priority !== null ? { priority: e.referral.priority } : {}),
    };
  }
  if (e.dischargeOnly) {
    const stay = { id: 'eng-discharge-only', dischargedOn: e.dischargeOnly.on, ...(e.dischargeOnly.at !== null ? { dischargedAt: e.dischargeOnly.at } : {}) };
    episode.inpatientStays = [...(episode.inpatientStays ?? []), stay];
  }
}
