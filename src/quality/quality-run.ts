/**
 * The quality signals over one run of records (`pont check --quality`): each record's signals from
 * the quality pack, then, once every record has been seen, the cross-record search for shared
 * text and the counts per team and health board. It keeps per record only what the cross-record
 * parts need (shingle hashes of its current plans, its person key, team and board).
 */
import type { Evaluation } from '../compliance/engine.js';
import { personKey } from '../record/person-key.js';
import type { CtpRecord } from '../record/record.schema.js';
import type { IsoDate } from '../time/dates.js';
import { type SignalCount, signalAggregator } from './aggregate.js';
import { careSetting } from './care-setting.js';
import type { QualityEngine } from './quality-engine.js';
import { type SharedTextResult, type SharedTextSettings, sharedTextSearch } from './shared-text.js';

export interface QualityDeps {
  readonly engine: QualityEngine;
  readonly sharedText: SharedTextSettings;
}

export interface QualitySummary {
  readonly sharedText: SharedTextResult;
  readonly counts: readonly SignalCount[];
}

export function qualityRun(deps: QualityDeps) {
  const shared = sharedTextSearch(deps.sharedText);
  const tally = signalAggregator();
  const settings = new Map<string, { team?: string; board?: string }>();
  let summary: QualitySummary | undefined;
  return {
    /** One record's quality evaluation; `name` is how the run names the record in cross-record findings. */
    evaluate(record: CtpRecord, name: string, asOf: IsoDate): Evaluation {
      const evaluation = deps.engine.engine.evaluate(record, { asOf });
      const person = personKey(record);
      const setting = careSetting(record);
      settings.set(person, setting);
      tally.add(person, setting, evaluation.findings);
      shared.add(record, name);
      return evaluation;
    },
    /** The cross-record signals and the counts; worked out once, when first asked for. */
    summary(): QualitySummary {
      summary ??= finish();
      return summary;
    },
  };

  function finish(): QualitySummary {
    const sharedText = shared.search();
    for (const f of sharedText.findings) tally.addShared(f.place.person, settings.get(f.place.person) ?? {}, f);
    return { sharedText, counts: tally.counts() };
  }
}
