/**
 * fast-check arbitraries of the English kinds of plan, discharge, ward and transfer evidence,
 * joined to the English evidence (english-arbitraries.ts) so that the round-trip properties cover
 * it: plans of a named kind (with their sections, who was given them and their reviews), the
 * parts of a risk formulation and a contact's audit times.
 */
import fc from 'fast-check';
import { meetingRoles, planKinds, planSections, riskFormulationParts } from '../../src/record/vocabulary.js';
import { addDays } from '../../src/time/dates.js';

const day = fc.integer({ min: 0, max: 6000 }).map((days) => addDays('2010-01-01', days));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const nonEmpty = <T>(a: fc.Arbitrary<T>, max = 3) => fc.array(a, { minLength: 1, maxLength: max });
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const otherPlan = fc.record({
  kind: fc.constantFrom(...planKinds),
  episode: fc.boolean(),
  madeOn: maybe(day),
  author: fc.boolean(),
  contents: maybe(fc.uniqueArray(fc.constantFrom(...planSections), { minLength: 1, maxLength: 4 })),
  givenTo: maybe(nonEmpty(fc.record({ role: fc.constantFrom(...meetingRoles), on: day }))),
  reviewedOn: maybe(nonEmpty(day)),
});

export interface PlansEvidence {
  readonly otherPlans?: (typeof otherPlan extends fc.Arbitrary<infer P> ? P : never)[] | undefined;
  readonly formulation?: (typeof riskFormulationParts)[number][] | undefined;
  readonly auditTimes?: { noteRecordedAt?: string | undefined; outcomedAt?: string | undefined } | undefined;
}

/** The evidence, with date-times from the English evidence's own arbitrary (a date, or a time on it in one of several zones). */
export const plansEvidence = (dateOrTime: fc.Arbitrary<string>): fc.Arbitrary<PlansEvidence> =>
  fc.record(
    {
      otherPlans: nonEmpty(otherPlan),
      formulation: fc.uniqueArray(fc.constantFrom(...riskFormulationParts), { minLength: 1, maxLength: 6 }),
      auditTimes: fc
        .record({ noteRecordedAt: maybe(dateOrTime), outcomedAt: maybe(dateOrTime) })
        .map(defined)
        .filter((a) => Object.keys(a).length > 0),
    },
    { requiredKeys: [] },
  );

type Mutable = Record<string, unknown>;

/** Adds the evidence to the record: plans of its first episode and by its first practitioner, a formulation on its first risk assessment, audit times on its first contact. */
export function addPlansEvidence(record: Mutable, e: PlansEvidence): void {
  const first = (list: string) => (record[list] as Mutable[] | undefined)?.[0];
  const episodeId = first('episodes')?.id as string | undefined;
  const practitionerId = first('practitioners')?.id as string | undefined;
  if (e.otherPlans) {
    record.otherPlans = e.otherPlans.map((p, i) =>
      defined({ ...p, id: `eng-plan-${i}`, episode: p.episode ? episodeId : undefined, author: p.author ? practitionerId : undefined }),
    );
  }
  const risk = first('riskAssessments');
  if (e.formulation && risk) risk.formulation = e.formulation;
  const encounter = first('encounters');
  if (e.auditTimes && encounter) encounter.auditTimes = e.auditTimes;
}
