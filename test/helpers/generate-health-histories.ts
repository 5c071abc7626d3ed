/**
 * Physical health, medication and outcome measure evidence added to the synthetic English
 * histories, for the compliance benchmark and the one-finding-per-location test: antipsychotics
 * (some depots, some high-dose) with prescriber reviews and injections, baseline, follow-up and
 * yearly checks (some declined, some abnormal with the GP told), depot and physical health clinic
 * appointments (some missed), DIALOG at the start, yearly and at discharge, HoNOS after reviews,
 * and a support worker joining the care team.
 * Deterministic, from its own seeded stream, so the rest of each history is unchanged.
 */
import type { CtpRecord } from '../../src/record/record.schema.js';
import { addDays, addMonths, type IsoDate } from '../../src/time/dates.js';
import { seededRandom } from './generate-histories.js';

type Medication = NonNullable<CtpRecord['medications']>[number];
type Check = NonNullable<CtpRecord['physicalHealthChecks']>[number];
type Measure = NonNullable<CtpRecord['outcomeMeasures']>[number];
type Encounter = NonNullable<CtpRecord['encounters']>[number];

const BASELINE = ['weight', 'bmi', 'blood-pressure', 'glucose', 'lipids', 'prolactin', 'ecg'] as const;
const FOLLOW_UP = ['bmi', 'blood-pressure', 'waist-circumference', 'glucose', 'lipids'] as const;

export function withHealthEvidence(records: readonly CtpRecord[], seed = 20260707): CtpRecord[] {
  const random = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const chance = (p: number) => random() < p;
  return records.map((base) => {
    const r = structuredClone(base);
    const to = r.source.extractedAt.slice(0, 10);
    const medications: Medication[] = [];
    const checks: Check[] = [];
    const measures: Measure[] = [];
    const encounters: Encounter[] = [];
    const check = (kind: Check['kind'], on: IsoDate, episode: string) => {
      if (on > to) return;
      const declined = chance(0.05);
      const abnormal = !declined && chance(0.1);
      checks.push({
        id: `ph${checks.length}`,
        kind,
        date: on,
        episode,
        ...(declined ? { declined: true as const } : {}),
        ...(abnormal ? { abnormal: true, ...(chance(0.8) ? { gpInformedOn: addDays(on, int(1, 20)) } : {}) } : {}),
      });
    };
    for (const episode of r.episodes ?? []) {
      const accepted = episode.acceptedOn!;
      const ends = episode.discharge?.date ?? to;
      if (chance(0.7)) measures.push({ id: `om${measures.length}`, tool: 'dialog', date: addDays(accepted, int(0, 40)), episode: episode.id });
      for (let on = addMonths(accepted, int(6, 13)); on <= ends; on = addMonths(on, int(6, 13)))
        measures.push({ id: `om${measures.length}`, tool: 'dialog-plus', date: on, episode: episode.id });
      if (episode.discharge && chance(0.6))
        measures.push({ id: `om${measures.length}`, tool: 'dialog', date: addDays(episode.discharge.date, -int(0, 40)), episode: episode.id });
      if (!chance(0.4)) continue;
      const start = addDays(accepted, int(0, 60));
      if (start > ends) continue;
      const depot = chance(0.4);
      const stopped = chance(0.3) ? addDays(start, int(60, 900)) : undefined;
      const until = stopped !== undefined && stopped < ends ? stopped : ends;
      const reviews: NonNullable<Medication['reviews']> = [];
      for (let on = addMonths(start, int(10, 13)); on <= until; on = addMonths(on, int(10, 13)))
        reviews.push({ on, by: 'cc3', ...(chance(0.7) ? { nextReviewOn: addMonths(on, 12) } : {}) });
      const administrations: NonNullable<Medication['administrations']> = [];
      if (depot) {
        for (let on = start, n = 0; on <= until; on = addDays(on, 28), n++) {
          const missed = chance(0.05);
          encounters.push({
            id: `${episode.id}-depot${n}`,
            kind: 'contact',
            clinic: 'depot',
            status: missed ? 'did-not-attend' : 'finished',
            start: `${on}T10:00:00Z`,
            episode: episode.id,
          });
          if (!missed) administrations.push({ at: `${on}T10:00:00Z`, by: 'cc1' });
        }
      }
      medications.push({
        id: `med${medications.length}`,
        name: depot ? 'Testipiprazole depot' : 'Testapine',
        class: 'antipsychotic',
        ...(depot ? { depot: true } : {}),
        ...(chance(0.1) ? { highDose: true } : {}),
        start,
        ...(stopped !== undefined && stopped <= to ? { end: stopped } : {}),
        episode: episode.id,
        prescriber: 'cc3',
        ...(reviews.length > 0 ? { reviews } : {}),
        ...(administrations.length > 0 ? { administrations } : {}),
      });
      const clinicDay = addDays(start, int(-10, 20));
      for (const kind of BASELINE) if (chance(0.9)) check(kind, clinicDay, episode.id);
      encounters.push({
        id: `${episode.id}-phc`,
        kind: 'contact',
        clinic: 'physical-health',
        status: chance(0.1) ? 'did-not-attend' : 'finished',
        start: `${clinicDay}T09:30:00Z`,
        episode: episode.id,
        ...(chance(0.5) ? { referrerInformedOn: addDays(clinicDay, int(0, 8)) } : {}),
      });
      const followUp = addMonths(start, 3);
      for (const kind of FOLLOW_UP) if (chance(0.8)) check(kind, addDays(followUp, int(-20, 40)), episode.id);
      for (let on = addMonths(start, int(10, 13)); on <= until; on = addMonths(on, int(10, 13))) for (const kind of FOLLOW_UP) check(kind, on, episode.id);
    }
    const first = r.episodes?.[0];
    if (first?.acceptedOn !== undefined && chance(0.3)) {
      const starts = addDays(first.acceptedOn, int(10, 200));
      if (starts <= to) r.careTeam = [...(r.careTeam ?? []), { id: 'ct-sw', role: 'support-worker', member: { kind: 'practitioner', id: 'cc1' }, start: starts }];
    }
    for (const review of r.reviews ?? []) {
      if (review.heldOn !== undefined && chance(0.7)) measures.push({ id: `om${measures.length}`, tool: 'honos', date: addDays(review.heldOn, int(0, 10)) });
    }
    const dated = (m: { date: string }) => m.date <= to;
    if (medications.length > 0) r.medications = medications;
    if (checks.length > 0) r.physicalHealthChecks = checks;
    if (measures.filter(dated).length > 0) r.outcomeMeasures = measures.filter(dated);
    const booked = encounters.filter((e) => e.start!.slice(0, 10) <= to);
    if (booked.length > 0) r.encounters = [...(r.encounters ?? []), ...booked];
    return r;
  });
}
