/**
 * The compliance engine: runs every rule of a pack over one person's whole record at an explicit
 * evaluation date. Same record, pack and date give the same findings, in the same order.
 */
import type { CtpRecord } from '../record/record.schema.js';
import { UsageError } from '../errors/errors.js';
import type { IsoDate } from '../time/dates.js';
import { createWorkingDayCalendar, type HolidayRegion, type WorkingDayCalendar } from '../time/working-days.js';
import type { CompiledRule, RulePack } from './compile-pack.js';
import { applyDepartures } from './departures.js';
import { buildFacts, type RecordFacts } from './facts.js';
import { makeFinding, type Finding, type RuleResult } from './finding.js';
import type { Emit } from './template.js';

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
  if (!defaultPack) throw new UsageError('no rule packs are loaded');
  const calendars = new Map<HolidayRegion, WorkingDayCalendar>();
  const calendarFor = (region: HolidayRegion) => {
    let calendar = calendars.get(region);
    if (!calendar) calendars.set(region, (calendar = createWorkingDayCalendar(region)));
    return calendar;
  };

  const pack = (id: string) => {
    const found = byId.get(id);
    if (!found) throw new UsageError(`unknown rule pack "${id}"; known packs: ${[...byId.keys()].join(', ')}`);
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
      const facts = buildFacts(record, options.asOf, calendarFor(chosen.workingDays), chosen.rules);
      const collector = new FindingCollector(chosen.id);
      for (const rule of chosen.rules) collector.run(rule, facts);
      return { pack: chosen, asOf: options.asOf, findings: applyDepartures(collector.findings, record) };
    },
  };
}

/** Collects the findings of one evaluation; one object per record rather than closures per rule. */
class FindingCollector implements Emit {
  readonly findings: Finding[] = [];
  private rule: CompiledRule | undefined;

  constructor(private readonly pack: string) {}

  run(rule: CompiledRule, facts: RecordFacts): void {
    this.rule = rule;
    const before = this.findings.length;
    rule.run(facts, this);
    if (this.findings.length === before) this.add('not-applicable', 'Nothing in the record that this rule applies to.');
  }

  pass(message: string, location?: string): void {
    this.add('pass', message, location);
  }

  fail(message: string, location?: string, options?: { due?: string }): void {
    this.add('fail', message, location, options?.due ? { due: options.due } : undefined);
  }

  cannotEvaluate(missing: readonly string[], message: string, location?: string): void {
    this.add('cannot-evaluate', message, location, { missing });
  }

  notApplicable(message: string, location?: string): void {
    this.add('not-applicable', message, location);
  }

  private add(result: RuleResult, message: string, location?: string, extra?: Pick<Finding, 'missing' | 'due'>): void {
    this.findings.push(makeFinding(this.rule!, this.pack, result, message, location, extra));
  }
}
