/** Renders the run-wide quality results of `pont check --quality` as text for people. */
import type { QualitySummary } from '../quality/quality-run.js';

const percent = (n: number, of: number) => (of === 0 ? '0%' : `${Math.round((100 * n) / of)}%`);

export function renderQuality(summary: QualitySummary | undefined): string {
  if (summary === undefined) return '';
  const { groups, findings } = summary.sharedText;
  const legacy = findings.filter((f) => f.check === 'carried-over-from-legacy-template');
  const lines = ['quality signals (prompts for human review, not breaches):'];
  lines.push(
    `  plan text shared across people: ${groups.length} group${groups.length === 1 ? '' : 's'} of near-duplicate plans; ${legacy.length} plan${legacy.length === 1 ? '' : 's'} carried over from a legacy template`,
  );
  groups.forEach((g, i) => lines.push(`    group ${i + 1} (${g.length} plans): ${g.map((p) => `${p.record} ${p.plan}`).join('; ')}`));
  for (const f of legacy) lines.push(`    ${f.location}: ${f.message}`);
  for (const level of ['team', 'health-board'] as const) {
    lines.push(`  by ${level === 'team' ? 'team' : 'health board'}:`);
    for (const c of summary.counts.filter((x) => x.level === level)) {
      const top = [...c.signals].sort(([, a], [, b]) => b - a);
      lines.push(`    ${c.place} (${c.people} people): ${top.length === 0 ? 'no signals' : top.map(([k, n]) => `${k} ${n} (${percent(n, c.people)})`).join(', ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
