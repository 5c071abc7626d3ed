/** Reading one rule's findings under one English pack, for the English rules' tests. */
import type { Finding } from '../../src/compliance/finding.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { engine } from './helpers.js';

export const LPT = 'leicestershire-lpt';
export const ELFT = 'luton-bedfordshire-elft';
export const WALES = 'wales-measure';

/** The findings of one rule (`id/check`) under a pack, on a date of evaluation. */
export const findings = (record: CtpRecord, pack: string, key: string, asOf = '2025-12-01'): Finding[] => {
  const [id, check] = key.split('/');
  return engine()
    .evaluate(record, { asOf, pack })
    .findings.filter((f) => f.ruleId === id && f.check === check);
};

/** Their results, e.g. ['pass', 'fail']. */
export const results = (record: CtpRecord, pack: string, key: string, asOf?: string) => findings(record, pack, key, asOf).map((f) => f.result);
