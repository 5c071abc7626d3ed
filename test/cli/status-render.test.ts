import { describe, expect, it } from 'vitest';
import { renderHistory } from '../../src/cli/dlq-command.js';
import type { MessageHistory } from '../../src/ports/message-inbox.js';

const history: MessageHistory = {
  id: '6f1c2f3e-1d2a-4c55-9a0e-8a1b2c3d4e5f',
  source: 'epr-x',
  format: 'ctp',
  stage: 'processed',
  stages: [],
  records: 1,
  findings: { pass: 3 },
  deliveries: [
    { targetId: 'carepath-7a4', status: 'delivered', count: 1, leftOut: ['incidents', 'riskAssessments'] },
    { targetId: 'hb-b', status: 'delivered', count: 1 },
  ],
  deadLetters: [],
};

describe('pont status', () => {
  it("names under a delivery the fields its target's format left out, and nothing under one that left none", () => {
    const lines = renderHistory(history).split('\n');
    const at = lines.indexOf('  delivery to carepath-7a4: 1 delivered');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toBe("    not sent, as carepath-7a4's format does not hold them: incidents, riskAssessments");
    expect(lines[at + 2]).toBe('  delivery to hb-b: 1 delivered');
    expect(lines[at + 3]).toBe('');
  });
});
