/** Reading one English rule's findings under one pack, for the English packs' tests. */
import type { Finding } from '../../src/compliance/finding.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { engine } from './helpers.js';

export const LPT = 'leicestershire-lpt';
export const ELFT = 'luton-bedfordshire-elft';
export const WALES = 'wales-measure';

/** The findings of one rule (`id/check`) under one pack, on a date of evaluation (1 December 2025 unless given). */
export const findings = (record: CtpRecord, pack: string, key: string, asOf = '2025-12-01'): Finding[] => {
  const [id, check] = key.split('/');
  return engine()
    .evaluate(record, { asOf, pack })
    .findings.filter((f) => f.ruleId === id && f.check === check);
};

/** The results of one rule's findings, e.g. ['pass', 'fail']. */
export const results = (record: CtpRecord, pack: string, key: string, asOf?: string) => findings(record, pack, key, asOf).map((f) => f.result);
