/**
 * Fuzzed inputs: an example of one of the four formats, with markers planted in its patient
 * fields and then broken in one or more ways (JSON structure, JSON text, CSV layout, bytes).
 * A case is plain data chosen by fast-check, so a failing case shrinks and replays from its seed.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import { MarkerBook } from './markers.js';

export const FORMATS = ['ctp', 'fhir', 'carepath-json', 'wpas-csv'] as const;
export type Format = (typeof FORMATS)[number];

/** An unbroken input of one format: the material a case starts from. */
export interface BaseInput {
  readonly format: Format;
  readonly name: string;
  readonly text: string;
}

/**
 * How one field is marked: replaced by a text marker, by a marker of its own shape, or given a
 * marker after its text; `free-text` marks only names, addresses, notes and NHS numbers, so the
 * input stays valid and the markers reach every later stage.
 */
type MarkForm = 'text' | 'shaped' | 'suffix' | 'free-text';

type JsonBreak =
  | { readonly kind: 'delete-key'; readonly at: number }
  | { readonly kind: 'wrong-type'; readonly at: number; readonly to: 'number' | 'object' | 'array' | 'null' | 'boolean' | 'string' }
  | { readonly kind: 'unknown-key'; readonly at: number }
  | { readonly kind: 'marker-key'; readonly at: number }
  | { readonly kind: 'duplicate-item'; readonly at: number }
  | { readonly kind: 'bad-date'; readonly at: number }
  | { readonly kind: 'deep'; readonly at: number; readonly depth: number; readonly shape: 'array' | 'object' }
  | { readonly kind: 'prototype-key'; readonly at: number };

type TextBreak =
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'duplicate-key'; readonly at: number }
  | { readonly kind: 'insert'; readonly at: number; readonly what: 'lone-surrogate' | 'nul' | 'bom' | 'quote' | 'brace' | 'comma' | 'marker' }
  | { readonly kind: 'delete-char'; readonly at: number };

type CsvBreak =
  | { readonly kind: 'join-lines'; readonly at: number }
  | { readonly kind: 'drop-column'; readonly at: number }
  | { readonly kind: 'drop-header-cell'; readonly at: number }
  | { readonly kind: 'duplicate-header'; readonly at: number }
  | { readonly kind: 'marker-header'; readonly at: number }
  | { readonly kind: 'extra-cell'; readonly at: number }
  | { readonly kind: 'missing-cell'; readonly at: number }
  | { readonly kind: 'open-quote'; readonly at: number }
  | { readonly kind: 'newline-in-cell'; readonly at: number }
  | { readonly kind: 'duplicate-row'; readonly at: number }
  | { readonly kind: 'crlf' }
  | { readonly kind: 'blank-lines'; readonly at: number };

type ByteBreak = { readonly kind: 'invalid-utf8'; readonly at: number; readonly bytes: readonly number[] };

export interface FuzzCase {
  readonly format: Format;
  readonly example: number;
  /** Fields to mark, by index among the input's fields (modulo their number). */
  readonly marks: readonly { readonly field: number; readonly form: MarkForm }[];
  /** Also give every date and long number a marker of its shape (the input stays readable). */
  readonly shapeAll: boolean;
  readonly jsonBreaks: readonly JsonBreak[];
  readonly csvBreaks: readonly CsvBreak[];
  readonly textBreaks: readonly TextBreak[];
  readonly byteBreaks: readonly ByteBreak[];
}

const at = fc.nat();

const jsonBreak: fc.Arbitrary<JsonBreak> = fc.oneof(
  fc.record({ kind: fc.constant('delete-key' as const), at }),
  fc.record({ kind: fc.constant('wrong-type' as const), at, to: fc.constantFrom('number', 'object', 'array', 'null', 'boolean', 'string') }),
  fc.record({ kind: fc.constant('unknown-key' as const), at }),
  fc.record({ kind: fc.constant('marker-key' as const), at }),
  fc.record({ kind: fc.constant('duplicate-item' as const), at }),
  fc.record({ kind: fc.constant('bad-date' as const), at }),
  fc.record({ kind: fc.constant('deep' as const), at, depth: fc.constantFrom(20, 200, 6000), shape: fc.constantFrom('array', 'object') }),
  fc.record({ kind: fc.constant('prototype-key' as const), at }),
);

const textBreak: fc.Arbitrary<TextBreak> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at }),
  fc.record({ kind: fc.constant('duplicate-key' as const), at }),
  fc.record({ kind: fc.constant('insert' as const), at, what: fc.constantFrom('lone-surrogate', 'nul', 'bom', 'quote', 'brace', 'comma', 'marker') }),
  fc.record({ kind: fc.constant('delete-char' as const), at }),
);

const csvBreak: fc.Arbitrary<CsvBreak> = fc.oneof(
  fc.record({ kind: fc.constant('join-lines' as const), at }),
  fc.record({ kind: fc.constant('drop-column' as const), at }),
  fc.record({ kind: fc.constant('drop-header-cell' as const), at }),
  fc.record({ kind: fc.constant('duplicate-header' as const), at }),
  fc.record({ kind: fc.constant('marker-header' as const), at }),
  fc.record({ kind: fc.constant('extra-cell' as const), at }),
  fc.record({ kind: fc.constant('missing-cell' as const), at }),
  fc.record({ kind: fc.constant('open-quote' as const), at }),
  fc.record({ kind: fc.constant('newline-in-cell' as const), at }),
  fc.record({ kind: fc.constant('duplicate-row' as const), at }),
  fc.record({ kind: fc.constant('crlf' as const) }),
  fc.record({ kind: fc.constant('blank-lines' as const), at }),
);

const byteBreak: fc.Arbitrary<ByteBreak> = fc.record({
  kind: fc.constant('invalid-utf8' as const),
  at,
  bytes: fc.constantFrom([0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0x80]),
});

/** Few breaks most of the time (so that marked data reaches the later stages), sometimes none. */
function breaks<T>(arb: fc.Arbitrary<T>, max: number): fc.Arbitrary<readonly T[]> {
  return fc.oneof({ weight: 1, arbitrary: fc.constant<readonly T[]>([]) }, { weight: 1, arbitrary: fc.array(arb, { minLength: 1, maxLength: max }) });
}

export function fuzzCase(formats: readonly Format[] = FORMATS): fc.Arbitrary<FuzzCase> {
  return fc.oneof({ weight: 3, arbitrary: brokenCase(formats) }, { weight: 1, arbitrary: validCase(formats) });
}

/** An input that should stay valid: only free text and NHS numbers are marked, nothing is broken. */
function validCase(formats: readonly Format[]): fc.Arbitrary<FuzzCase> {
  return fc.record({
    format: fc.constantFrom(...formats),
    example: fc.nat(),
    marks: fc.array(fc.record({ field: fc.nat(), form: fc.constant<MarkForm>('free-text') }), { minLength: 1, maxLength: 60 }),
    shapeAll: fc.constant(false),
    jsonBreaks: fc.constant([]),
    csvBreaks: fc.constant([]),
    textBreaks: fc.constant([]),
    byteBreaks: fc.constant([]),
  });
}

function brokenCase(formats: readonly Format[]): fc.Arbitrary<FuzzCase> {
  return fc.constantFrom(...formats).chain((format) =>
    fc.record({
      format: fc.constant(format),
      example: fc.nat(),
      marks: fc.array(fc.record({ field: fc.nat(), form: fc.constantFrom<MarkForm>('text', 'shaped', 'shaped', 'shaped', 'shaped', 'suffix') }), {
        minLength: 1,
        maxLength: 30,
      }),
      shapeAll: fc.boolean(),
      jsonBreaks: format === 'wpas-csv' ? fc.constant([]) : breaks(jsonBreak, 3),
      csvBreaks: format === 'wpas-csv' ? breaks(csvBreak, 3) : fc.constant([]),
      textBreaks: fc.oneof({ weight: 6, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(textBreak, { minLength: 1, maxLength: 2 }) }),
      byteBreaks: fc.oneof({ weight: 6, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(byteBreak, { minLength: 1, maxLength: 2 }) }),
    }),
  );
}

/** A built case: the input's bytes and the markers planted in it. */
export interface BuiltInput {
  readonly format: Format;
  readonly base: string;
  readonly bytes: Buffer;
  readonly markers: MarkerBook;
}

export function buildInput(c: FuzzCase, bases: readonly BaseInput[]): BuiltInput {
  const ofFormat = bases.filter((b) => b.format === c.format);
  const base = ofFormat[c.example % ofFormat.length]!;
  const markers = new MarkerBook();
  let text = c.format === 'wpas-csv' ? buildCsv(base.text, c, markers) : buildJson(base.text, c, markers);
  for (const b of c.textBreaks) text = breakText(text, b, markers);
  let bytes = Buffer.from(text, 'utf8');
  for (const b of c.byteBreaks) {
    const i = b.at % (bytes.length + 1);
    bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from(b.bytes), bytes.subarray(i)]);
  }
  return { format: c.format, base: base.name, bytes, markers };
}

// ---- JSON ----

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Container = Json[] | { [key: string]: Json };
/** A place in a JSON tree: a container and a key or index in it. */
interface Slot {
  readonly parent: Container;
  readonly key: string | number;
}

function slots(root: Json): Slot[] {
  const out: Slot[] = [];
  const walk = (node: Json) => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        out.push({ parent: node, key: i });
        walk(child);
      });
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        out.push({ parent: node, key });
        walk(child);
      }
    }
  };
  walk(root);
  return out;
}

function get(slot: Slot): Json {
  return (slot.parent as Record<string | number, Json>)[slot.key]!;
}

function set(slot: Slot, value: Json): void {
  (slot.parent as Record<string | number, Json>)[slot.key] = value;
}

/** Free text such as names, addresses and notes, as opposed to codes and identifiers (`active`, `ENG`, `7A4`). */
const FREE_TEXT = /^[A-Z][a-z]|\s/;

/**
 * Marks one field. `shaped` keeps the input readable: a date or number gets a marker of its
 * shape, free text is replaced by a marker, and a code is left alone (the other forms break codes).
 */
function mark(value: string, form: MarkForm, markers: MarkerBook): string {
  if (form === 'free-text') {
    if (/^\d{3} ?\d{3} ?\d{4}$/.test(value)) return markers.shaped(value);
    return FREE_TEXT.test(value) && !/^\d/.test(value) ? `${markers.text()} ${value.split(/\s/)[0]}` : value;
  }
  if (form === 'text') return markers.text();
  if (form === 'suffix') return `${value} ${markers.text()}`;
  const shaped = markers.shaped(value);
  if (!/^QZX\d+$/.test(shaped)) return shaped;
  return FREE_TEXT.test(value) ? `${shaped} ${value.split(/\s/)[0]}` : value;
}

/** Keys holding when an extract was made: a canonical record's `source.extractedAt`, a Bundle's `timestamp`, a Provenance's `recorded`. */
const EXTRACT_TIME_KEYS = new Set(['extractedAt', 'timestamp', 'recorded']);

function buildJson(text: string, c: FuzzCase, markers: MarkerBook): string {
  const root = JSON.parse(text) as Json;
  const fields = () => slots(root).filter((s) => typeof get(s) === 'string' && !(s.key === 'resourceType' && c.marks.length < 3));
  const strings = fields();
  // The export's own header and its time (when the extract was made, which `check --as-of
  // extracted` prints) are the exporting system's, not the patient's: no mark goes there.
  const meta = typeof root === 'object' && root !== null && !Array.isArray(root) ? root.exportMeta : undefined;
  const exports = (s: Slot) => s.parent === meta || EXTRACT_TIME_KEYS.has(String(s.key));
  if (c.shapeAll) {
    for (const s of strings) {
      const value = get(s) as string;
      if (!exports(s) && /^(\d{4}-\d{2}-\d{2}|\d{2}\/\d{2}\/\d{4}|\d{3} \d{3} \d{4}|\d{8,})/.test(value)) set(s, markers.shaped(value));
    }
  }
  for (const m of c.marks) {
    const s = strings[m.field % strings.length];
    // A resource type names a kind of data, not a person's (an unknown one is rightly refused); a
    // narrative's XHTML would no longer parse with text put in front of it.
    if (s && !exports(s) && !(m.form === 'free-text' && (s.key === 'resourceType' || s.key === 'div'))) set(s, mark(get(s) as string, m.form, markers));
  }
  for (const b of c.jsonBreaks) breakJson(root, b, markers);
  const text$ = c.example % 2 === 0 ? JSON.stringify(root, null, 2) : JSON.stringify(root);
  return text$.replace(new RegExp(`"${DEEP}(array|object):(\\d+):(\\w+)"`, 'g'), (_, shape: string, depth: string, marker: string) => {
    const [open, close] = shape === 'array' ? ['[', ']'] : ['{"a":', '}'];
    return open.repeat(Number(depth)) + JSON.stringify(marker) + close.repeat(Number(depth));
  });
}

const DEEP = 'fuzz-deep-value:';

function breakJson(root: Json, b: JsonBreak, markers: MarkerBook): void {
  const all = slots(root);
  if (all.length === 0) return;
  const slot = all[b.at % all.length]!;
  const objects = [root, ...all.map(get)].filter((n): n is { [key: string]: Json } => n !== null && typeof n === 'object' && !Array.isArray(n));
  const object = objects[b.at % objects.length];
  switch (b.kind) {
    case 'delete-key':
      if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
      else delete slot.parent[slot.key];
      return;
    case 'wrong-type': {
      const values: Record<typeof b.to, Json> = {
        number: Number(markers.digits(9)),
        object: { [markers.text()]: markers.text() },
        array: [markers.text()],
        null: null,
        boolean: true,
        string: markers.text(),
      };
      set(slot, values[b.to]);
      return;
    }
    case 'unknown-key':
      if (object) object[markers.text()] = markers.text();
      return;
    case 'marker-key': {
      if (!object) return;
      const [key] = Object.keys(object);
      if (key === undefined) return;
      object[`${key}${markers.text()}`] = object[key]!;
      delete object[key];
      return;
    }
    case 'duplicate-item': {
      const arrays = [root, ...all.map(get)].filter((n): n is Json[] => Array.isArray(n) && n.length > 0);
      const list = arrays[b.at % Math.max(arrays.length, 1)];
      if (list) list.push(structuredClone(list[b.at % list.length]!));
      return;
    }
    case 'bad-date': {
      const dates = all.filter((s) => typeof get(s) === 'string' && /^\d{4}-\d{2}-\d{2}|^\d{2}\/\d{2}\/\d{4}$/.test(get(s) as string));
      const s = dates[b.at % Math.max(dates.length, 1)];
      if (s) set(s, markers.impossibleDate() + (get(s) as string).slice(10));
      return;
    }
    case 'deep':
      // Written into the text after serialising: JSON.stringify itself overflows on deep values.
      set(slot, `${DEEP}${b.shape}:${b.depth}:${markers.text()}`);
      return;
    case 'prototype-key':
      if (object) Object.defineProperty(object, '__proto__', { value: { [markers.text()]: markers.text() }, enumerable: true, configurable: true, writable: true });
      return;
  }
}

// ---- text ----

function breakText(text: string, b: TextBreak, markers: MarkerBook): string {
  const i = b.at % (text.length + 1);
  switch (b.kind) {
    case 'truncate':
      return text.slice(0, i);
    case 'delete-char':
      return text.slice(0, i) + text.slice(i + 1);
    case 'duplicate-key': {
      // The first key after the i-th `{` appears twice: once with a marker, then with its own value.
      const opens = [...text.matchAll(/\{\s*"([^"\\]{1,64})"\s*:/g)];
      const open = opens[b.at % Math.max(opens.length, 1)];
      if (!open) return text;
      const after = open.index + 1;
      return `${text.slice(0, after)}"${open[1]}":"${markers.text()}",${text.slice(after)}`;
    }
    case 'insert': {
      const what = { 'lone-surrogate': '\uD800', nul: '\u0000', bom: '\uFEFF', quote: '"', brace: '{', comma: ',', marker: markers.text() }[b.what];
      return text.slice(0, i) + what + text.slice(i);
    }
  }
}

// ---- CSV ----

function buildCsv(text: string, c: FuzzCase, markers: MarkerBook): string {
  const rows = parseCsv(text, { relax_column_count: true }) as string[][];
  const header = rows[0] ?? [];
  const body = rows.slice(1);
  const cells: { row: string[]; i: number }[] = [];
  for (const row of body) row.forEach((cell, i) => cell !== '' && cells.push({ row, i }));
  // A value is marked in its column on every row: a person's columns repeat on each of their rows.
  const replaceInColumn = (i: number, value: string, marked: string) => {
    for (const row of body) if (row[i] === value) row[i] = marked;
  };
  const extractTime = header.indexOf('EXTRACT_TS'); // the export's, not the patient's (see buildJson)
  if (c.shapeAll) {
    const distinct = new Map(cells.map(({ row, i }) => [`${i},${row[i]}`, { i, value: row[i]! }]));
    for (const { i, value } of distinct.values()) if (i !== extractTime && /^(\d{8,}|\d{4}-\d{2}-\d{2})/.test(value)) replaceInColumn(i, value, markers.shaped(value));
  }
  for (const m of c.marks) {
    const cell = cells[m.field % cells.length];
    if (cell && cell.i !== extractTime) replaceInColumn(cell.i, cell.row[cell.i]!, mark(cell.row[cell.i]!, m.form, markers));
  }
  let lines = [header, ...body];
  let eol = '\n';
  let joins: number[] = [];
  for (const b of c.csvBreaks) {
    const r = 1 + (b.kind === 'crlf' ? 0 : b.at % Math.max(lines.length - 1, 1));
    const row = lines[r];
    const column = b.kind === 'crlf' ? 0 : b.at % Math.max(header.length, 1);
    switch (b.kind) {
      case 'crlf':
        eol = '\r\n';
        break;
      case 'join-lines':
        joins = [...joins, r];
        break;
      case 'drop-column':
        lines = lines.map((l) => l.filter((_, i) => i !== column));
        break;
      case 'drop-header-cell':
        lines[0] = lines[0]!.filter((_, i) => i !== column);
        break;
      case 'duplicate-header':
        lines[0] = lines[0]!.map((h, i) => (i === column + 1 ? lines[0]![column]! : h));
        break;
      case 'marker-header':
        lines[0] = lines[0]!.map((h, i) => (i === column ? markers.text() : h));
        break;
      case 'extra-cell':
        row?.push(markers.text());
        break;
      case 'missing-cell':
        row?.pop();
        break;
      case 'open-quote':
        if (row) row[column] = `\u0000OPEN${markers.text()}`;
        break;
      case 'newline-in-cell':
        if (row) row[column] = `${markers.text()}\n${markers.text()}`;
        break;
      case 'duplicate-row':
        if (row) lines.splice(r, 0, [...row]);
        break;
      case 'blank-lines':
        lines.splice(r, 0, []);
        break;
    }
  }
  const rendered = lines.map((l) => l.map(csvCell).join(','));
  let out = '';
  rendered.forEach((line, i) => {
    out += line;
    if (i < rendered.length - 1) out += joins.includes(i + 1) ? '' : eol;
  });
  return `${out}${eol}`;
}

/** A cell as written by a CSV writer; an `open-quote` cell is written with a quote that never closes. */
function csvCell(cell: string): string {
  if (cell.startsWith('\u0000OPEN')) return `"${cell.slice(5)}`;
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}
