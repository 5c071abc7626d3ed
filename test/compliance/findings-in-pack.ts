/** One check's findings, or their results, for a record under one pack (English rule tests). */
import type { Finding } from '../../src/compliance/finding.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { engine } from './helpers.js';

/** The findings of `key` (`rule/check`) for the record under `pack`, evaluated on `asOf`. */
export const findings = (record: CtpRecord, pack: string, key: string, asOf = '2025-12-01'): Finding[] => {
  const [id, check] = key.split('/');
  return engine()
    .evaluate(record, { asOf, pack })
    .findings.filter((f) => f.ruleId === id && f.check === check);
};

/** Their results, e.g. ['pass', 'fail']. */
export const results = (record: CtpRecord, pack: string, key: string, asOf?: string) => findings(record, pack, key, asOf).map((f) => f.result);
