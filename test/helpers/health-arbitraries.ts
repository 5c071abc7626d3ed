/**
 * fast-check arbitraries of the physical health, medication and outcome measure evidence of the
 * English trust policies, added to a generated canonical record so that the round-trip properties
 * cover it: medicines (coded or named, kinds, depots, prescriber reviews and administrations),
 * physical health checks (made or declined, with values, findings and the GP told), outcome
 * measures (with DIALOG domains), and a contact's clinic and the referrer told of a missed one.
 */
import fc from 'fast-check';
import { clinicKinds, dialogDomains, medicationClasses, outcomeMeasureTools, physicalHealthChecks } from '../../src/record/vocabulary.js';
import { addDays } from '../../src/time/dates.js';
import { timeOn } from './english-arbitraries.js';

const day = fc.integer({ min: 0, max: 6000 }).map((days) => addDays('2010-01-01', days));
const dateOrTime = day.chain((date) => fc.oneof(fc.constant(date), timeOn(date)));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const nonEmpty = <T>(a: fc.Arbitrary<T>, max = 3) => fc.array(a, { minLength: 1, maxLength: max });
/** An object without the keys whose value is undefined (the record has no nulls). */
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
const name = fc.stringMatching(/^[A-Z][a-z]{3,12}( [0-9]{1,3} ?mg)?$/);
/** A finite number as JSON and FHIR's decimal carry it (no -0, no exponent). */
const measure = fc.oneof(
  fc.integer({ min: 0, max: 400 }),
  fc.integer({ min: 1, max: 9999 }).map((n) => n / 100),
);

const medication = day.chain((start) =>
  fc.record({
    named: fc.constantFrom('name', 'code', 'both', 'neither'),
    name,
    class: maybe(fc.constantFrom(...medicationClasses)),
    highDose: maybe(fc.boolean()),
    depot: maybe(fc.boolean()),
    start: maybe(fc.constant(start)),
    end: maybe(fc.integer({ min: 0, max: 900 }).map((n) => addDays(start, n))),
    episode: fc.boolean(),
    prescriber: fc.boolean(),
    reviews: maybe(nonEmpty(fc.record({ on: day, by: fc.boolean(), nextReviewOn: maybe(day) }))),
    administrations: maybe(nonEmpty(fc.record({ at: dateOrTime, by: fc.boolean() }))),
  }),
);
const check = fc.record({
  kind: fc.constantFrom(...physicalHealthChecks),
  date: dateOrTime,
  declined: fc.boolean(),
  value: maybe(measure),
  unit: maybe(fc.constantFrom('kg', 'mmol/L', 'mmHg', 'cm', 'units/week')),
  abnormal: maybe(fc.boolean()),
  gpInformedOn: maybe(day),
  by: fc.boolean(),
  episode: fc.boolean(),
});
const outcome = fc.record({
  tool: fc.constantFrom(...outcomeMeasureTools),
  date: dateOrTime,
  score: maybe(measure),
  domains: maybe(fc.uniqueArray(fc.constantFrom(...dialogDomains), { minLength: 1, maxLength: 11 })),
  rated: fc.boolean(),
  by: fc.boolean(),
  episode: fc.boolean(),
});

export interface HealthEvidence {
  readonly medications?: (typeof medication extends fc.Arbitrary<infer M> ? M : never)[];
  readonly checks?: (typeof check extends fc.Arbitrary<infer C> ? C : never)[];
  readonly outcomes?: (typeof outcome extends fc.Arbitrary<infer O> ? O : never)[];
  readonly clinic?: { kind?: (typeof clinicKinds)[number] | undefined; referrerInformedOn?: string | undefined };
}

export const healthEvidence: fc.Arbitrary<HealthEvidence> = fc.record(
  {
    medications: nonEmpty(medication),
    checks: nonEmpty(check),
    outcomes: nonEmpty(outcome),
    clinic: fc.record({ kind: maybe(fc.constantFrom(...clinicKinds)), referrerInformedOn: maybe(day) }),
  },
  { requiredKeys: [] },
);

type Mutable = Record<string, unknown>;

/** Adds the evidence to the record: linked to its first episode and practitioner, the clinic to its first contact, where it has them. */
export function addHealthEvidence(record: Mutable, e: HealthEvidence): void {
  const first = (list: string) => (record[list] as Mutable[] | undefined)?.[0];
  const practitioner = first('practitioners')?.id as string | undefined;
  const episode = first('episodes')?.id as string | undefined;
  const who = (yes: boolean) => (yes ? practitioner : undefined);
  if (e.medications) {
    record.medications = e.medications.map((m, i) =>
      defined({
        id: `health-med-${i}`,
        name: m.named === 'name' || m.named === 'both' ? m.name : undefined,
        code: m.named === 'code' || m.named === 'both' ? [{ system: 'https://dmd.nhs.uk', code: String(100000 + i), display: m.name }] : undefined,
        class: m.class,
        highDose: m.highDose,
        depot: m.depot,
        start: m.start,
        end: m.end,
        episode: m.episode ? episode : undefined,
        prescriber: who(m.prescriber),
        reviews: m.reviews?.map((r) => defined({ on: r.on, by: who(r.by), nextReviewOn: r.nextReviewOn })),
        administrations: m.administrations?.map((a) => defined({ at: a.at, by: who(a.by) })),
      }),
    );
  }
  if (e.checks) {
    record.physicalHealthChecks = e.checks.map((c, i) =>
      defined({
        id: `health-check-${i}`,
        kind: c.kind,
        date: c.date,
        declined: c.declined ? (true as const) : undefined,
        value: c.declined ? undefined : c.value,
        unit: c.declined ? undefined : c.unit,
        abnormal: c.abnormal,
        gpInformedOn: c.gpInformedOn,
        by: who(c.by),
        episode: c.episode ? episode : undefined,
      }),
    );
  }
  if (e.outcomes) {
    record.outcomeMeasures = e.outcomes.map((o, i) =>
      defined({
        id: `health-outcome-${i}`,
        tool: o.tool,
        date: o.date,
        score: o.score,
        domains: o.domains?.map((domain, j) => defined({ domain, score: o.rated ? 1 + ((i + j) % 7) : undefined })),
        by: who(o.by),
        episode: o.episode ? episode : undefined,
      }),
    );
  }
  const encounter = first('encounters');
  if (e.clinic && encounter) Object.assign(encounter, defined({ clinic: e.clinic.kind, referrerInformedOn: e.clinic.referrerInformedOn }));
}
