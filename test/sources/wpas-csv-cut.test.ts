import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutWpasByPerson, type WpasPart } from '../../src/sources/wpas-csv.cut.js';
import { locateInWpas, parseWpasCsv, type WpasDocument } from '../../src/sources/wpas-csv.parse.js';
import { ROOT } from '../helpers/runtime.js';

const read = (name: string) => readFileSync(join(ROOT, 'examples/wpas-csv', name), 'utf8');
const [header = '', ...firstRows] = read('plan-not-agreed.csv').trimEnd().split(/\r?\n/);
const secondRows = read('child-with-parents.csv').trimEnd().split(/\r?\n/).slice(1);
const thirdRows = read('revised-plan-after-review.csv').trimEnd().split(/\r?\n/).slice(1);
/** An extract of three people (the examples' rows under one header), with blank lines here and there. */
const extract = [header, ...firstRows, '', ...secondRows, ...thirdRows, ''].join('\n');

async function* chunks(text: string, cuts: readonly number[]): AsyncGenerator<string> {
  let at = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (cut <= at || cut >= text.length) continue;
    yield text.slice(at, cut);
    at = cut;
  }
  yield text.slice(at);
}

async function parts(text: string, cuts: readonly number[] = []): Promise<WpasPart[]> {
  const out: WpasPart[] = [];
  for await (const part of cutWpasByPerson(chunks(text, cuts), 'extract.csv')) out.push(part);
  return out;
}

/** Each person's rows with the line each came from. */
const withLines = (docs: readonly WpasDocument[]) => docs.map((d) => d.rows.map((row) => ({ row: { ...row }, at: locateInWpas([row], undefined) })));

describe('cutting a WPAS extract into people as it is read', () => {
  it('gives each person’s rows, at the extract’s own lines, however the text arrives (property)', async () => {
    const whole = withLines(parseWpasCsv(extract, 'extract.csv'));
    expect(whole).toHaveLength(3);
    for (const lineEnd of ['\n', '\r\n']) {
      const text = extract.replaceAll('\n', lineEnd);
      await fc.assert(
        fc.asyncProperty(fc.array(fc.nat(text.length), { maxLength: 12 }), async (cuts) => {
          const cut = await parts(text, cuts);
          expect(cut.map((p) => ('issues' in p ? p.issues : []))).toEqual([[], [], []]);
          const people = cut.flatMap((p) => ('text' in p ? withLines(parseWpasCsv(p.text, 'extract.csv', p.lineOffset)) : []));
          expect(people).toEqual(whole);
        }),
        { numRuns: 40 },
      );
    }
  });

  it('refuses the rows of a person who comes back after another, by line and without naming them', async () => {
    const text = [header, ...firstRows, ...secondRows, firstRows[1]!].join('\n');
    const cut = await parts(text);
    const refused = cut.filter((p) => 'issues' in p);
    const line = 1 + firstRows.length + secondRows.length + 1;
    expect(refused).toEqual([{ line, issues: [expect.objectContaining({ severity: 'error', diagnostics: expect.stringMatching(new RegExp(`^line ${line}: `)) })] }]);
    expect(JSON.stringify(refused)).not.toContain('A030031');
  });

  it('says on which line the text stops being CSV', async () => {
    const broken = [header, ...firstRows, `${secondRows[0]},"not closed`, ...secondRows.slice(1)].join('\n');
    const cut = await parts(broken);
    const last = cut.at(-1)!;
    const problem = 'issues' in last ? (last.issues[0]?.diagnostics ?? '') : '';
    const line = Number(/not a valid WPAS CTP extract: line (\d+): /.exec(problem)?.[1]);
    // From the broken row on (the quote runs on over the next lines until csv-parse gives up).
    expect(line).toBeGreaterThanOrEqual(1 + firstRows.length + 1);
    expect(cut.filter((p) => 'text' in p)).toHaveLength(1); // the first person, read before it
  });

  it('hands an extract without a PATIENT_ID column on whole, for the parser to name what is wrong', async () => {
    const text = [header.replace('PATIENT_ID', 'PATIENT'), ...firstRows].join('\n');
    const cut = await parts(text);
    expect(cut).toEqual([{ text: `${text}`, lineOffset: 0 }]);
  });
});
