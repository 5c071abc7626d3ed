/**
 * Invented plan text for the near-duplicate tests and the quality benchmark: words made of
 * syllables (no real person's words), so that two generated plans share almost no three-word run,
 * and copies of a plan, lightly edited, to plant among them.
 */
import type { CtpRecord } from '../../src/record/record.schema.js';
import { seededRandom } from '../helpers/generate-histories.js';

const SYLLABLES = [
  'ba',
  'ce',
  'di',
  'fo',
  'gu',
  'ha',
  'je',
  'ki',
  'lo',
  'mu',
  'na',
  'pe',
  'ri',
  'so',
  'tu',
  'va',
  'we',
  'yi',
  'zo',
  'dra',
  'ple',
  'stri',
  'cwm',
  'llan',
  'rhy',
];

export function textGenerator(seed: number) {
  const random = seededRandom(seed);
  const int = (n: number) => Math.floor(random() * n);
  const word = () => Array.from({ length: 2 + int(2) }, () => SYLLABLES[int(SYLLABLES.length)]).join('');
  return {
    /** A plan body of about `words` invented words, in sentences. */
    plan(words = 60): string {
      const out: string[] = [];
      for (let i = 0; i < words; i++) out.push(word() + (i % 12 === 11 ? '.' : ''));
      return out.join(' ');
    },
    /** A copy of a text with `edits` words replaced, as when a copied plan has a name or date changed. */
    edited(text: string, edits: number): string {
      const w = text.split(' ');
      for (let i = 0; i < edits; i++) w[int(w.length)] = word();
      return w.join(' ');
    },
  };
}

/** Gives each record's plans one outcome and action written from `text(i)` (index of the record). */
export function withPlanText(records: CtpRecord[], text: (i: number) => string): CtpRecord[] {
  records.forEach((r, i) => {
    const body = text(i);
    const cut = body.indexOf('.') + 1 || body.length;
    for (const plan of r.plans ?? []) {
      plan.outcomes = [
        { id: `o${i}`, description: body.slice(0, cut).trim(), areas: [{ area: 'accommodation' }], actions: [{ id: `a${i}`, description: body.slice(cut).trim() || body }] },
      ];
    }
  });
  return records;
}
