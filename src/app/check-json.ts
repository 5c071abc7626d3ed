/** The JSON form of a check run, the same for every front end (`pont check --format json`, the HTTP API). */
import type { Bundle, OperationOutcome } from '@medplum/fhirtypes';
import { actingCoordinators, caseloadLocation } from '../compliance/caseload.js';
import type { Finding } from '../compliance/finding.js';
import { countFindings, type FindingCounts } from '../compliance/outcome.js';
import { operationOutcome } from '../fhir/outcome.js';
import type { QualitySummary } from '../quality/quality-run.js';
import type { PlanPlace } from '../quality/shared-text.js';
import type { IsoDate } from '../time/dates.js';
import { type CheckResult, type CheckRun, nameOf } from './check.js';

export interface CheckResultJson {
  readonly file: string;
  /** 1-based position of the record in its input. */
  readonly record: number;
  readonly bundle: Bundle | null;
  readonly outcome: OperationOutcome;
  readonly compliance: ComplianceJson | null;
  /** Only when the quality signals were asked for: this record's signals, and the run's shared-text findings about its plans. */
  readonly quality?: QualityJson;
}

export interface QualityJson {
  readonly pack: string;
  readonly packVersion: string;
  readonly counts: FindingCounts;
  readonly findings: readonly Finding[];
  readonly sharedText?: readonly Finding[];
}

export interface ComplianceJson {
  readonly pack: string;
  readonly packVersion: string;
  readonly localStandards?: string;
  readonly asOf: IsoDate;
  readonly counts: FindingCounts;
  readonly findings: readonly Finding[];
  /** Present when the run counted caseloads: the caseload findings of the coordinators acting for this person. */
  readonly caseloads?: readonly Finding[];
}

export function checkRunJson(run: CheckRun): CheckResultJson[] {
  const caseloadsFor = (r: CheckResult): Finding[] => {
    if (!r.record || !r.evaluation) return [];
    const locations = new Set(actingCoordinators(r.record, r.evaluation.asOf).map((c) => caseloadLocation(c.key)));
    return run.caseloads.filter((f) => f.pack === r.evaluation!.pack.id && f.location !== undefined && locations.has(f.location));
  };
  const sharedTextFor = (r: CheckResult): Finding[] => {
    const name = nameOf(r);
    return (run.quality?.sharedText.findings ?? []).filter((f) => f.place.record === name).map(({ place: _place, ...finding }) => finding);
  };
  return run.results.map((r) => checkResultJson(r, run.caseloads.length > 0 ? caseloadsFor(r) : undefined, run.quality ? sharedTextFor(r) : undefined));
}

/**
 * One record's result in the JSON form; `caseloads` (the findings of its coordinators' caseloads)
 * only when the run counted them and they are known, which in a streamed run (`--format ndjson`)
 * is only at its end.
 */
export function checkResultJson(r: CheckResult, caseloads?: readonly Finding[], sharedText?: readonly Finding[]): CheckResultJson {
  return {
    file: r.origin,
    record: r.index + 1,
    bundle: r.bundle ?? null,
    outcome: operationOutcome(r.issues),
    compliance: r.evaluation
      ? {
          pack: r.evaluation.pack.id,
          packVersion: r.evaluation.pack.version,
          ...(r.evaluation.pack.localStandards ? { localStandards: r.evaluation.pack.localStandards } : {}),
          asOf: r.evaluation.asOf,
          counts: countFindings(r.evaluation.findings),
          findings: r.evaluation.findings,
          ...(caseloads !== undefined ? { caseloads } : {}),
        }
      : null,
    ...(r.quality
      ? {
          quality: {
            pack: r.quality.pack.id,
            packVersion: r.quality.pack.version,
            counts: countFindings(r.quality.findings),
            findings: r.quality.findings,
            ...(sharedText !== undefined ? { sharedText } : {}),
          },
        }
      : {}),
  };
}

/** Where a plan stands, as the JSON output names it: the run's name for its record, its place there, its team and board (never the person). */
const placeJson = (p: PlanPlace) => ({
  record: p.record,
  plan: p.plan,
  ...(p.team !== undefined ? { team: p.team } : {}),
  ...(p.board !== undefined ? { board: p.board } : {}),
});

/**
 * Per team and per health board, how many plans share text with another person's and how many
 * were carried over from a legacy template, and in how many groups: the shared-text summary a
 * manager reads first. Plans with no team or board recorded are counted under "unknown".
 */
function sharedTextByPlace(summary: QualitySummary) {
  const rows = new Map<string, { level: 'team' | 'health-board'; place: string; sharedPlans: number; groups: Set<number>; legacyTemplatePlans: number }>();
  const row = (level: 'team' | 'health-board', place: string | undefined) => {
    const key = `${level}|${place ?? 'unknown'}`;
    let r = rows.get(key);
    if (r === undefined) rows.set(key, (r = { level, place: place ?? 'unknown', sharedPlans: 0, groups: new Set(), legacyTemplatePlans: 0 }));
    return r;
  };
  summary.sharedText.groups.forEach((group, g) => {
    for (const p of group) {
      for (const r of [row('team', p.team), row('health-board', p.board)]) {
        r.sharedPlans++;
        r.groups.add(g);
      }
    }
  });
  for (const f of summary.sharedText.findings) {
    if (f.check !== 'carried-over-from-legacy-template') continue;
    row('team', f.place.team).legacyTemplatePlans++;
    row('health-board', f.place.board).legacyTemplatePlans++;
  }
  return [...rows.values()]
    .sort((a, b) => (a.level === b.level ? a.place.localeCompare(b.place) : a.level === 'team' ? -1 : 1))
    .map(({ groups, ...r }) => ({ ...r, groups: groups.size }));
}

/** The run-wide quality results: groups of plans sharing text (by the run's names for them), the same per team and health board, and the signals per team and health board. */
export function qualitySummaryJson(summary: QualitySummary) {
  return {
    sharedText: summary.sharedText.groups.map((g) => g.map(placeJson)),
    legacyTemplate: summary.sharedText.findings.filter((f) => f.check === 'carried-over-from-legacy-template').map((f) => ({ ...placeJson(f.place), message: f.message })),
    sharedTextByPlace: sharedTextByPlace(summary),
    counts: summary.counts.map((c) => ({ level: c.level, place: c.place, people: c.people, signals: Object.fromEntries(c.signals) })),
  };
}
