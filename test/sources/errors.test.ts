/**
 * Bad input: each case fails with the documented error code, says where, and never repeats a
 * value from the input. A distinctive synthetic name is planted in every input to prove it.
 */
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/sources/index.js';
import { csvRows, errorOf, errorText, exampleText, mapSource, toCsv } from './helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: raw JSON, changed in ways the typed record cannot express
type RawJson = Record<string, any>;

/** Planted in the inputs below; no error may ever show it. */
const NAME = 'Zephyrine';
const SURNAME = 'Quillfeather-Ystrad';

function carePathWithName(): RawJson {
  const doc = JSON.parse(exampleText('carepath-json', 'adult-all-eight-areas')) as RawJson;
  doc.client.forename = NAME;
  doc.client.surname = SURNAME;
  return doc;
}

/** The plan-not-agreed CSV, header first, with the patient renamed on every row. */
function wpasRows(): string[][] {
  const rows = csvRows(exampleText('wpas-csv', 'plan-not-agreed'));
  const header = rows[0]!;
  for (const row of rows.slice(1)) {
    row[header.indexOf('FORENAME')] = NAME;
    row[header.indexOf('SURNAME')] = SURNAME;
  }
  return rows;
}

/** Sets a cell on the rows that match, by column name. */
function setCell(rows: string[][], column: string, value: string, where: (row: string[], col: (name: string) => string) => boolean): void {
  const header = rows[0]!;
  const col = (row: string[]) => (name: string) => row[header.indexOf(name)]!;
  for (const row of rows.slice(1)) if (where(row, col(row))) row[header.indexOf(column)] = value;
}

/** The text lines of a CSV whose values contain no line breaks. */
function wpasLines(): string[] {
  return toCsv(wpasRows()).trimEnd().split('\n');
}

function expectNoValues(err: Error): void {
  const text = errorText(err);
  expect(text).not.toContain(NAME);
  expect(text).not.toContain(SURNAME);
}

describe('carepath-json', () => {
  it('accepts the renamed input (the planted name is really in it)', () => {
    const [record] = mapSource('carepath-json', JSON.stringify(carePathWithName()));
    expect(record!.patient?.names?.[0]?.family).toBe(SURNAME);
  });

  it('a byte order mark before the JSON is accepted', () => {
    expect(parseSource('carepath-json', `\uFEFF${JSON.stringify(carePathWithName())}`, 'export.json')).toHaveLength(1);
  });

  it('not JSON: INPUT_NOT_JSON naming the file, line and column', () => {
    const text = JSON.stringify(carePathWithName(), null, 2).replace(`"forename": "${NAME}"`, `"forename": ${NAME}`);
    const err = errorOf(() => parseSource('carepath-json', text, 'export-2025-11.json'));
    expect(err.code).toBe('INPUT_NOT_JSON');
    const line = text.split('\n').findIndex((l) => l.includes(`"forename": ${NAME}`)) + 1;
    expect(err.message).toMatch(new RegExp(`^export-2025-11\\.json: not valid JSON \\(line ${line}, column 17: `));
    expectNoValues(err);
  });

  it.each([
    ['truncated in a string', (t: string) => t.slice(0, t.indexOf(NAME) + 3), /line 12, column \d+: unterminated string/],
    ['truncated', (t: string) => t.slice(0, t.indexOf(NAME) + NAME.length + 1), /line 12, column \d+: /],
    ['trailing comma', (t: string) => t.replace(`"${SURNAME}",`, `"${SURNAME}",,`), /line \d+, column \d+: /],
    ['text after the JSON', (t: string) => `${t} ${NAME}`, /line \d+, column \d+: /],
    ['empty', () => '   ', /the input is empty/],
  ])('not JSON (%s) gives a position and no content', (_case, breakIt, expected) => {
    const err = errorOf(() => parseSource('carepath-json', breakIt(JSON.stringify(carePathWithName(), null, 2)), 'x.json'));
    expect(err.code).toBe('INPUT_NOT_JSON');
    expect(err.message).toMatch(expected);
    expectNoValues(err);
  });

  it('JSON of the wrong shape: INPUT_INVALID whose issues name the path in the file', () => {
    const doc = carePathWithName();
    doc.referrals[0].ctpDocuments[0].createdDate = '2025-02-11';
    doc.referrals[0].ctpDocuments[0].sections.outcomes[2].lifeAreas[0].code = NAME;
    doc.client.gender = 7;
    doc.client[`${NAME} ${SURNAME}`] = NAME;
    delete doc.client.ClientID;
    const err = errorOf(() => parseSource('carepath-json', JSON.stringify(doc), 'export.json'));
    expect(err.code).toBe('INPUT_INVALID');
    const expressions = err.issues!.map((i) => i.expression?.[0]);
    expect(expressions).toEqual(
      expect.arrayContaining([
        'referrals[0].ctpDocuments[0].createdDate',
        'referrals[0].ctpDocuments[0].sections.outcomes[2].lifeAreas[0].code',
        'client.gender',
        'client.ClientID',
        'client',
      ]),
    );
    expect(err.issues!.find((i) => i.expression?.[0] === 'client')?.diagnostics).toMatch(/^client: key \d+ of \d+ is not a field of this format$/);
    expect(err.issues!.find((i) => i.expression?.[0] === 'referrals[0].ctpDocuments[0].createdDate')?.diagnostics).toContain('DD/MM/YYYY');
    expect(err.issues!.find((i) => i.expression?.[0] === 'client.ClientID')?.diagnostics).toContain('is required');
    expectNoValues(err);
  });

  it('paths inside a multi-client file start at clients[n]', () => {
    const { exportMeta, ...client } = carePathWithName();
    const second = structuredClone(client);
    second.client.dateOfBirth = NAME;
    const err = errorOf(() => parseSource('carepath-json', JSON.stringify({ exportMeta, clients: [client, second] }), 'export.json'));
    expect(err.code).toBe('INPUT_INVALID');
    expect(err.issues!.map((i) => i.expression?.[0])).toEqual(['clients[1].client.dateOfBirth']);
    expectNoValues(err);
  });

  it.each([
    ['an array', '[1, 2]'],
    ['a string', JSON.stringify(NAME)],
    ['null', 'null'],
  ])('a file that is %s is INPUT_INVALID', (_kind, text) => {
    const err = errorOf(() => parseSource('carepath-json', text, 'export.json'));
    expect(err.code).toBe('INPUT_INVALID');
    expect(err.issues![0]!.diagnostics).toMatch(/must be a JSON object/);
    expectNoValues(err);
  });

  it('an unknown local code: MAPPING_UNKNOWN_CODE naming the code map and the rule', () => {
    const doc = carePathWithName();
    doc.referrals[0].ctpDocuments[0].sections.outcomes[1].lifeAreas[0].code = 'XYZ';
    const err = errorOf(() => mapSource('carepath-json', JSON.stringify(doc)));
    expect(err.code).toBe('MAPPING_UNKNOWN_CODE');
    expect(err.message).toContain('mappings/carepath-json-to-ctp.yaml');
    expect(err.message).toContain('rule "life-area');
    expect(err.message).toContain('code map "carepath-area-of-life"');
    expect(err.message).toContain('referrals[0].ctpDocuments[0].sections.outcomes[1].lifeAreas[0]');
    expectNoValues(err);
  });

  it('an unknown profession code is caught the same way', () => {
    const doc = carePathWithName();
    doc.referrals[0].keyWorker[0].profession = 'ZZ';
    const err = errorOf(() => mapSource('carepath-json', JSON.stringify(doc)));
    expect(err.code).toBe('MAPPING_UNKNOWN_CODE');
    expect(err.message).toMatch(/rule "key-worker .*code map "carepath-profession"/);
  });

  it('a reference to staff that is not in the file fails the record check', () => {
    const doc = carePathWithName();
    doc.referrals[0].ctpDocuments[0].sections.outcomes[0].interventions[1].responsible[0].ref = 'STF99999';
    const err = errorOf(() => mapSource('carepath-json', JSON.stringify(doc)));
    expect(err.code).toBe('INPUT_INVALID');
    expect(err.issues!.map((i) => i.expression?.[0])).toContain('plans[0].outcomes[0].actions[1].whoBy[0].id');
    expectNoValues(err);
  });
});

describe('wpas-csv', () => {
  it('accepts the renamed input (the planted name is really in it)', () => {
    const [record] = mapSource('wpas-csv', toCsv(wpasRows()));
    expect(record!.patient?.names?.[0]).toMatchObject({ family: SURNAME, given: [NAME, 'Gwilym'] });
  });

  it('a missing column: INPUT_BAD_CSV naming the column', () => {
    const rows = wpasRows();
    const at = rows[0]!.indexOf('OUTCOME_PT_WORDS');
    const text = toCsv(rows.map((r) => r.filter((_, i) => i !== at)));
    const err = errorOf(() => parseSource('wpas-csv', text, 'extract.csv'));
    expect(err.code).toBe('INPUT_BAD_CSV');
    expect(err.message).toContain('missing column OUTCOME_PT_WORDS');
    expectNoValues(err);
  });

  it('an unknown column: INPUT_BAD_CSV naming its position, never its name (which may be data)', () => {
    for (const name of ['WARD_CODE', `${SURNAME} ${NAME}`, SURNAME.toUpperCase()]) {
      const rows = wpasRows();
      const text = toCsv(rows.map((r, i) => [...r, i === 0 ? name : '']));
      const err = errorOf(() => parseSource('wpas-csv', text, 'extract.csv'));
      expect(err.code).toBe('INPUT_BAD_CSV');
      expect(err.message).toContain(`column ${rows[0]!.length + 1} is not a WPAS column (names not shown: they may be data)`);
      expect(err.message).not.toContain(name);
      expectNoValues(err);
    }
  });

  it('a header whose line break is missing (the first row runs on from it) quotes none of that row', () => {
    const lines = wpasLines();
    const text = [`${lines[0]}${lines[1]}`, ...lines.slice(2)].join('\n');
    const err = errorOf(() => parseSource('wpas-csv', text, 'extract.csv'));
    expect(err.code).toBe('INPUT_BAD_CSV');
    for (const cell of lines[1]!.split(',').filter((c) => c.length > 2)) expect(err.message).not.toContain(cell);
    expectNoValues(err);
  });

  it('CRLF line endings, and blank LF lines after them, are read as line ends', () => {
    const lines = wpasLines();
    const crlf = `${lines.join('\r\n')}\r\n\n\n`;
    expect(parseSource('wpas-csv', crlf, 'extract.csv')).toEqual(parseSource('wpas-csv', lines.join('\n'), 'extract.csv'));
    const mixed = `${lines.slice(0, 3).join('\r\n')}\n\n${lines.slice(3).join('\n')}\r\n`;
    expect(parseSource('wpas-csv', mixed, 'extract.csv')).toEqual(parseSource('wpas-csv', lines.join('\n'), 'extract.csv'));
  });

  it('no header at all (data on the first line): INPUT_BAD_CSV without quoting the line', () => {
    const err = errorOf(() => parseSource('wpas-csv', toCsv(wpasRows().slice(1)), 'extract.csv'));
    expect(err.code).toBe('INPUT_BAD_CSV');
    expect(err.message).toContain('the first line is not the WPAS CTP extract header');
    expectNoValues(err);
  });

  it('a ragged row: INPUT_BAD_CSV naming the line', () => {
    const rows = wpasRows();
    rows[4]!.pop();
    const err = errorOf(() => parseSource('wpas-csv', toCsv(rows), 'extract.csv'));
    expect(err.code).toBe('INPUT_BAD_CSV');
    expect(err.message).toMatch(/line 5 has \d+ fields but the header has \d+/);
    expectNoValues(err);
  });

  it('broken CSV quoting: INPUT_BAD_CSV with the line, not the text', () => {
    const lines = wpasLines();
    lines[3] = lines[3]!.replace(`,${SURNAME},`, `,"${SURNAME},`);
    const err = errorOf(() => parseSource('wpas-csv', lines.join('\n'), 'extract.csv'));
    expect(lines[3]).toContain(`"${SURNAME}`);
    expect(err.code).toBe('INPUT_BAD_CSV');
    expect(err.message).toMatch(/line \d+: /);
    expectNoValues(err);
  });

  it('cells in the wrong format: INPUT_INVALID naming line and column', () => {
    const rows = wpasRows();
    const header = rows[0]!;
    const line = rows.findIndex((r) => r[0] === 'ACT') + 1; // file line of the first ACT row
    const row = rows[line - 1]!;
    row[header.indexOf('PLAN_DATE')] = NAME;
    row[header.indexOf('ACTION_SEQ')] = '0';
    row[header.indexOf('WELSH_PREF')] = 'yes';
    const err = errorOf(() => parseSource('wpas-csv', toCsv(rows), 'extract.csv'));
    expect(err.code).toBe('INPUT_INVALID');
    const expressions = err.issues!.map((i) => i.expression?.[0]);
    expect(expressions).toEqual(expect.arrayContaining([`line ${line}, column PLAN_DATE`, `line ${line}, column ACTION_SEQ`, `line ${line}, column WELSH_PREF`]));
    expect(err.issues!.find((i) => i.expression?.[0] === `line ${line}, column PLAN_DATE`)?.diagnostics).toContain('YYYYMMDD');
    expectNoValues(err);
  });

  it('person columns that differ between rows of one patient: INPUT_INVALID', () => {
    const rows = wpasRows();
    rows[5]![rows[0]!.indexOf('SURNAME')] = `${SURNAME}-Jones`;
    const err = errorOf(() => parseSource('wpas-csv', toCsv(rows), 'extract.csv'));
    expect(err.code).toBe('INPUT_INVALID');
    expect(err.issues!.map((i) => i.expression?.[0])).toEqual(['line 6, column SURNAME']);
    expect(err.issues![0]!.diagnostics).toMatch(/differs from line 2/);
    expectNoValues(err);
  });

  it('a copy row for a plan version with no ACT rows: INPUT_INVALID', () => {
    const rows = wpasRows();
    let first = true;
    setCell(rows, 'PLAN_VER', '9', (row) => row[0] === 'CPY' && (first ? !(first = false) : false));
    const err = errorOf(() => parseSource('wpas-csv', toCsv(rows), 'extract.csv'));
    expect(err.code).toBe('INPUT_INVALID');
    expect(err.issues![0]!.expression?.[0]).toMatch(/^line \d+, column PLAN_VER$/);
  });

  it('an unknown local code: MAPPING_UNKNOWN_CODE naming the code map and the rule', () => {
    const rows = wpasRows();
    // Change the area code on every row of one outcome, so the outcome columns still repeat exactly.
    setCell(rows, 'AREA_CODES', '42', (row, col) => row[0] === 'ACT' && col('OUTCOME_SEQ') === '2');
    const err = errorOf(() => mapSource('wpas-csv', toCsv(rows)));
    expect(err.code).toBe('MAPPING_UNKNOWN_CODE');
    expect(err.message).toContain('mappings/wpas-csv-to-ctp.yaml');
    expect(err.message).toContain('rule "area-of-life');
    expect(err.message).toContain('a code (2 characters) has no entry in code map "wpas-area-of-life"');
    expect(err.message).not.toContain('"42"');
    expectNoValues(err);
  });

  it('an empty file and a header without rows are INPUT_BAD_CSV', () => {
    expect(errorOf(() => parseSource('wpas-csv', '', 'extract.csv')).code).toBe('INPUT_BAD_CSV');
    expect(errorOf(() => parseSource('wpas-csv', toCsv(wpasRows().slice(0, 1)), 'extract.csv')).message).toContain('no rows');
  });
});

describe('any source', () => {
  it('an unknown source name is INPUT_UNKNOWN_SOURCE', () => {
    expect(errorOf(() => parseSource('vendor-x', '{}', 'x')).code).toBe('INPUT_UNKNOWN_SOURCE');
  });
});
