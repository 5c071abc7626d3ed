import { describe, expect, it } from 'vitest';
import { ASOF, compliantRecord, engine } from './helpers.js';

describe('the compliant test record', () => {
  it('passes every Welsh rule or is out of its scope, with nothing left unchecked', () => {
    const { findings, pack } = engine().evaluate(compliantRecord(), { asOf: ASOF });
    expect(pack.id).toBe('wales-measure');
    const problems = findings.filter((f) => f.result === 'fail' || f.result === 'cannot-evaluate').map((f) => `${f.ruleId}/${f.check} ${f.location ?? ''}: ${f.message}`);
    expect(problems).toEqual([]);
    // Every rule of the pack says something about the record.
    const checked = new Set(findings.map((f) => `${f.ruleId}/${f.check}`));
    expect(checked.size).toBe(pack.rules.length);
  });
});
