/**
 * Cuts a WPAS CTP extract into one CSV text per person as it is read, so that an extract of any
 * size is checked a person at a time: each part is the header and that person's rows, exactly as
 * written, with the number to add to its line numbers to give the extract's own. The format writes
 * an extract person by person (mappings/sources/wpas-csv.md, "row order"), which is what makes
 * this possible; rows of a person that come back after another person's are refused by line.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { parse } from 'csv-parse';
import { badCsv, csvSyntaxProblem } from './wpas-csv.parse.js';

export type WpasPart = { readonly text: string; readonly lineOffset: number } | { readonly issues: OperationOutcomeIssue[]; readonly line: number };

const PERSON_COLUMN = 'PATIENT_ID';

interface CsvRow {
  readonly record: string[];
  readonly raw: string;
  readonly info: { readonly lines: number };
}

export async function* cutWpasByPerson(texts: AsyncIterable<string>, origin: string): AsyncGenerator<WpasPart> {
  const rows = csvRows(normalisedLines(texts));
  // Text csv-parse cannot read ends the cutting: what was cut before it is handed on first.
  const next = async (): Promise<IteratorResult<CsvRow> | WpasPart> => {
    try {
      return await rows.next();
    } catch (err) {
      const code = (err as { code?: unknown })?.code;
      if (typeof code !== 'string' || !code.startsWith('CSV_')) throw err;
      const line = (err as { lines?: unknown }).lines;
      return { line: typeof line === 'number' ? line : 0, issues: badCsv(origin, csvSyntaxProblem(err, 0)).issues };
    }
  };
  const isRow = (r: IteratorResult<CsvRow> | WpasPart): r is IteratorResult<CsvRow> => 'done' in r;

  const first = await next();
  if (!isRow(first)) {
    yield first;
    return;
  }
  if (first.done) {
    yield { text: '', lineOffset: 0 };
    return;
  }
  const header = first.value;
  const personAt = header.record.findIndex((name) => name.trim() === PERSON_COLUMN);
  const done = new Set<string>();
  let person: string | undefined;
  let part = header.raw;
  let offset = 0;
  let rowsSeen = 0;
  for (let r = await next(); ; r = await next()) {
    if (!isRow(r)) {
      if (person !== undefined) yield { text: part, lineOffset: offset };
      yield r;
      return;
    }
    if (r.done) break;
    const row = r.value;
    rowsSeen++;
    if (personAt < 0) {
      // Not an extract this can cut: handed on whole, for the parser to say what is wrong.
      part += row.raw;
      continue;
    }
    const id = (row.record[personAt] ?? '').trim();
    if (id !== person) {
      if (person !== undefined) {
        done.add(person);
        yield { text: part, lineOffset: offset };
      }
      if (done.has(id)) {
        const line = row.info.lines;
        yield {
          line,
          issues: [
            {
              severity: 'error',
              code: 'structure',
              diagnostics: `line ${line}: this person's rows began earlier in the extract; a WPAS extract is written person by person, so their rows must be together`,
              expression: [`line ${line}`],
            },
          ],
        };
        person = undefined;
        continue;
      }
      person = id;
      part = header.raw;
      offset = row.info.lines - lineCount(header.raw + row.raw);
    }
    part += row.raw;
  }
  if (personAt < 0 || rowsSeen === 0)
    yield { text: part, lineOffset: 0 }; // whole, or a header alone: the parser says so
  else if (person !== undefined) yield { text: part, lineOffset: offset };
}

/** The line a text's last character is on, as csv-parse counts (1-based). */
function lineCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n : n + 1;
}

/** CRLF and CR as LF, across chunk boundaries (an extract written with CRLF may end with LF lines). */
async function* normalisedLines(texts: AsyncIterable<string>): AsyncGenerator<string> {
  let pendingCr = false;
  for await (const chunk of texts) {
    let text: string = (pendingCr ? '\r' : '') + chunk;
    pendingCr = text.endsWith('\r');
    if (pendingCr) text = text.slice(0, -1);
    yield text.replace(/\r\n?/g, '\n');
  }
  if (pendingCr) yield '\n';
}

/** Resolves when the parser can take more text, or has failed (each waiting leaves no listener behind). */
function drained(parser: ReturnType<typeof parse>): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      parser.off('drain', done);
      parser.off('error', done);
      resolve();
    };
    parser.on('drain', done);
    parser.on('error', done);
  });
}

/**
 * The rows of CSV text as they are parsed, with backpressure (the parser pauses while rows wait).
 * Rows parsed before a syntax error are all given before the error is thrown.
 */
async function* csvRows(texts: AsyncIterable<string>): AsyncGenerator<CsvRow> {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, raw: true });
  const waiting: CsvRow[] = [];
  let failure: { error: unknown } | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const signal = () => {
    wake?.();
    wake = undefined;
  };
  parser.on('data', (row: CsvRow) => {
    waiting.push(row);
    if (waiting.length >= 64) parser.pause();
    signal();
  });
  parser.on('error', (error) => {
    failure = { error };
    signal();
  });
  parser.on('end', () => {
    ended = true;
    signal();
  });
  const feed = (async () => {
    try {
      for await (const text of texts) {
        if (failure) return;
        if (!parser.write(text)) await drained(parser);
      }
      parser.end();
    } catch (error) {
      failure ??= { error };
      signal();
    }
  })();
  for (;;) {
    const row = waiting.shift();
    if (row !== undefined) {
      if (waiting.length < 16) parser.resume();
      yield row;
      continue;
    }
    if (failure) throw failure.error;
    if (ended) break;
    parser.resume();
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
  }
  await feed;
}
