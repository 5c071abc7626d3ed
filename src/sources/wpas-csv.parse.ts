/**
 * Reads a WPAS CTP extract (a fictional PAS-style flat CSV; see mappings/sources/wpas-csv.md):
 * checks the header, the shape of every row and the format of every cell, and groups the rows
 * by patient into one document `{ rows: [...] }` per person. Regrouping a person's rows into
 * plans, versions, outcomes and actions is the mapping's job (mappings/wpas-csv-to-ctp.yaml).
 *
 * Cells: an empty cell means "no value" and is left out of the row object; multi-value cells
 * are separated by `|`, and components inside one value by `^`.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { parse } from 'csv-parse/sync';
import { InputError } from '../errors/errors.js';
import { invalidInput, outcomeIssue } from '../input/zod-outcome.js';

type Format = 'rowType' | 'timestamp' | 'date' | 'id' | 'ids' | 'nhs' | 'ons' | 'text' | 'texts' | 'code' | 'codes' | 'flag' | 'seq' | 'reg';

/** Every column of the extract and the format of its cells, in the documented order. */
export const WPAS_COLUMNS = {
  // row and person (filled on every row)
  ROW_TYPE: 'rowType',
  EXTRACT_TS: 'timestamp',
  PATIENT_ID: 'id',
  NHS_NO: 'nhs',
  TITLE: 'text',
  FORENAME: 'text',
  MIDDLE_NAMES: 'text',
  SURNAME: 'text',
  DOB: 'date',
  SEX: 'code',
  ADDR_LINES: 'texts',
  ADDR_TOWN: 'text',
  POSTCODE: 'text',
  LA_CODE: 'ons',
  GP_CODE: 'id',
  LANGUAGE: 'code',
  WELSH_PREF: 'flag',
  INTERPRETER: 'flag',
  TEL_MOBILE: 'text',
  // referral (episode of care)
  REFERRAL_ID: 'id',
  REFERRAL_DATE: 'date',
  TEAM_NAME: 'text',
  RESP_ORGS: 'ids',
  DISCHARGE_DATE: 'date',
  DISCHARGE_TYPE: 'code',
  DISCHARGE_BY: 'id',
  PART3_INFO: 'flag',
  // care coordinator appointment of the plan version
  CC_APPT_ID: 'id',
  CC_STAFF_ID: 'id',
  CC_PROF: 'code',
  CC_APPOINTED_BY: 'id',
  CC_EMPLOYER: 'id',
  CC_START: 'date',
  CC_END: 'date',
  CC_TEMP: 'flag',
  // plan version
  PLAN_ID: 'id',
  PLAN_VER: 'seq',
  PLAN_STATUS: 'code',
  PLAN_TYPE: 'code',
  PLAN_REVIEW_ID: 'id',
  PLAN_DATE: 'date',
  REVIEW_DUE: 'date',
  PLAN_COMPLETED: 'date',
  PLAN_LANG: 'code',
  DIAG_CODES: 'ids',
  RESP_PROVIDERS: 'ids',
  AGREED: 'code',
  AGREE_REASON: 'text',
  VIEWS_STATUS: 'code',
  VIEWS_TEXT: 'text',
  COMMS_TEXT: 'text',
  RELAPSE_SIGNS: 'texts',
  CRISIS_ACTIONS: 'texts',
  CRISIS_CONTACTS: 'texts',
  CRISIS_CONTINGENCY: 'texts',
  CC_SIGNED: 'date',
  PT_SIGNED: 'date',
  // outcome and action
  OUTCOME_SEQ: 'seq',
  OUTCOME_TEXT: 'text',
  OUTCOME_PT_WORDS: 'text',
  AREA_CODES: 'codes',
  OTHER_AREA: 'text',
  OUTCOME_STATUS: 'code',
  ACTION_SEQ: 'seq',
  ACTION_TEXT: 'text',
  ACTION_WHEN: 'text',
  ACTION_START: 'date',
  ACTION_END: 'date',
  ACTION_STATUS: 'code',
  ACTION_BY_TYPE: 'code',
  ACTION_BY_ID: 'id',
  // copy of a plan version
  COPY_SEQ: 'seq',
  COPY_ROLE: 'code',
  COPY_TO_TYPE: 'code',
  COPY_TO_ID: 'id',
  COPY_STATUS: 'code',
  COPY_DATE: 'date',
  COPY_METHOD: 'code',
  COPY_REASON: 'text',
  // party (staff, organisation, related person)
  PARTY_ID: 'id',
  PARTY_TITLE: 'text',
  PARTY_FORENAMES: 'text',
  PARTY_SURNAME: 'text',
  PARTY_ORG_NAME: 'text',
  PARTY_ORG_TYPE: 'code',
  PARTY_ORG_CODE: 'text',
  PARTY_REL: 'code',
  PARTY_ROLES: 'codes',
  PARTY_REG: 'reg',
  PARTY_COPIES: 'flag',
  PARTY_DECLINED: 'date',
  // review
  REV_ID: 'id',
  REV_TRIGGER: 'code',
  REV_DUE: 'date',
  REV_HELD: 'date',
  REV_REQ_DATE: 'date',
  REV_REQ_BY: 'code',
  REV_DECISION: 'code',
  REV_DECISION_DATE: 'date',
  REV_DECISION_REASON: 'text',
  REV_SUMMARY: 'text',
  // Part 3 request
  P3_ID: 'id',
  P3_RECEIVED: 'timestamp',
  P3_REQUESTER: 'code',
  P3_REQUESTER_ID: 'id',
  P3_PRIORITY: 'code',
  P3_STATUS: 'code',
  P3_LA_ID: 'id',
  P3_ELIGIBILITY: 'code',
  P3_ELIG_REASON: 'text',
  P3_ELIG_DATE: 'date',
  P3_QUAL_DISCHARGE: 'date',
  P3_ASSESS_START: 'date',
  P3_ASSESS_END: 'date',
  P3_ASSESSOR_ID: 'id',
  P3_PARTNER_ID: 'id',
  P3_REPORT_DATE: 'date',
  P3_REPORT_METHOD: 'code',
  P3_SERVICES: 'flag',
  P3_REPORT_SUMMARY: 'text',
} as const satisfies Record<string, Format>;

export type WpasColumn = keyof typeof WPAS_COLUMNS;
export const wpasColumnNames = Object.keys(WPAS_COLUMNS) as WpasColumn[];

/** One row: its non-empty cells by column name. */
export type WpasRow = Partial<Record<WpasColumn, string>>;

/** Each row's line in the file, kept on the row out of sight (not enumerable, not JSON), so that a problem the mapping finds in a row can be put in the file's terms. */
const LINE = Symbol('line');

/**
 * Where a value the mapping refused is in the file: `line N, column NAME`, from the rows in scope
 * when it failed (most specific first), the first holding the value in one of its cells (or as
 * one of a cell's `|`- or `^`-separated parts); `line N` when no cell holds it.
 */
export function locateInWpas(inScope: readonly unknown[], value: unknown): string | undefined {
  let first: number | undefined;
  for (const item of inScope) {
    for (const row of Array.isArray(item) ? item : [item]) {
      const line = typeof row === 'object' && row !== null ? (row as { [LINE]?: number })[LINE] : undefined;
      if (line === undefined) continue;
      first ??= line;
      if (typeof value !== 'string') continue;
      const column = (Object.keys(row) as WpasColumn[]).find((c) => {
        const cell = (row as WpasRow)[c]!;
        return cell === value || cell.split(/[|^]/).some((part) => part.trim() === value);
      });
      if (column !== undefined) return `line ${line}, column ${column}`;
    }
  }
  return first === undefined ? undefined : `line ${first}`;
}
/** One document per patient, for mappings/wpas-csv-to-ctp.yaml. */
export interface WpasDocument {
  rows: WpasRow[];
}

export const WPAS_ROW_TYPES = ['ACT', 'CPY', 'REV', 'P3', 'REF', 'HCP', 'ORG', 'REL'] as const;
type RowType = (typeof WPAS_ROW_TYPES)[number];

/** The person columns, which must be the same on every row of one PATIENT_ID. */
const PERSON_COLUMNS: readonly WpasColumn[] = [
  'EXTRACT_TS',
  'NHS_NO',
  'TITLE',
  'FORENAME',
  'MIDDLE_NAMES',
  'SURNAME',
  'DOB',
  'SEX',
  'ADDR_LINES',
  'ADDR_TOWN',
  'POSTCODE',
  'LA_CODE',
  'GP_CODE',
  'LANGUAGE',
  'WELSH_PREF',
  'INTERPRETER',
  'TEL_MOBILE',
];
const REFERRAL_COLUMNS: readonly WpasColumn[] = ['REFERRAL_DATE', 'TEAM_NAME', 'RESP_ORGS', 'DISCHARGE_DATE', 'DISCHARGE_TYPE', 'DISCHARGE_BY', 'PART3_INFO'];
const COORDINATOR_COLUMNS: readonly WpasColumn[] = ['CC_STAFF_ID', 'CC_PROF', 'CC_APPOINTED_BY', 'CC_EMPLOYER', 'CC_START', 'CC_END', 'CC_TEMP'];
const VERSION_COLUMNS: readonly WpasColumn[] = [
  'REFERRAL_ID',
  'CC_APPT_ID',
  'PLAN_STATUS',
  'PLAN_TYPE',
  'PLAN_REVIEW_ID',
  'PLAN_DATE',
  'REVIEW_DUE',
  'PLAN_COMPLETED',
  'PLAN_LANG',
  'DIAG_CODES',
  'RESP_PROVIDERS',
  'AGREED',
  'AGREE_REASON',
  'VIEWS_STATUS',
  'VIEWS_TEXT',
  'COMMS_TEXT',
  'RELAPSE_SIGNS',
  'CRISIS_ACTIONS',
  'CRISIS_CONTACTS',
  'CRISIS_CONTINGENCY',
  'CC_SIGNED',
  'PT_SIGNED',
];
const OUTCOME_COLUMNS: readonly WpasColumn[] = ['OUTCOME_TEXT', 'OUTCOME_PT_WORDS', 'AREA_CODES', 'OTHER_AREA', 'OUTCOME_STATUS'];
const ACTION_COLUMNS: readonly WpasColumn[] = ['ACTION_TEXT', 'ACTION_WHEN', 'ACTION_START', 'ACTION_END', 'ACTION_STATUS'];
const PARTY_COLUMNS: readonly WpasColumn[] = [
  'PARTY_TITLE',
  'PARTY_FORENAMES',
  'PARTY_SURNAME',
  'PARTY_ORG_NAME',
  'PARTY_ORG_TYPE',
  'PARTY_ORG_CODE',
  'PARTY_REL',
  'PARTY_ROLES',
  'PARTY_REG',
  'PARTY_COPIES',
  'PARTY_DECLINED',
];

/**
 * Denormalised columns: rows with the same key must repeat these columns exactly, because the
 * mapping reads them from the first such row. [which rows, key columns, key name, repeated columns]
 */
const REPEATED: readonly [(r: WpasRow) => boolean, readonly WpasColumn[], string, readonly WpasColumn[]][] = [
  [() => true, [], 'PATIENT_ID', PERSON_COLUMNS],
  [(r) => r.REFERRAL_DATE !== undefined, ['REFERRAL_ID'], 'REFERRAL_ID', REFERRAL_COLUMNS],
  [(r) => r.ROW_TYPE === 'ACT' && r.CC_APPT_ID !== undefined, ['CC_APPT_ID'], 'CC_APPT_ID', COORDINATOR_COLUMNS],
  [(r) => r.ROW_TYPE === 'ACT', ['PLAN_ID', 'PLAN_VER'], 'PLAN_ID and PLAN_VER', VERSION_COLUMNS],
  [(r) => r.ROW_TYPE === 'ACT' && r.OUTCOME_SEQ !== undefined, ['PLAN_ID', 'PLAN_VER', 'OUTCOME_SEQ'], 'PLAN_ID, PLAN_VER and OUTCOME_SEQ', OUTCOME_COLUMNS],
  [
    (r) => r.ROW_TYPE === 'ACT' && r.ACTION_SEQ !== undefined,
    ['PLAN_ID', 'PLAN_VER', 'OUTCOME_SEQ', 'ACTION_SEQ'],
    'PLAN_ID, PLAN_VER, OUTCOME_SEQ and ACTION_SEQ',
    ACTION_COLUMNS,
  ],
  [(r) => r.ROW_TYPE === 'HCP' || r.ROW_TYPE === 'ORG' || r.ROW_TYPE === 'REL', ['ROW_TYPE', 'PARTY_ID'], 'ROW_TYPE and PARTY_ID', PARTY_COLUMNS],
];

/** Rows that must be unique: [row type, key columns, key name]. */
const UNIQUE: readonly [RowType, readonly WpasColumn[], string][] = [
  ['CPY', ['PLAN_ID', 'PLAN_VER', 'COPY_SEQ'], 'PLAN_ID, PLAN_VER and COPY_SEQ'],
  ['REV', ['REV_ID'], 'REV_ID'],
  ['P3', ['P3_ID'], 'P3_ID'],
];

/** Columns a row of each type must fill. */
const REQUIRED: Readonly<Record<RowType, readonly WpasColumn[]>> = {
  ACT: ['PLAN_ID', 'PLAN_VER', 'PLAN_STATUS', 'PLAN_TYPE', 'PLAN_DATE'],
  CPY: ['PLAN_ID', 'PLAN_VER', 'COPY_SEQ', 'COPY_ROLE', 'COPY_TO_TYPE', 'COPY_STATUS'],
  REV: ['REV_ID', 'PLAN_ID'],
  P3: ['P3_ID', 'P3_RECEIVED', 'P3_REQUESTER', 'P3_STATUS'],
  REF: ['REFERRAL_ID', 'REFERRAL_DATE', 'RESP_ORGS'],
  HCP: ['PARTY_ID', 'PARTY_SURNAME'],
  ORG: ['PARTY_ID', 'PARTY_ORG_NAME', 'PARTY_ORG_TYPE'],
  REL: ['PARTY_ID', 'PARTY_SURNAME', 'PARTY_ROLES'],
};

/** Columns that need others on the same row: [if this is filled, these must be too]. */
const DEPENDENT: readonly [WpasColumn, readonly WpasColumn[]][] = [
  ['REFERRAL_DATE', ['REFERRAL_ID', 'RESP_ORGS']],
  ['DISCHARGE_DATE', ['DISCHARGE_TYPE']],
  ['CC_APPT_ID', ['CC_STAFF_ID', 'CC_APPOINTED_BY', 'CC_START', 'CC_TEMP']],
  ['OUTCOME_SEQ', ['OUTCOME_TEXT']],
  ['ACTION_SEQ', ['OUTCOME_SEQ', 'ACTION_TEXT']],
  ['ACTION_BY_ID', ['ACTION_BY_TYPE']],
  ['COPY_TO_ID', ['COPY_TO_TYPE']],
  ['REV_REQ_DATE', ['REV_REQ_BY']],
];

const FORMATS: Readonly<Record<Format, { test: (v: string) => boolean; problem: string }>> = {
  rowType: { test: (v) => (WPAS_ROW_TYPES as readonly string[]).includes(v), problem: `must be one of: ${WPAS_ROW_TYPES.join(', ')}` },
  timestamp: { test: (v) => /^\d{14}$/.test(v) && isDate(v.slice(0, 8)) && isTime(v.slice(8)), problem: 'must be a UTC timestamp YYYYMMDDHHMMSS' },
  date: { test: (v) => /^\d{8}$/.test(v) && isDate(v), problem: 'must be a date YYYYMMDD' },
  id: { test: (v) => /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(v), problem: 'must be an identifier (1–64 letters, digits, ".", "_" or "-")' },
  ids: { test: (v) => v.split('|').every((x) => /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(x)), problem: 'must be identifiers separated by "|"' },
  nhs: { test: (v) => /^\d{10}$/.test(v), problem: 'must be 10 digits without spaces' },
  ons: { test: (v) => /^[EW]0[6-9]\d{6}$/.test(v), problem: 'must be an ONS local authority code such as W06000015' },
  text: { test: () => true, problem: '' },
  texts: { test: (v) => v.split('|').every((x) => x.trim() !== ''), problem: 'must not have empty values between "|" separators' },
  code: { test: (v) => /^[A-Z0-9]{1,6}$/.test(v), problem: 'must be a WPAS code (1–6 capital letters or digits)' },
  codes: { test: (v) => v.split('|').every((x) => /^[A-Z0-9]{1,6}$/.test(x)), problem: 'must be WPAS codes separated by "|"' },
  flag: { test: (v) => v === 'Y' || v === 'N', problem: 'must be Y or N' },
  seq: { test: (v) => /^[1-9]\d{0,3}$/.test(v), problem: 'must be a whole number from 1 to 9999' },
  reg: { test: (v) => /^[A-Z]{2,5}\^[A-Za-z0-9][A-Za-z0-9 ./-]{0,31}$/.test(v), problem: 'must be REGISTER^NUMBER, e.g. NMC^12A3456E' },
};

function isDate(v: string): boolean {
  const y = Number(v.slice(0, 4));
  const m = Number(v.slice(4, 6));
  const d = Number(v.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function isTime(v: string): boolean {
  return Number(v.slice(0, 2)) < 24 && Number(v.slice(2, 4)) < 60 && Number(v.slice(4, 6)) < 60;
}

/** Why csv-parse stopped, in words that never quote the input. */
const CSV_PROBLEMS: Readonly<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted value is not closed',
  CSV_INVALID_OPENING_QUOTE: 'a quote appears inside an unquoted value',
  CSV_INVALID_CLOSING_QUOTE: 'a closing quote is followed by other characters',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a closing quote is followed by other characters',
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: 'the row has a different number of fields from the header',
  CSV_MAX_RECORD_SIZE: 'a value is too long',
};

const WHAT = 'WPAS CTP extract';

/**
 * @param text - The file's text (UTF-8, with or without a byte order mark).
 * @param origin - The file name (or request id), used in messages.
 * @param lineOffset - For a part cut out of an extract (wpas-csv.cut.ts): added to the line
 *   number of every row, so that messages give the extract's own lines.
 * @returns One document `{ rows }` per PATIENT_ID, in order of first appearance; rows keep file order.
 * @throws InputError `INPUT_BAD_CSV` for a file that is not CSV, a wrong header or a ragged row
 *   (naming columns and line numbers), `INPUT_INVALID` for cells in the wrong format (issues
 *   name `line N, column COLUMN`).
 */
export function parseWpasCsv(text: string, origin: string, lineOffset = 0): WpasDocument[] {
  const records = readCsv(text, origin, lineOffset);
  const [header, ...body] = records;
  if (header === undefined) throw badCsv(origin, 'the file is empty; the first line must be the header');
  const columns = checkHeader(header.record, origin);

  const issues: OperationOutcomeIssue[] = [];
  const byPatient = new Map<string, { rows: WpasRow[]; lines: number[] }>();
  for (const { record, line } of body) {
    if (record.length !== columns.length) {
      throw badCsv(origin, `line ${line} has ${record.length} field${record.length === 1 ? '' : 's'} but the header has ${columns.length}`);
    }
    const row: WpasRow = {};
    record.forEach((cell, i) => {
      const value = cell.trim();
      if (value !== '') row[columns[i]!] = value;
    });
    if (Object.keys(row).length === 0) continue;
    Object.defineProperty(row, LINE, { value: line, enumerable: false });
    checkRow(row, line, issues);
    const key = row.PATIENT_ID ?? '';
    const group = byPatient.get(key) ?? { rows: [], lines: [] };
    group.rows.push(row);
    group.lines.push(line);
    byPatient.set(key, group);
  }
  if (byPatient.size === 0) throw badCsv(origin, 'the file has a header but no rows');
  if (issues.length === 0) for (const group of byPatient.values()) checkPatient(group.rows, group.lines, issues);
  if (issues.length > 0) throw invalidInput(origin, WHAT, issues);
  return [...byPatient.values()].map(({ rows }) => ({ rows }));
}

function readCsv(text: string, origin: string, lineOffset: number): { record: string[]; line: number }[] {
  try {
    // Line endings normalised: an extract written with CRLF may end with lines added with LF.
    const parsed = parse(text.replace(/\r\n?/g, '\n'), { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
    // The header is the text's first line whatever the offset (a part cut out of an extract).
    return parsed.map(({ record, info }, i) => ({ record, line: i === 0 ? info.lines : info.lines + lineOffset }));
  } catch (err) {
    throw badCsv(origin, csvSyntaxProblem(err, lineOffset));
  }
}

/** What is wrong with CSV text csv-parse refused, by line (plus `lineOffset`), never quoting it. */
export function csvSyntaxProblem(err: unknown, lineOffset: number): string {
  const { code, lines } = (err ?? {}) as { code?: unknown; lines?: unknown };
  const problem = (typeof code === 'string' && CSV_PROBLEMS[code]) || 'the text is not valid CSV';
  return typeof lines === 'number' ? `line ${lines + lineOffset}: ${problem}` : problem;
}

/** The error for an extract that is not one, naming the origin and the problem. */
export function badCsv(origin: string, problem: string): InputError {
  const message = `${origin}: not a valid WPAS CTP extract: ${problem}`;
  return new InputError('INPUT_BAD_CSV', message, [{ severity: 'error', code: 'structure', diagnostics: message }]);
}

function checkHeader(header: string[], origin: string): WpasColumn[] {
  const names = header.map((h) => h.trim());
  const known = new Set<string>(wpasColumnNames);
  const missing = wpasColumnNames.filter((c) => !names.includes(c));
  // A first line with hardly any known column is probably data, not a header: name nothing from it.
  if (names.filter((n) => known.has(n)).length < wpasColumnNames.length / 2) {
    throw badCsv(origin, `the first line is not the WPAS CTP extract header (${missing.length} of the ${wpasColumnNames.length} required columns are missing)`);
  }
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`missing column${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`);
  // Named by position only: when the header's line break is missing, its "names" are the first row's data.
  const unknown = names.map((n, i) => ({ n, i })).filter(({ n }) => !known.has(n));
  if (unknown.length > 0) {
    problems.push(
      `${unknown.length === 1 ? 'column' : 'columns'} ${unknown.map(({ i }) => i + 1).join(', ')} ${unknown.length === 1 ? 'is not a WPAS column' : 'are not WPAS columns'} (names not shown: they may be data)`,
    );
  }
  const duplicates = [...new Set(names.filter((n, i) => known.has(n) && names.indexOf(n) !== i))];
  if (duplicates.length > 0) problems.push(`duplicate column${duplicates.length === 1 ? '' : 's'} ${duplicates.join(', ')}`);
  if (problems.length > 0) throw badCsv(origin, `the header does not match the WPAS CTP extract: ${problems.join('; ')}`);
  return names as WpasColumn[];
}

function checkRow(row: WpasRow, line: number, issues: OperationOutcomeIssue[]): void {
  const at = (column: WpasColumn) => cell(line, column);
  for (const [column, value] of Object.entries(row) as [WpasColumn, string][]) {
    const format = FORMATS[WPAS_COLUMNS[column]];
    if (!format.test(value)) issues.push(outcomeIssue('value', at(column), format.problem));
  }
  for (const column of ['ROW_TYPE', 'EXTRACT_TS', 'PATIENT_ID'] as const) {
    if (row[column] === undefined) issues.push(outcomeIssue('required', at(column), 'is required on every row'));
  }
  const type = row.ROW_TYPE as RowType | undefined;
  if (type !== undefined && type in REQUIRED) {
    for (const column of REQUIRED[type]) {
      if (row[column] === undefined) issues.push(outcomeIssue('required', at(column), `is required on ${type} rows`));
    }
  }
  for (const [column, needs] of DEPENDENT) {
    if (row[column] === undefined) continue;
    for (const other of needs) {
      if (row[other] === undefined) issues.push(outcomeIssue('required', at(other), `is required when ${column} is filled`));
    }
  }
}

/** Checks one patient's rows as a whole: repeated columns agree, keys are unique, references to plan versions resolve. */
function checkPatient(rows: readonly WpasRow[], lines: readonly number[], issues: OperationOutcomeIssue[]): void {
  const keyOf = (row: WpasRow, columns: readonly WpasColumn[]) => columns.map((c) => row[c] ?? '').join('\u0000');
  for (const [applies, keyColumns, keyName, repeated] of REPEATED) {
    const first = new Map<string, number>();
    rows.forEach((row, i) => {
      if (!applies(row)) return;
      const key = keyOf(row, keyColumns);
      const j = first.get(key);
      if (j === undefined) {
        first.set(key, i);
        return;
      }
      for (const column of repeated) {
        if (rows[j]![column] !== row[column]) {
          issues.push(outcomeIssue('invariant', cell(lines[i]!, column), `differs from line ${lines[j]}, which has the same ${keyName} (the column must repeat exactly)`));
        }
      }
    });
  }
  for (const [type, keyColumns, keyName] of UNIQUE) {
    const first = new Map<string, number>();
    rows.forEach((row, i) => {
      if (row.ROW_TYPE !== type) return;
      const key = keyOf(row, keyColumns);
      const j = first.get(key);
      if (j === undefined) first.set(key, i);
      else issues.push(outcomeIssue('duplicate', cell(lines[i]!, keyColumns[keyColumns.length - 1]!), `duplicates the ${keyName} of line ${lines[j]}`));
    });
  }
  const plans = new Set(rows.filter((r) => r.ROW_TYPE === 'ACT').map((r) => r.PLAN_ID));
  const versions = new Set(rows.filter((r) => r.ROW_TYPE === 'ACT').map((r) => keyOf(r, ['PLAN_ID', 'PLAN_VER'])));
  rows.forEach((row, i) => {
    if (row.ROW_TYPE !== 'CPY' && row.ROW_TYPE !== 'REV') return;
    if (!plans.has(row.PLAN_ID)) {
      issues.push(outcomeIssue('not-found', cell(lines[i]!, 'PLAN_ID'), 'matches no ACT row of this patient (a plan version needs at least one ACT row)'));
    } else if (row.PLAN_VER !== undefined && !versions.has(keyOf(row, ['PLAN_ID', 'PLAN_VER']))) {
      issues.push(outcomeIssue('not-found', cell(lines[i]!, 'PLAN_VER'), 'matches no ACT row of this patient with the same PLAN_ID'));
    }
  });
}

/** A cell, in the file's terms. */
function cell(line: number, column: WpasColumn): string {
  return `line ${line}, column ${column}`;
}
