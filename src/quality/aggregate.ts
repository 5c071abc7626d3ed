/**
 * Quality signals counted per team and per health board over one run, so that a manager can see
 * where to look first (practice evidence §3.5): for each place, the people checked and, per
 * signal, how many of them it fired for. Counts only: no person is named.
 */
import type { Finding } from '../compliance/finding.js';

export const aggregateLevels = ['team', 'health-board'] as const;
export type AggregateLevel = (typeof aggregateLevels)[number];
export const UNRECORDED = '(not recorded)';

export interface SignalCount {
  readonly level: AggregateLevel;
  /** The team's name or the health board's name (or ODS code) as the records give it. */
  readonly place: string;
  /** People checked in this place. */
  readonly people: number;
  /** Per signal (`id/check`), the people it fired for. */
  readonly signals: ReadonlyMap<string, number>;
}

export const signalKey = (f: Pick<Finding, 'ruleId' | 'check'>) => `${f.ruleId}/${f.check}`;

export function signalAggregator() {
  const byPlace = new Map<string, { level: AggregateLevel; place: string; people: Set<string>; signals: Map<string, Set<string>> }>();
  const entry = (level: AggregateLevel, place: string | undefined) => {
    const name = place ?? UNRECORDED;
    const key = `${level}\u0000${name}`;
    let e = byPlace.get(key);
    if (!e) byPlace.set(key, (e = { level, place: name, people: new Set(), signals: new Map() }));
    return e;
  };
  const placesOf = (setting: { team?: string; board?: string }) => [entry('team', setting.team), entry('health-board', setting.board)];
  return {
    /** One person's signals: the failures among their quality findings. */
    add(person: string, setting: { team?: string; board?: string }, findings: readonly Finding[]): void {
      const fired = new Set(findings.filter((f) => f.result === 'fail').map(signalKey));
      for (const e of placesOf(setting)) {
        e.people.add(person);
        for (const key of fired) addTo(e.signals, key, person);
      }
    },
    /** A cross-record signal for a person already added. */
    addShared(person: string, setting: { team?: string; board?: string }, finding: Finding): void {
      for (const e of placesOf(setting)) addTo(e.signals, signalKey(finding), person);
    },
    counts(): SignalCount[] {
      return [...byPlace.values()]
        .map((e) => ({
          level: e.level,
          place: e.place,
          people: e.people.size,
          signals: new Map([...e.signals].map(([k, v]) => [k, v.size] as const).sort(([a], [b]) => (a < b ? -1 : 1))),
        }))
        .sort((a, b) => aggregateLevels.indexOf(a.level) - aggregateLevels.indexOf(b.level) || a.place.localeCompare(b.place));
    },
  };
}

function addTo(signals: Map<string, Set<string>>, key: string, person: string): void {
  let people = signals.get(key);
  if (!people) signals.set(key, (people = new Set()));
  people.add(person);
}
