/**
 * The compliance engine: runs every rule of a pack over one person's whole record at an explicit
 * evaluation date. Same record, pack and date give the same findings, in the same order.
 */

import { ConfigError, EngineError, UnknownPackError } from '../errors/errors.js';
import { ExpressionFault } from '../fhirpath/types.js';
import type { CtpRecord } from '../record/record.schema.js';
import type { IsoDate } from '../time/dates.js';
import { createWorkingDayCalendar, type HolidayRegion, type WorkingDayCalendar } from '../time/working-days.js';
import { locateInWhole, withinMeasure } from '../timeline/measure-scope.js';
import type { CompiledRule, RulePack } from './compile-pack.js';
import { applyDepartures } from './departures.js';
import { buildFacts, type RecordFacts } from './facts.js';
import { type Finding, makeFinding, type RuleResult } from './finding.js';
import type { About, Emit } from './template.js';

export interface Evaluation {
  readonly pack: RulePack;
  readonly asOf: IsoDate;
  readonly findings: readonly Finding[];
}

export interface ComplianceEngine {
  readonly packs: readonly RulePack[];
  pack(id: string): RulePack;
  /** The pack a record's organisation or source system selects, else the default pack. */
  selectPack(record: CtpRecord): RulePack;
  evaluate(record: CtpRecord, options: { asOf: IsoDate; pack?: string }): Evaluation;
}

export function createComplianceEngine(packs: readonly RulePack[]): ComplianceEngine {
  const byId = new Map(packs.map((p) => [p.id, p] as const));
  const defaultPack = packs.find((p) => p.selectedBy?.default) ?? packs[0];
  if (!defaultPack) throw new ConfigError('no rule packs are loaded');
  const calendars = new Map<HolidayRegion, WorkingDayCalendar>();
  const calendarFor = (region: HolidayRegion) => {
    let calendar = calendars.get(region);
    if (!calendar) calendars.set(region, (calendar = createWorkingDayCalendar(region)));
    return calendar;
  };

  const pack = (id: string) => {
    const found = byId.get(id);
    if (!found) throw new UnknownPackError(id, [...byId.keys()]);
    return found;
  };

  const selectPack = (record: CtpRecord) => {
    const odsCodes = new Set((record.organisations ?? []).flatMap((o) => (o.odsCode ? [o.odsCode] : [])));
    const managing = new Set((record.episodes ?? []).flatMap((e) => e.responsibleBodies?.slice(0, 1) ?? []));
    const managingOds = new Set((record.organisations ?? []).filter((o) => managing.has(o.id) && o.odsCode).map((o) => o.odsCode!));
    return (
      packs.find((p) => p.selectedBy?.organisations?.some((code) => managingOds.has(code))) ??
      packs.find((p) => p.selectedBy?.organisations?.some((code) => odsCodes.has(code))) ??
      packs.find((p) => p.selectedBy?.sources?.includes(record.source.system)) ??
      defaultPack
    );
  };

  return {
    packs,
    pack,
    selectPack,
    evaluate(record, options) {
      const chosen = options.pack !== undefined ? pack(options.pack) : selectPack(record);
      // The rules judge the record as the Measure sees it (Care and Treatment Plans only); findings name the whole record's elements.
      const scoped = withinMeasure(record);
      const facts = buildFacts(scoped, options.asOf, calendarFor(chosen.workingDays), chosen.rules, record);
      const collector = new FindingCollector(chosen.id);
      for (const rule of chosen.rules) collector.run(rule, facts);
      const locate = locateInWhole(record, scoped);
      const findings = scoped === record ? collector.findings : collector.findings.map((f) => inWhole(f, locate));
      return { pack: chosen, asOf: options.asOf, findings: applyDepartures(findings, record) };
    },
  };
}

/**
 * Collects the findings of one evaluation; one object per record rather than closures per rule.
 * A rule that throws is a fault in pont, never a finding: its partial findings are dropped with
 * the whole evaluation, and the error names the rule and check (never the record's data).
 */
class FindingCollector implements Emit {
  readonly findings: Finding[] = [];
  private rule: CompiledRule | undefined;

  constructor(private readonly pack: string) {}

  run(rule: CompiledRule, facts: RecordFacts): void {
    this.rule = rule;
    const before = this.findings.length;
    try {
      rule.run(facts, this);
    } catch (err) {
      // The cause's own message may quote the record, so only its kind (or the failing expression) is named.
      const why = err instanceof ExpressionFault ? err.message : `${err instanceof Error ? err.name : typeof err} thrown`;
      throw new EngineError('RULE_FAILED', 'compliance', `rule ${rule.id}/${rule.check} (${rule.kind}) of pack ${this.pack} failed: ${why}`, { cause: err });
    }
    if (this.findings.length === before) this.add('not-applicable', 'Nothing in the record that this rule applies to.');
  }

  pass(message: string, location?: string, options?: About): void {
    this.add('pass', message, location, subjectOf(options));
  }

  fail(message: string, location?: string, options?: { due?: string } & About): void {
    const due = options?.due;
    // Most failures have a due date and no subject: the extra fields then take one object, not three.
    this.add('fail', message, location, options?.subject === undefined ? (due ? { due } : undefined) : { ...(due ? { due } : {}), subject: options.subject });
  }

  cannotEvaluate(missing: readonly string[], message: string, location?: string, options?: About): void {
    this.add('cannot-evaluate', message, location, options?.subject === undefined ? { missing } : { missing, subject: options.subject });
  }

  notApplicable(message: string, location?: string, options?: About): void {
    this.add('not-applicable', message, location, subjectOf(options));
  }

  private add(result: RuleResult, message: string, location?: string, extra?: Pick<Finding, 'missing' | 'due' | 'subject'>): void {
    this.findings.push(makeFinding(this.rule!, this.pack, result, message, location, extra));
  }
}

/** A finding of the scoped record with its paths, and the paths its message names, as they are in the whole record. */
function inWhole(f: Finding, locate: (path: string) => string): Finding {
  return {
    ...f,
    message: f.message.replace(/\b(plans|reviews)\[\d+\]/g, locate),
    ...(f.location !== undefined ? { location: locate(f.location) } : {}),
    ...(f.subject !== undefined ? { subject: locate(f.subject) } : {}),
  };
}

function subjectOf(options: About | undefined): Pick<Finding, 'subject'> | undefined {
  return options?.subject === undefined ? undefined : { subject: options.subject };
}
