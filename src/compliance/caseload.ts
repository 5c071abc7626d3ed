/**
 * Caseload limits (English trust policies): how many people each coordinator holds on the
 * evaluation date, counted across every record checked together. A coordinator is known by their
 * professional registration where the records give one, so the same person is counted once across
 * records from different systems. Findings name the coordinator's key, never a patient.
 */
import { personKey } from '../record/person-key.js';
import type { CtpRecord } from '../record/record.schema.js';
import type { IsoDate } from '../time/dates.js';
import { appointmentCovers } from '../timeline/timeline.js';
import type { RulePack } from './compile-pack.js';
import { type Finding, makeFinding } from './finding.js';

/** Where a caseload finding points: the coordinator, never a patient. */
export const caseloadLocation = (key: string): string => `coordinator ${key}`;

/** The keys of the usual (not temporary) coordinators acting for a person on a day, with their appointments. */
export function actingCoordinators(record: CtpRecord, asOf: IsoDate) {
  return (record.coordinatorAppointments ?? [])
    .filter((a) => !a.temporary && appointmentCovers(a, asOf))
    .map((appointment) => {
      const practitioner = record.practitioners?.find((p) => p.id === appointment.practitioner);
      const key = practitioner?.registration ? `${practitioner.registration.body}:${practitioner.registration.number}` : `${record.source.system}:${appointment.practitioner}`;
      return { key, appointment };
    });
}

interface Limit {
  readonly value: number;
  readonly text: string;
}

type ProRata = NonNullable<RulePack['caseload']>['proRata'];
type Practitioner = NonNullable<CtpRecord['practitioners']>[number];

const figure = (n: number): string => String(Number(n.toFixed(1)));

/**
 * A coordinator's limit: the whole-time limit, pro rata to their whole-time equivalent less the
 * share of a working week they spend on the AMHP rota, where the pack says so (LPT SOP §5.2,
 * ELFT §21). Where the whole-time equivalent is not recorded the whole-time limit applies.
 */
export function limitFor(max: number, proRata: ProRata, practitioner: Practitioner | undefined): Limit {
  if (proRata === undefined) return { value: max, text: String(max) };
  const wte = practitioner?.wholeTimeEquivalent;
  const rota = proRata.amhpRotaDays ? (practitioner?.amhpRotaDays ?? 0) : 0;
  const share = Math.max(0, (wte ?? 1) - rota / proRata.workingDaysPerWeek);
  if (wte === undefined && rota === 0) return { value: max, text: String(max) };
  const parts = [wte === undefined ? 'whole time (not recorded)' : `${figure(wte)} whole-time equivalent`, ...(rota > 0 ? [`${figure(rota)} AMHP rota days a week`] : [])];
  // Rounded to a thousandth, so that 30 × (0.6 − 1/5) is 12 and not a hair under it.
  const value = Math.round(max * share * 1000) / 1000;
  return { value, text: `${figure(value)} (${max} for a whole-time coordinator, pro rata for ${parts.join(' less ')})` };
}

export function evaluateCaseloads(records: readonly CtpRecord[], pack: RulePack, asOf: IsoDate): Finding[] {
  const counter = caseloadCounter(pack, asOf);
  for (const record of records) counter.add(record);
  return counter.findings();
}

/**
 * Counts caseloads one record at a time, for runs too large to keep every record: it keeps, per
 * coordinator, the person keys they hold and their limit, nothing else of a record.
 */
export function caseloadCounter(pack: RulePack, asOf: IsoDate): { add(record: CtpRecord): void; findings(): Finding[] } {
  const rule = pack.caseload;
  const caseloads = new Map<string, { people: Set<string>; limit: Limit }>();
  return {
    add(record) {
      if (!rule) return;
      const person = personKey(record);
      for (const { key, appointment } of actingCoordinators(record, asOf)) {
        const episode = record.episodes?.find((e) => e.id === appointment.episode) ?? record.episodes?.[0];
        const teamType = episode ? pack.teamTypeOf(episode) : undefined;
        const max = (teamType !== undefined ? rule.byTeamType?.[teamType]?.max : undefined) ?? rule.max;
        const limit = limitFor(
          max,
          rule.proRata,
          record.practitioners?.find((p) => p.id === appointment.practitioner),
        );
        const entry = caseloads.get(key) ?? { people: new Set<string>(), limit };
        entry.people.add(person);
        if (limit.value < entry.limit.value) entry.limit = limit;
        caseloads.set(key, entry);
      }
    },
    findings() {
      if (!rule) return [];
      return [...caseloads.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, { people, limit }]) => {
          const result = people.size > limit.value ? ('fail' as const) : ('pass' as const);
          const message = result === 'fail' ? `Holds ${people.size} people; the limit is ${limit.text}.` : `Holds ${people.size} people, within the limit of ${limit.text}.`;
          return makeFinding(rule, pack.id, result, message, caseloadLocation(key));
        });
    },
  };
}
