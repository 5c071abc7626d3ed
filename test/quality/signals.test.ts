/**
 * Every quality signal fires on a record built for it and stays silent on the good record (its
 * matched control); a signal's failure is information or a warning, never an error.
 */
import { describe, expect, it } from 'vitest';
import { goodRecord, quality, qualityFindings, signalResults } from './helpers.js';
import { signalCases as cases, signalControls as controls } from './signal-cases.js';

describe('the quality pack', () => {
  const pack = quality().engine.pack('practice-quality');

  it('has a case for every signal, and every case is a signal of the pack', () => {
    expect(Object.keys(cases).sort()).toEqual(pack.rules.map((r) => `${r.id}/${r.check}`).sort());
  });

  it('is silent on the good record: every signal passes or does not apply', () => {
    const loud = qualityFindings(goodRecord()).filter((f) => f.result === 'fail' || f.result === 'cannot-evaluate');
    expect(loud.map((f) => `${f.ruleId}/${f.check}`)).toEqual([]);
  });

  it('never fails as an error: each signal is a prompt (information) or guidance (warning)', () => {
    for (const rule of pack.rules) expect(rule.force).not.toBe('must');
  });

  it('says of each signal, in its explanation, that it is a prompt for human review and not a breach', () => {
    for (const rule of pack.rules) expect(rule.explanation).toMatch(/A prompt for human review, not a breach\.$/);
  });

  for (const [key, build] of Object.entries(cases)) {
    it(`${key} fires on its case and is silent on its control`, () => {
      const record = build();
      const [id, check] = key.split('/');
      const fired = qualityFindings(record).filter((f) => f.ruleId === id && f.check === check && f.result === 'fail');
      expect(fired.length).toBeGreaterThan(0);
      for (const f of fired) expect(['information', 'warning']).toContain(f.severity);
      const control = (controls[key] ?? goodRecord)();
      const silent = signalResults(control, key);
      expect(silent).not.toContain('fail');
      if (controls[key]) expect(silent).toContain('pass');
    });
  }
});

describe('messages name places, never the record’s words', () => {
  it('no finding message repeats any plan text of the records it judged', () => {
    for (const build of Object.values(cases)) {
      const record = build();
      const texts = (record.plans ?? []).flatMap((p) => (p.outcomes ?? []).flatMap((o) => [o.description, o.inPatientsWords, ...(o.actions ?? []).map((a) => a.description)]));
      for (const f of qualityFindings(record)) {
        for (const t of texts) if (t !== undefined && t.length > 12) expect(f.message).not.toContain(t);
      }
    }
  });
});
